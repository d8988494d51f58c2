package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/engine"
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
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOffices(cmd.Context(), g, o)
		},
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
	if o.hcl != "" {
		// Before Personio is read, which takes minutes on a large tenant.
		if err := engine.CheckNewCompany(cfg, o.hcl); err != nil {
			return err
		}
	}
	rep, err := newRunner(g).Offices(ctx, cfg)
	if err != nil {
		return err
	}
	if rep.JobsUnavailable != "" {
		fmt.Fprintf(g.Err, "Warning: the job feed could not be read: %s. Open positions are unknown (null in -json), and offices that only the feed names are missing.\n\n", rep.JobsUnavailable)
	}
	if err := warnMappings(g, cfg, rep); err != nil {
		return err
	}

	switch {
	case o.hcl != "":
		out, n, err := engine.StarterCompany(cfg, rep, o.hcl)
		if err != nil {
			return err
		}
		if n == 0 {
			fmt.Fprintln(g.Err, "Every office Personio shows is mapped by a location already: there is nothing to add.")
			return nil
		}
		if _, err := g.Out.Write(out); err != nil {
			return err
		}
		fmt.Fprintf(g.Err, "\n%s for the offices no company maps yet. Save the block as %s.hcl in the configuration directory, set the company's name, drop the locations you do not want, then run:\n  gridsync validate%s && gridsync plan%s\n",
			starterLocations(n), o.hcl, g.chdirFlag(), g.chdirFlag())
		return nil
	case o.json:
		return engine.RenderOfficesJSON(g.Out, rep)
	}
	return engine.RenderOfficesText(g.Out, rep, engine.OfficesTextOptions{
		Color:      g.color(g.Out),
		HCLCommand: "gridsync offices" + g.chdirFlag() + " -hcl SLUG > SLUG.hcl",
	})
}

// warnMappings prints, as warnings, what the next plan would say about the
// configured office mappings given the offices just read: an office
// Personio does not show, an ambiguous name, an office mapped twice.
// The next plan stops at these; offices only lists them.
func warnMappings(g *globals, cfg *config.Config, rep *engine.OfficeReport) error {
	diags, warnings := engine.CheckOffices(cfg, rep)
	for i, d := range diags {
		if d.Severity == hcl.DiagError {
			w := *d
			w.Severity = hcl.DiagWarning
			w.Detail += " plan stops at this until it is fixed."
			diags[i] = &w
		}
	}
	for _, w := range warnings {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: w})
	}
	if len(diags) == 0 {
		return nil
	}
	if err := config.WriteDiagnostics(g.Err, cfg.Files, diags, g.color(g.Err)); err != nil {
		return fmt.Errorf("writing diagnostics: %w", err)
	}
	return nil
}

// starterLocations counts the locations of a starter block: "One
// location", "3 locations".
func starterLocations(n int) string {
	if n == 1 {
		return "One location"
	}
	return fmt.Sprintf("%d locations", n)
}
