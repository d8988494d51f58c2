package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/hashicorp/hcl/v2"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/engine"
	"github.com/gridwork/gridsync/internal/personio"
	"github.com/gridwork/gridsync/internal/store"
	"github.com/gridwork/gridsync/internal/views"
)

// Store is the Gridwork database as the commands use it: what the engine
// reads and writes, and the status, the sync log and the schema the
// commands read themselves. *store.Store is the real one.
type Store interface {
	engine.Target
	Status(ctx context.Context, companies []string) ([]store.CompanyStatus, error)
	History(ctx context.Context, limit int) ([]store.Run, error)
	Migrate(ctx context.Context) (from, to int32, err error)
	CheckSchema(ctx context.Context) error
	Where() string
	Close()
}

// factory makes what the commands reach the outside through, as cli/cli's
// factory does: each field left nil makes the real thing (see defaults),
// and the tests of a command set fakes (an in-memory Store, the
// credentials of a simulated Personio) to run it without PostgreSQL or
// SOPS keys.
type factory struct {
	// openStore connects to the Gridwork database at url.
	openStore func(ctx context.Context, url string, log *slog.Logger) (Store, error)
	// credentials gives the Personio credentials of cfg.
	credentials func(cfg *config.Config) (personio.Credentials, error)
	// personioOptions, when set, adjusts every Personio client (tests
	// shorten its backoffs).
	personioOptions func(*personio.Options)
}

// defaults sets the fields left nil to the real things: PostgreSQL, and
// the credentials decrypted from cfg's SOPS file.
func (f *factory) defaults() {
	if f.openStore == nil {
		// On an error, openStore below returns no Store at all, not a nil
		// *store.Store inside one.
		f.openStore = func(ctx context.Context, url string, log *slog.Logger) (Store, error) {
			return store.Open(ctx, url, log)
		}
	}
	if f.credentials == nil {
		f.credentials = engine.Credentials
	}
}

// newRunner builds the engine runner for a command: Personio through the
// factory, progress on stderr, live on a terminal.
func newRunner(g *globals) *engine.Runner {
	return &engine.Runner{
		Logger:          g.logger,
		Progress:        g.Err,
		LiveProgress:    views.IsTerminal(g.Err),
		PersonioOptions: g.personioOptions,
		Credentials:     g.credentials,
	}
}

// openStore connects to the configured Gridwork database and, unless it is
// for migrate, checks that its schema is the one this gridsync needs.
func openStore(ctx context.Context, g *globals, cfg *config.Config, checkSchema bool) (Store, error) {
	u, err := databaseURL(g, cfg)
	if err != nil {
		return nil, err
	}
	s, err := g.openStore(ctx, u, g.logger)
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

// databaseURLEnv overrides target.database_url.
const databaseURLEnv = "GRIDWORK_DATABASE_URL"

// databaseURL returns the Gridwork database URL: GRIDWORK_DATABASE_URL when
// set, else target.database_url of cfg. The loader does not fail on an
// unset variable read by target.database_url, so that validate runs
// without secrets; this is where that becomes an error.
func databaseURL(g *globals, cfg *config.Config) (string, error) {
	if u := g.getenv(databaseURLEnv); u != "" {
		return u, nil
	}
	if err := cfg.Target.DatabaseURLErr(); err != nil {
		return "", err
	}
	if cfg.Target.DatabaseURL != "" {
		return cfg.Target.DatabaseURL, nil
	}
	return "", errors.New("no Gridwork database configured: set database_url in the target block of the configuration, or the " + databaseURLEnv + " environment variable")
}

// loadConfig loads the configuration directory for the commands that act
// on it. Diagnostics go to stderr; on errors it returns exitCode(1), since
// they have been printed already.
func loadConfig(g *globals) (*config.Config, error) {
	cfg, diags := config.Loader{Getenv: g.getenv}.Load(g.configDir())
	return cfg, reportDiagnostics(g, cfg.Files, diags)
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
	return cfg, st, err
}
