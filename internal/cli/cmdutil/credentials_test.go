package cmdutil_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/credentials"
	"github.com/ssokit/ssokit/emulator/directory"
	"github.com/ssokit/ssokit/internal/cli/cmdtest"
	"github.com/ssokit/ssokit/internal/cli/cmdutil"
	"github.com/ssokit/ssokit/internal/testutil/signedin"
)

// codes answers every Input with the current code of signedin.MFASerial
// and records the prompts.
type codes struct {
	t       *testing.T
	env     *signedin.Env
	prompts []string
}

func (c *codes) Input(prompt, _ string, _ func(string) error) (string, error) {
	c.prompts = append(c.prompts, prompt)
	code, _ := c.env.MFACode(c.t)
	return code, nil
}
func (c *codes) Select(string, []string, int) (int, error) { return 0, errors.New("unexpected") }
func (c *codes) Confirm(string, bool) (bool, error)        { return false, errors.New("unexpected") }

func TestCredentialsOfEveryKindOfProfile(t *testing.T) {
	env := signedin.New(t)
	env.AddChains(t)
	f, _, _ := cmdtest.SignedIn(env)
	for _, tt := range []struct {
		profile, wantARN, wantRegion, wantRole string
	}{
		{signedin.Profile, signedin.RoleARNPrefix(), signedin.ProfileRegion, "readOnly in account 123456789011"},
		{signedin.Chained, signedin.ChainedARN(), signedin.ChainedRegion, "role " + directory.DemoAssumableRole},
	} {
		c, err := f.Credentials(tt.profile)
		if err != nil {
			t.Fatal(err)
		}
		creds, err := c.Provider.Retrieve(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if arn := env.CallerARN(t, creds); !strings.HasPrefix(arn, tt.wantARN) {
			t.Errorf("%s: caller %s, want %s", tt.profile, arn, tt.wantARN)
		}
		if c.Profile() != tt.profile || c.Region() != tt.wantRegion || c.Role() != tt.wantRole || c.Session.SSO().Profile != signedin.Profile {
			t.Errorf("%s: profile %s, region %s, role %s, session of %s", tt.profile, c.Profile(), c.Region(), c.Role(), c.Session.SSO().Profile)
		}
	}
}

func TestCredentialsUsageMistakes(t *testing.T) {
	env := signedin.New(t)
	env.AppendConfig(t, "\n[profile on-static]\nrole_arn = "+directory.DemoAssumableRole+"\nsource_profile = "+signedin.Static+"\n")
	f, _, _ := cmdtest.SignedIn(env)
	for _, profile := range []string{"on-static", signedin.Static, "ghost"} {
		_, err := f.Credentials(profile)
		var fe *cmdutil.FlagError
		if !errors.As(err, &fe) {
			t.Errorf("%s: err = %v, want a usage mistake", profile, err)
		}
	}
	_, err := f.Credentials("on-static")
	var unsupported *config.UnsupportedSourceError
	if !errors.As(err, &unsupported) {
		t.Errorf("err = %v, want an *UnsupportedSourceError", err)
	}
}

// On a terminal, a role that wants MFA asks for the code; elsewhere it
// says it needs one.
func TestCredentialsAskForTheMFACode(t *testing.T) {
	env := signedin.New(t, signedin.ChainRoles)
	env.AppendConfig(t, "\n[profile guarded]\nrole_arn = "+signedin.GuardedRole+"\nsource_profile = "+signedin.Profile+"\nmfa_serial = "+signedin.MFASerial+"\n")

	f, _, _ := cmdtest.SignedIn(env)
	c, err := f.Credentials("guarded")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Provider.Retrieve(context.Background())
	var need *credentials.MFACodeRequiredError
	if !errors.As(err, &need) {
		t.Fatalf("without a terminal: err = %v, want an *MFACodeRequiredError", err)
	}

	p := &codes{t: t, env: env}
	f.Prompter = p
	f.IOStreams.SetTTY(true)
	if c, err = f.Credentials("guarded"); err != nil {
		t.Fatal(err)
	}
	creds, err := c.Provider.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if arn := env.CallerARN(t, creds); !strings.HasPrefix(arn, "arn:aws:sts::210987654321:assumed-role/Guarded/") {
		t.Errorf("caller = %s", arn)
	}
	if len(p.prompts) != 1 || !strings.Contains(p.prompts[0], signedin.MFASerial) {
		t.Errorf("prompts = %q, want one naming %s", p.prompts, signedin.MFASerial)
	}
}

// Signing in, listing and signing out name an assume-role profile's SSO
// profile.
func TestResolveSSOOfAnAssumeRoleProfile(t *testing.T) {
	env := signedin.New(t)
	env.AddChains(t)
	f, _, _ := cmdtest.SignedIn(env)
	sso, err := f.ResolveSSO(signedin.Chained, "")
	if err != nil {
		t.Fatal(err)
	}
	if sso.Profile != signedin.Profile || sso.SessionName != signedin.Session {
		t.Errorf("ResolveSSO(%s) = profile %q, session %q; want the chain's root", signedin.Chained, sso.Profile, sso.SessionName)
	}
}
