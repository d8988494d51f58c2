package main

import (
	"context"
	"errors"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/store"
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

// loadTargetConfig loads the configuration directory for commands that only
// talk to the Gridwork database. Diagnostics go to stderr; on errors it
// returns exitCode(1), since they have been printed already.
func loadTargetConfig(g *globals) (*config.Config, error) {
	cfg, diags := config.Loader{Getenv: g.getenv}.Load(g.configDir())
	if len(diags) > 0 {
		if err := config.WriteDiagnostics(g.Err, cfg.Files, diags, g.color(g.Err)); err != nil {
			return nil, err
		}
	}
	if diags.HasErrors() {
		return nil, exitCode(1)
	}
	return cfg, nil
}

// openStore connects to the configured Gridwork database and, unless it is
// for migrate, checks that its schema is the one this gridsync needs.
func openStore(ctx context.Context, g *globals, cfg *config.Config, checkSchema bool) (*store.Store, error) {
	u, err := databaseURL(g, cfg)
	if err != nil {
		return nil, err
	}
	s, err := store.Open(ctx, u, g.logger)
	if err != nil {
		return nil, err
	}
	if checkSchema {
		if err := s.CheckSchema(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}
