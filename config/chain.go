package config

import (
	"fmt"
	"strconv"
	"strings"
)

// AssumeRole is one step of a Chain: a profile with role_arn, whose role
// is assumed with the credentials of the step before it.
type AssumeRole struct {
	Profile string // the profile that sets role_arn
	RoleARN string
	// RoleSessionName is role_session_name; "" when it is not set or
	// empty. The AWS CLI then names the session botocore-session-<unix
	// time> and leaves the name out of its cache key.
	RoleSessionName string
	ExternalID      string // external_id; "" when not set
	MFASerial       string // mfa_serial; "" when not set
	DurationSeconds int    // duration_seconds; 0 when not set
}

// Chain is how a profile gets its credentials: the role credentials of the
// SSO profile at its root, then each assume-role step in turn, the last
// one being the profile asked for. An SSO profile is a chain of no steps.
type Chain struct {
	Profile string // the profile asked for
	// SSO is the profile at the root, resolved as ResolveSSO does, except
	// that its Endpoints and CABundle are those of the profile asked for,
	// as both SDKs configure every client of a chain from the profile
	// they load; Endpoints.STS is where the AssumeRole calls go (see
	// ResolveChain).
	SSO SSO
	// Steps are in the order they are assumed: the first with SSO's
	// credentials, each next one with the credentials of the one before.
	Steps []AssumeRole
	// ProfileRegion is the region of the profile asked for; "" if none.
	ProfileRegion string
	// STSRegion is the region the AssumeRole calls are signed for.
	STSRegion string
}

// Profiles lists the chain's profiles from the one asked for down to the
// SSO profile at its root.
func (ch Chain) Profiles() []string {
	out := make([]string, 0, len(ch.Steps)+1)
	for i := len(ch.Steps) - 1; i >= 0; i-- {
		out = append(out, ch.Steps[i].Profile)
	}
	return append(out, ch.SSO.Profile)
}

// ResolveChain resolves a profile ssokit can get credentials for: an SSO
// profile (a chain of no steps, as ResolveSSO resolves it), or an
// assume-role profile (role_arn and source_profile) whose source_profile
// chain, of any depth, ends in an SSO profile. It follows botocore's
// assume-role provider: a source profile assumes a role of its own when it
// has role_arn and no static keys; otherwise it must be an SSO profile.
//
// The AssumeRole calls go where botocore sends the STS client it creates
// for the chain, configured from the profile asked for: its STS endpoint
// override (EndpointURL), else the region's endpoint, the region being
// AWS_REGION, AWS_DEFAULT_REGION or the profile's region; with no region
// at all, or with sts_regional_endpoints (AWS_STS_REGIONAL_ENDPOINTS) =
// legacy and a region the global endpoint served, the global endpoint
// https://sts.amazonaws.com, signed for us-east-1.
//
// Errors: *ProfileNotFoundError; *NotSSOProfileError for a profile that is
// neither; *ValidationError for settings that cannot work, with the
// wording of Check (a role without a source, a missing source_profile, a
// loop, a bad duration_seconds) and the SSO profile's own problems; and
// *UnsupportedSourceError for a chain that ends in other credentials.
func (c *Config) ResolveChain(profile string, getenv func(string) string) (Chain, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	p, err := c.Profile(profile)
	if err != nil {
		if nf, ok := err.(*ProfileNotFoundError); ok {
			nf.Similar = c.SimilarProfiles(profile)
		}
		return Chain{}, err
	}
	var (
		steps   []AssumeRole
		visited = map[string]bool{}
		names   []string
		cur     = p
	)
	for {
		visited[cur.Name] = true
		names = append(names, cur.Name)
		// The profile asked for assumes its role whatever else it holds
		// (botocore tries the assume-role provider first); a source
		// profile only when it has no static keys.
		if !cur.has(KeyRoleARN) || (cur != p && hasStaticKeys(cur)) {
			break
		}
		if problems := c.roleSettingProblems(cur); len(problems) > 0 {
			return Chain{}, &ValidationError{Profile: profile, Problem: problems[0]}
		}
		// botocore leaves a role with a web identity token to its web
		// identity provider, whatever else the profile says.
		if kv, ok := cur.keys.lookup(KeyWebIdentityTokenFile); ok {
			return Chain{}, &UnsupportedSourceError{Profile: profile, Chain: names, Source: "web_identity_token_file", Location: kv.loc}
		}
		if kv, ok := cur.keys.lookup(KeyCredentialSource); ok {
			return Chain{}, &UnsupportedSourceError{Profile: profile, Chain: names, Source: "credential_source = " + kv.value, Location: kv.loc}
		}
		src, _ := cur.keys.lookup(KeySourceProfile)
		step := assumeRoleStep(cur)
		next := c.profiles[src.value]
		if next == cur && hasStaticKeys(cur) {
			return Chain{}, &UnsupportedSourceError{Profile: profile, Chain: names, Source: "its own static keys", Location: src.loc}
		}
		if visited[next.Name] {
			return Chain{}, &ValidationError{Profile: profile, Problem: loopProblem(next)}
		}
		steps = append(steps, step)
		cur = next
	}

	var s SSO
	if len(steps) == 0 {
		s, err = c.resolveSSO(profile)
	} else if !hasSSOKeys(cur) {
		return Chain{}, &UnsupportedSourceError{Profile: profile, Chain: names, Source: sourceKind(cur).describe(), Location: cur.header}
	} else {
		s, err = c.resolveSSO(cur.Name)
	}
	if err != nil {
		return Chain{}, err
	}
	for i, j := 0, len(steps)-1; i < j; i, j = i+1, j-1 {
		steps[i], steps[j] = steps[j], steps[i]
	}
	s.Endpoints = c.Endpoints(profile, s.Region, getenv)
	s.CABundle = c.caBundle(profile, getenv)
	if s.TokenStorage, err = c.tokenStorage(s, getenv); err != nil {
		return Chain{}, err
	}
	ch := Chain{Profile: profile, SSO: s, Steps: steps}
	ch.ProfileRegion, _ = p.Get(KeyRegion)
	if len(steps) > 0 {
		if ch.STSRegion, err = c.stsForChain(p, &ch.SSO.Endpoints, getenv); err != nil {
			return Chain{}, err
		}
	}
	return ch, nil
}

