package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/gridwork/gridsync/internal/views"
	"github.com/gridwork/gridsync/internal/words"
)

type statusOptions struct {
	json   bool
	maxAge time.Duration
}

func newStatusCmd(g *globals) *cobra.Command {
	o := &statusOptions{}
	cmd := &cobra.Command{
		Use:   "status [-chdir DIR] [-json] [-max-age DUR]",
		Short: "Show the last sync per company and kind",
		Long: `Status lists every configured company with, for employees and jobs, whether
syncing is on, when it last synced (succeeded), when a run last tried and with
which outcome (succeeded, refused or failed) and why, and how many Gridwork
records are linked to Personio.

With -max-age DUR, status exits 1 when an enabled company/kind has not
synced successfully within DUR (or never), naming each on stderr: for cron
monitors and alerting.`,
		Args: cobra.NoArgs,
		RunE: runs(g, o, runStatus),
	}
	cmd.Flags().BoolVar(&o.json, "json", false, "print machine-readable JSON")
	cmd.Flags().DurationVar(&o.maxAge, "max-age", 0, "exit 1 when an enabled company/kind has not synced successfully within `DUR` (e.g. 2h)")
	return cmd
}

func runStatus(ctx context.Context, g *globals, o *statusOptions) error {
	if o.maxAge < 0 {
		return fmt.Errorf("-max-age must be a positive duration such as 2h, not %s", o.maxAge)
	}
	view := views.NewStatus(o.json, g.view)
	cfg, s, err := openTarget(ctx, g)
	if err != nil {
		return err
	}
	defer s.Close()

	slugs := make([]string, len(cfg.Companies))
	for i, c := range cfg.Companies {
		slugs[i] = c.Slug
	}
	if len(slugs) == 0 {
		view.NoCompanies()
		return nil
	}
	st, err := s.Status(ctx, slugs)
	if err != nil {
		return err
	}
	rows := views.StatusRows(cfg, st)
	if err := view.Status(rows); err != nil || o.maxAge == 0 {
		return err
	}
	if stale := view.Stale(rows, o.maxAge, time.Now()); stale > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%s not synced successfully within %s", words.Count(stale, "company kind", "company kinds"), o.maxAge)}
	}
	return nil
}
