package status

import (
	"fmt"

	"github.com/ssokit/ssokit/config"
	"github.com/ssokit/ssokit/internal/cmdutil"
)

// loadConfig stands in for cmdutil.LoadConfig until it lands.
func loadConfig(f *cmdutil.Factory) (*config.Config, config.Paths, error) {
	home, err := f.HomeDir()
	if err != nil {
		return nil, config.Paths{}, fmt.Errorf("find your home folder: %w", err)
	}
	paths := config.DefaultPaths(f.Getenv, home)
	cfg, err := config.Load(paths)
	return cfg, paths, err
}