// assumeRoleStep reads p's assume-role settings, already checked by
// roleSettingProblems. Empty values count as unset: STS refuses them, and
// both SDKs treat an empty role_session_name as none.
func assumeRoleStep(p *Profile) AssumeRole {
	get := func(k string) string { v, _ := p.Get(k); return v }
	step := AssumeRole{
		Profile:         p.Name,
		RoleARN:         get(KeyRoleARN),
		RoleSessionName: get(KeyRoleSessionName),
		ExternalID:      get(KeyExternalID),
		MFASerial:       get(KeyMFASerial),
	}
	if v, ok := p.Get(KeyDurationSeconds); ok {
		step.DurationSeconds, _ = durationSeconds(v)
	}
	return step
}

// durationSeconds reads duration_seconds as botocore does (Python's int():
// an optional sign, decimal digits, leading zeros allowed). Whether STS
// takes the number (900 seconds to the role's maximum) is for STS to say.
func durationSeconds(v string) (int, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 32)
	if err != nil {
		return 0, fmt.Errorf("is not a whole number of seconds")
	}
	return int(n), nil
}

func hasSSOKeys(p *Profile) bool {
	for _, k := range ssoProfileKeys {
		if p.has(k) {
			return true
		}
	}
	return false
}

// sourceKind is what a source profile that is not an SSO profile gives
// instead, in the order of botocore's providers.
func sourceKind(p *Profile) Kind {
	switch {
	case hasStaticKeys(p):
		return KindStatic
	case p.has(KeyCredentialProcess):
		return KindProcess
	}
	return KindOther
}

// stsForChain sets e.STS to where the chain's AssumeRole calls go, unless
// the user configured it, and returns the region they are signed for.
func (c *Config) stsForChain(p *Profile, e *Endpoints, getenv func(string) string) (string, error) {
	region := getenv(EnvRegion)
	if region == "" {
		region = getenv(EnvDefaultRegion)
	}
	if region == "" {
		region, _ = p.Get(KeyRegion)
	}
	mode := getenv(EnvSTSRegionalEndpoints)
	if mode == "" {
		mode, _ = p.Get(KeySTSRegionalEndpoints)
	}
	switch mode {
	case "", "regional", "legacy":
	default:
		loc, _ := p.KeyLocation(KeySTSRegionalEndpoints)
		if getenv(EnvSTSRegionalEndpoints) != "" {
			loc = Location{File: "$" + EnvSTSRegionalEndpoints}
		}
		return "", &ValidationError{Profile: p.Name, Problem: Problem{Location: loc,
			Message: fmt.Sprintf("STS regional endpoints option %q is invalid", mode),
			Fix:     `use "regional" (the default) or "legacy"`}}
	}
	signing := region
	if region == "" || mode == "legacy" && legacyGlobalSTS(region) {
		region, signing = "aws-global", "us-east-1"
	}
	if !e.Custom.STS {
		e.STS = resolveSTS(region, e.UseFIPS, e.UseDualStack)
	}
	return signing, nil
}

// legacyGlobalSTS reports the regions whose STS calls went to the global
// endpoint before regional endpoints became the default (botocore's
// LEGACY_GLOBAL_STS_REGIONS).
func legacyGlobalSTS(region string) bool {
	switch region {
	case "ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
		"aws-global", "ca-central-1", "eu-central-1", "eu-north-1",
		"eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1",
		"us-east-1", "us-east-2", "us-west-1", "us-west-2":
		return true
	}
	return false
}
