package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/store"
)

// statusFormatVersion versions the -json output of status.
const statusFormatVersion = "1.0"

type statusOptions struct {
	json bool
}

func newStatusCmd(g *globals) *cobra.Command {
	o := &statusOptions{}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the last sync per company and kind",
		Long: `Status lists every configured company with, for employees and jobs, whether
syncing is on, when it last synced, the run that did it, and how many
Gridwork records are linked to Personio.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStatus(cmd, g, o)
		},
	}
	cmd.Flags().BoolVar(&o.json, "json", false, "print machine-readable JSON")
	return cmd
}

// statusJSON is one row of status -json.
type statusJSON struct {
	Company      string     `json:"company"`
	Kind         string     `json:"kind"`
	Enabled      bool       `json:"enabled"`
	InDatabase   bool       `json:"in_database"`
	LastSyncedAt *time.Time `json:"last_synced_at"`
	LastRunID    *int64     `json:"last_run_id"`
	Linked       int64      `json:"linked_records"`
}

func runStatus(cmd *cobra.Command, g *globals, o *statusOptions) error {
	ctx := cmd.Context()
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
		fmt.Fprintln(g.Out, "No companies are configured.")
		return nil
	}
	st, err := s.Status(ctx, slugs)
	if err != nil {
		return err
	}
	rows := statusRows(cfg, st)
	if o.json {
		enc := json.NewEncoder(g.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			FormatVersion string       `json:"format_version"`
			Companies     []statusJSON `json:"companies"`
		}{statusFormatVersion, rows})
	}
	return writeStatusTable(g.Out, rows)
}

// statusRows joins the database's status with the configuration's current
// toggles; the toggle shown is the one the next apply will use.
func statusRows(cfg *config.Config, st []store.CompanyStatus) []statusJSON {
	rows := make([]statusJSON, 0, len(st))
	for _, c := range st {
		r := statusJSON{Company: c.Company, Kind: c.Kind, InDatabase: c.Exists, Linked: c.Linked}
		if co, ok := cfg.Company(c.Company); ok {
			r.Enabled = co.Enabled(config.Kind(c.Kind))
		}
		if c.LastSyncedAt != nil {
			t := c.LastSyncedAt.UTC()
			r.LastSyncedAt = &t
		}
		if c.LastRunID != 0 {
			id := c.LastRunID
			r.LastRunID = &id
		}
		rows = append(rows, r)
	}
	return rows
}

func writeStatusTable(w io.Writer, rows []statusJSON) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "COMPANY\tKIND\tSYNC\tLAST SYNCED\tRUN\tLINKED")
	for _, r := range rows {
		sync := "off"
		if r.Enabled {
			sync = "on"
		}
		last := "never"
		if !r.InDatabase {
			last = "never (not in Gridwork yet)"
		}
		if r.LastSyncedAt != nil {
			last = r.LastSyncedAt.Format(timeLayout)
		}
		run := "-"
		if r.LastRunID != nil {
			run = strconv.FormatInt(*r.LastRunID, 10)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", r.Company, r.Kind, sync, last, run, r.Linked)
	}
	return tw.Flush()
}

// timeLayout is how status and history print times (always UTC, so that
// output does not depend on the machine).
const timeLayout = "2006-01-02 15:04:05 UTC"
