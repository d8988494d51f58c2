package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/google/renameio/v2"
	"github.com/spf13/cobra"

	"github.com/gridwork/gridsync/internal/engine"
	"github.com/gridwork/gridsync/internal/views"
	"github.com/gridwork/gridsync/plan"
)

type planOptions struct {
	out              string
	json             bool
	detailedExitcode bool
	companies        []string
}

func newPlanCmd(g *globals) *cobra.Command {
	o := &planOptions{}
	cmd := &cobra.Command{
		Use:   "plan [-chdir DIR] [-out FILE] [-json] [-detailed-exitcode] [-company SLUG]... [-no-color]",
		Short: "Show what a sync would change in the Gridwork database",
		Long: `Plan reads the configuration, Personio and the Gridwork database, and prints
which companies, locations, employees and jobs a sync would create, update,
unlink or remove. It writes nothing (except the plan file with -out).

Exit codes: 0 success; 1 error; with -detailed-exitcode, 0 means no changes
and 2 means there are changes.`,
		Args: cobra.NoArgs,
		RunE: runs(g, o, runPlan),
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "", "save the plan to `FILE`, for gridsync apply FILE")
	f.BoolVar(&o.json, "json", false, "print the plan as JSON (format_version 1.0)")
	f.BoolVar(&o.detailedExitcode, "detailed-exitcode", false, "exit 2 when there are changes, 0 when there are none")
	f.StringArrayVar(&o.companies, "company", nil, "plan only this company (repeatable); records of companies that left the configuration are then left alone")
	return cmd
}

func runPlan(ctx context.Context, g *globals, o *planOptions) error {
	view := views.NewPlan(o.json, g.view)
	// Reading Personio takes minutes on a large tenant: find out first
	// whether the plan can be saved at all.
	if o.out != "" {
		if err := checkWritable(g.path(o.out)); err != nil {
			return err
		}
	}
	cfg, st, err := openTarget(ctx, g)
	if err != nil {
		return err
	}
	defer st.Close()

	planned, diags, err := newRunner(g).Plan(ctx, cfg, st, engine.PlanOptions{Companies: o.companies})
	if err != nil {
		return err
	}
	if err := reportDiagnostics(g, cfg.Files, diags); err != nil {
		return err
	}
	p := planned.Plan
	if err := view.Plan(p); err != nil {
		return err
	}
	if gerr := engine.CheckGuard(p, planned.State, false); gerr != nil {
		view.GuardWarning(gerr)
	}
	if o.out != "" {
		if err := plan.WriteFile(g.path(o.out), p); err != nil {
			return fmt.Errorf("saving the plan: %w", err)
		}
		view.Saved(o.out)
	}
	view.Timings(planned.Timings.String())
	if o.detailedExitcode && len(p.Changes) > 0 {
		return exitCode(2)
	}
	return nil
}

// checkWritable makes sure a plan file can be saved at path the way
// plan.WriteFile saves it (a temporary file in the same directory, renamed
// over path), without leaving anything behind.
func checkWritable(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("cannot save the plan to %s: it is a directory; give -out a file name", path)
	}
	f, err := renameio.NewPendingFile(path)
	// The temporary file's name in an *fs.PathError means nothing to the
	// user.
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if err != nil {
		return fmt.Errorf("cannot save the plan to %s (checked before reading Personio): %w; give -out a path in a writable directory", path, err)
	}
	return f.Cleanup()
}
