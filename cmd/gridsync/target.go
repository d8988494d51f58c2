package main

import (
	"context"
	"errors"

	"github.com/hashicorp/hcl/v2"

	"github.com/gridwork/gridsync/config"
)

// databaseURLEnv overrides target.database_url.
const databaseURLEnv = "GRIDWORK_DATABASE_URL"

// databaseURL returns the Gridwork database URL: GRIDWORK_DATABASE_URL when
// set, else target.database_url of cfg (which may be nil). The loader does
// not fail on an unset variable read by target.database_url, so that
// validate runs without secrets; this is where that becomes an error.
func databaseURL(g *globals, cfg *config.Config) (string, error) {
	if u := g.getenv(databaseURLEnv); u != "" {
		return u, nil
	}
	if cfg != nil {
		if err := cfg.Target.DatabaseURLErr(); err != nil {
			return "", err
		}
		if cfg.Target.DatabaseURL != "" {
			return cfg.Target.DatabaseURL, nil
		}
	}
	return "", errors.New("no Gridwork database configured: set database_url in the target block of the configuration, or the " + databaseURLEnv + " environment variable")
}

// loadConfig loads the configuration directory for the commands that act
// on it. Diagnostics go to stderr; on errors it returns exitCode(1), since
// they have been printed already.
func loadConfig(g *globals) (*config.Config, error) {
	cfg, diags := config.Loader{Getenv: g.getenv}.Load(g.configDir())
	if err := reportDiagnostics(g, cfg.Files, diags); err != nil {
		return nil, err
	}
	return cfg, nil
}

// reportDiagnostics prints diags (with source snippets) to stderr and
// returns exitCode(1) when any of them is an error.
func reportDiagnostics(g *globals, files map[string]*hcl.File, diags hcl.Diagnostics) error {
	if err := g.view.Diagnostics(files, diags); err != nil {
		return err
	}
	if diags.HasErrors() {
		return exitCode(1)
	}
	return nil
}

// openTarget loads the configuration and opens the Gridwork database with
// its schema checked: the start of every command that reads or writes it.
func openTarget(ctx context.Context, g *globals) (*config.Config, Store, error) {
	cfg, err := loadConfig(g)
	if err != nil {
		return nil, nil, err
	}
	st, err := openStore(ctx, g, cfg, true)
	if err != nil {
		return nil, nil, err
	}
	return cfg, st, nil
}
