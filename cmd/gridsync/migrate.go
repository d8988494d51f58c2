package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

func newMigrateCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Bring the Gridwork database schema up to date",
		Long: `Migrate creates or upgrades gridsync's tables in the Gridwork database
(companies, locations, employees, jobs, the sync log) to the version this
gridsync needs. It is safe to run repeatedly; plan and apply refuse to run
against a schema that is behind.

The database is target.database_url, overridden by GRIDWORK_DATABASE_URL.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMigrate(cmd.Context(), g)
		},
	}
}

func runMigrate(ctx context.Context, g *globals) error {
	cfg, err := loadConfig(g)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, g, cfg, false)
	if err != nil {
		return err
	}
	defer s.Close()
	from, to, err := s.Migrate(ctx)
	if err != nil {
		return err
	}
	if from == to {
		fmt.Fprintf(g.Out, "The Gridwork database at %s is up to date (schema version %d).\n", s.Where(), to)
	} else {
		fmt.Fprintf(g.Out, "Migrated the Gridwork database at %s from schema version %d to %d.\n", s.Where(), from, to)
	}
	return nil
}
