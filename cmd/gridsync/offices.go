package main

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/gridwork/gridsync/internal/engine"
	"github.com/gridwork/gridsync/internal/views"
)

type officesOptions struct {
	json bool
	hcl  string // company slug for -hcl; "" lists the offices
}

func newOfficesCmd(g *globals) *cobra.Command {
	o := &officesOptions{}
	cmd := &cobra.Command{
		Use:   "offices [-chdir DIR] [-json] [-hcl SLUG]",
		Short: "List Personio's offices and the locations that map them",
		Long: `Offices reads Personio (the employees and the job feed; no database, no
writes) and lists every office: its Personio id and name, its employees by
status, its open positions in the job feed, and the configured locations that
map it. Offices no location maps are marked "(unmapped)". An office that only
the job feed names has no known id ("?"; null in -json). The employee listing
is counted as it is read, not kept, so memory stays small on a large tenant.

With -json it prints {"format_version":"1","offices":[…]}, described by
schema/offices.schema.json. With -hcl SLUG it prints a company block named
SLUG with a location for every office no company maps yet; save it as a file
in the configuration directory and it validates as it stands.

Exit status: 0 on success, 1 on an error.`,
		Args: cobra.NoArgs,
		RunE: runs(g, o, runOffices),
	}
	f := cmd.Flags()
	f.BoolVar(&o.json, "json", false, `print the offices as JSON (format_version "1")`)
	f.StringVar(&o.hcl, "hcl", "", "print a company block `SLUG` mapping every office no company maps yet")
	return cmd
}

func runOffices(ctx context.Context, g *globals, o *officesOptions) error {
	if o.json && o.hcl != "" {
		return errors.New("-json and -hcl cannot be combined: -hcl prints HCL")
	}
	cfg, err := loadConfig(g)
	if err != nil {
		return err
	}
	view := views.NewOffices(o.json, g.view)
	if o.hcl != "" {
		// Before Personio is read, which takes minutes on a large tenant.
		if err := engine.CheckNewCompany(cfg, o.hcl); err != nil {
			return err
		}
		view = views.NewOfficesHCL(g.view, cfg, o.hcl)
	}
	rep, err := newRunner(g).Offices(ctx, cfg)
	if err != nil {
		return err
	}
	// What the next plan would say about the configured mappings given
	// these offices: plan stops at the errors, offices lists them.
	diags, warnings := engine.CheckOffices(cfg, rep)
	if err := view.Warnings(cfg.Files, rep, diags, warnings); err != nil {
		return err
	}
	return view.Report(rep)
}
