package main

import (
	"context"
	"log/slog"

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
// factory does: each field left nil makes the real thing, and the tests
// of a command set fakes (an in-memory Store, the credentials of a
// simulated Personio) to run it without PostgreSQL or SOPS keys.
type factory struct {
	// openStore connects to the Gridwork database at url.
	openStore func(ctx context.Context, url string, log *slog.Logger) (Store, error)
	// credentials gives the Personio credentials of cfg; nil decrypts
	// its SOPS file.
	credentials func(cfg *config.Config) (personio.Credentials, error)
	// personioOptions, when set, adjusts every Personio client (tests
	// shorten its backoffs).
	personioOptions func(*personio.Options)
}

// personioCredentials gives the Personio credentials of cfg.
func (f factory) personioCredentials(cfg *config.Config) (personio.Credentials, error) {
	if f.credentials != nil {
		return f.credentials(cfg)
	}
	return engine.Credentials(cfg)
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
	var s Store
	if g.openStore != nil {
		s, err = g.openStore(ctx, u, g.logger)
	} else {
		s, err = openPostgres(ctx, u, g.logger)
	}
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

// openPostgres opens the real store; an error comes with no Store (not a
// nil *store.Store inside one).
func openPostgres(ctx context.Context, url string, log *slog.Logger) (Store, error) {
	s, err := store.Open(ctx, url, log)
	if err != nil {
		return nil, err
	}
	return s, nil
}
