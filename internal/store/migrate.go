package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/tern/v2/migrate"

	"github.com/gridwork/gridsync/schema"
)

// versionTable records the schema version. It has its own name so that it
// never collides with a schema_version table of the Gridwork app itself.
const versionTable = "public.gridsync_schema_version"

// SchemaVersion is the schema version this build of gridsync needs: the
// number of embedded migrations.
func SchemaVersion() (int32, error) {
	names, err := migrate.FindMigrations(schema.Migrations())
	if err != nil {
		return 0, fmt.Errorf("reading embedded migrations: %w", err)
	}
	return int32(len(names)), nil
}

// Migrate brings the database schema up to SchemaVersion and reports the
// versions before and after. It refuses a database whose schema is newer.
func (s *Store) Migrate(ctx context.Context) (from, to int32, err error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("cannot connect to the Gridwork database at %s: %w", s.where, err)
	}
	defer conn.Release()

	m, err := migrate.NewMigrator(ctx, conn.Conn(), versionTable)
	if err != nil {
		return 0, 0, fmt.Errorf("preparing schema migrations: %w", err)
	}
	if err := m.LoadMigrations(schema.Migrations()); err != nil {
		return 0, 0, fmt.Errorf("loading embedded migrations: %w", err)
	}
	want := int32(len(m.Migrations))
	from, err = m.GetCurrentVersion(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("reading the schema version: %w", err)
	}
	if from > want {
		return from, from, newerSchema(from, want)
	}
	m.OnStart = func(seq int32, name, direction, _ string) {
		s.logger.Info("migrating", "version", seq, "name", name, "direction", direction)
	}
	if err := m.Migrate(ctx); err != nil {
		var mErr migrate.MigrationPgError
		if errors.As(err, &mErr) {
			return from, 0, fmt.Errorf("migration %s failed: %w", mErr.MigrationName, err)
		}
		return from, 0, fmt.Errorf("migrating the schema: %w", err)
	}
	return from, want, nil
}

// CheckSchema returns an error unless the database schema is exactly at
// SchemaVersion. It never writes: a missing version table means version 0.
func (s *Store) CheckSchema(ctx context.Context) error {
	want, err := SchemaVersion()
	if err != nil {
		return err
	}
	// A missing version table means version 0.
	var exists bool
	if err := s.pool.QueryRow(ctx, "select to_regclass($1) is not null", versionTable).Scan(&exists); err != nil {
		return fmt.Errorf("reading the schema version: %w", err)
	}
	var have int32
	if exists {
		if err := s.pool.QueryRow(ctx, "select version from "+versionTable).Scan(&have); err != nil {
			return fmt.Errorf("reading the schema version: %w", err)
		}
	}
	switch {
	case have < want:
		return fmt.Errorf("the Gridwork database schema is at version %d, gridsync needs %d: run `gridsync migrate`", have, want)
	case have > want:
		return newerSchema(have, want)
	}
	return nil
}

func newerSchema(have, want int32) error {
	return fmt.Errorf("the Gridwork database schema is at version %d, newer than this gridsync knows (%d): a newer gridsync is needed", have, want)
}
