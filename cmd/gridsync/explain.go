package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/gridwork/gridsync/internal/engine"
	"github.com/gridwork/gridsync/internal/views"
	"github.com/gridwork/gridsync/plan"
)

type explainOptions struct {
	json bool
	// what and id are the arguments: employee or job, and its Personio id.
	what, id string
}

func newExplainCmd(g *globals) *cobra.Command {
	o := &explainOptions{}
	cmd := &cobra.Command{
		Use:   "explain [-chdir DIR] [-json] employee|job ID",
		Short: "Tell why one employee or job is, or is not, synced",
		Long: `Explain tells one record's story in plain sentences: what Personio says about
it (name, office, status), which company and location its office maps to (or
that none does, and where a mapping would go), whether its kind is synced for
that company and where that toggle comes from, whether the status filter
keeps it, which Gridwork rows it concerns (linked, adoptable by email,
unlinked, none), what the next plan does with it, and its address, such as
employee.acme[1042].

It reads the record alone from Personio: the employee by id, or the job feed.
Without a reachable database it explains the Personio and configuration side
and says that Gridwork was not read. It writes nothing.

Exit status: 0 when explained; 1 when Personio does not know the id (the
story still says what Gridwork holds of it) or on an error.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return fmt.Errorf("explain takes what and an id, such as: gridsync explain employee 1042; see %q", cmd.CommandPath()+" -h")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.what, o.id = args[0], args[1]
			return runExplain(cmd.Context(), g, o)
		},
	}
	cmd.Flags().BoolVar(&o.json, "json", false, `print the explanation as JSON (format_version "1")`)
	return cmd
}

func runExplain(ctx context.Context, g *globals, o *explainOptions) error {
	var typ plan.Type
	switch o.what {
	case "employee", "employees":
		typ = plan.TypeEmployee
	case "job", "jobs":
		typ = plan.TypeJob
	default:
		return fmt.Errorf("cannot explain %q: say employee or job, such as: gridsync explain employee 1042", o.what)
	}
	id, err := strconv.ParseInt(o.id, 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("%q is not a Personio %s id: give the number Personio shows, such as 1042", o.id, typ)
	}
	cfg, err := loadConfig(g)
	if err != nil {
		return err
	}
	// Gridwork is optional: without it the story tells the Personio and
	// configuration side and says why Gridwork was not read.
	st, err := openStore(ctx, g, cfg, true)
	if err == nil {
		defer st.Close()
	}
	ex, err := newRunner(g).Explain(ctx, cfg, engine.ExplainOptions{Type: typ, ID: id, Store: st, StoreErr: err})
	if err != nil {
		return err
	}
	if err := views.NewExplain(o.json, g.view).Explanation(ex); err != nil {
		return err
	}
	switch {
	case ex.Found:
		return nil
	case typ == plan.TypeJob:
		return &exitError{code: 1, err: fmt.Errorf("Personio's job feed has no position %d (the feed lists published positions only)", id)}
	}
	return &exitError{code: 1, err: fmt.Errorf("Personio has no employee %d", id)}
}
