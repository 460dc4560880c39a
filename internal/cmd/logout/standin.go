package logout

import (
	"fmt"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/cmdutil"
)

// loadConfig and resolveTarget stand in for cmdutil.LoadConfig and
// cmdutil.ResolveTarget until they land.
func loadConfig(f *cmdutil.Factory) (*config.Config, config.Paths, error) {
	home, err := f.HomeDir()
	if err != nil {
		return nil, config.Paths{}, fmt.Errorf("find your home folder: %w", err)
	}
	paths := config.DefaultPaths(f.Getenv, home)
	cfg, err := config.Load(paths)
	return cfg, paths, err
}

type standinTarget struct {
	Profile        string
	SSO            config.SSO
	PortalEndpoint string
}

func resolveTarget(f *cmdutil.Factory, cfg *config.Config, profileFlag, sessionFlag string) (*standinTarget, error) {
	t := &standinTarget{}
	var err error
	if sessionFlag != "" {
		t.SSO, err = cfg.ResolveSSOSession(sessionFlag)
	} else {
		t.Profile = config.SelectProfile(profileFlag, f.Getenv)
		t.SSO, err = cfg.ResolveSSO(t.Profile)
	}
	if err != nil {
		return nil, err
	}
	t.PortalEndpoint = cfg.EndpointURL(t.Profile, "sso", f.Getenv)
	return t, nil
}
