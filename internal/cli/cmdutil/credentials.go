package cmdutil

import (
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/credentials"
	"github.com/ssokit/ssokit/login"
)

// Credentials is a profile's credentials as the commands that hand them on
// use them: SSO role credentials, or those of the last role of an
// assume-role chain on top of them.
type Credentials struct {
	// Provider gives the credentials, from the cache while they last.
	Provider aws.CredentialsProvider
	// Chain is the profile resolved: Chain.Profile, the SSO profile at its
	// root (Chain.SSO) and the roles assumed on top, none for an SSO
	// profile.
	Chain config.Chain
	// Session is the SSO session at the chain's root.
	Session *login.Session
}

// Profile is the name of the profile.
func (c *Credentials) Profile() string { return c.Chain.Profile }

// Region is the profile's region; "" when it has none.
func (c *Credentials) Region() string { return c.Chain.ProfileRegion }

// Role names the role the credentials act as, for messages: the SSO
// role, or the last assumed role's ARN.
func (c *Credentials) Role() string {
	if n := len(c.Chain.Steps); n > 0 {
		return "role " + c.Chain.Steps[n-1].RoleARN
	}
	return fmt.Sprintf("%s in account %s", c.Chain.SSO.RoleName, c.Chain.SSO.AccountID)
}

// Credentials resolves the profile the flag names (else AWS_PROFILE,
// AWS_DEFAULT_PROFILE, default): an SSO profile, or an assume-role profile
// whose source_profile chain ends in one; optFns set up its SSO session
// after NewSession's defaults. A role that wants an MFA code asks for it
// on the terminal when there is one. Naming a profile that does not
// exist, that is neither, or whose chain starts from other credentials is
// a usage mistake (*FlagError).
func (f *Factory) Credentials(profileFlag string, optFns ...func(*login.Options)) (*Credentials, error) {
	cfg, err := f.Config()
	if err != nil {
		return nil, err
	}
	profile, source := config.SelectProfileSource(profileFlag, f.Getenv)
	chain, err := cfg.ResolveChain(profile, f.Getenv)
	if err != nil {
		return nil, usageError(withSource(err, source))
	}
	sess, err := f.NewSession(chain.SSO, optFns...)
	if err != nil {
		return nil, err
	}
	c := &Credentials{Chain: chain, Session: sess}
	if len(chain.Steps) == 0 {
		c.Provider = credentials.New(sess)
		return c, nil
	}
	c.Provider = credentials.NewAssumeRole(sess, chain, func(o *credentials.AssumeRoleOptions) {
		if f.IOStreams.CanPrompt() {
			o.TokenProvider = f.mfaCode
		}
	})
	return c, nil
}

// mfaCode asks for the current code of an MFA device.
func (f *Factory) mfaCode(serial string) (string, error) {
	f.IOStreams.StopSpinner()
	return f.Prompter.Input(fmt.Sprintf("MFA code for %s", serial), "", func(code string) error {
		if code == "" {
			return errors.New("enter the code your MFA device shows now")
		}
		return nil
	})
}
