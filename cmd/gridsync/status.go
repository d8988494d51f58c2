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

// statusFormatVersion versions the -json output of status. 1.1 added the
// last attempt (last_attempt_at, last_outcome, last_error).
const statusFormatVersion = "1.1"

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
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStatus(cmd, g, o)
		},
	}
	cmd.Flags().BoolVar(&o.json, "json", false, "print machine-readable JSON")
	cmd.Flags().DurationVar(&o.maxAge, "max-age", 0, "exit 1 when an enabled company/kind has not synced successfully within `DUR` (e.g. 2h)")
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
	// The last run that tried, whatever came of it.
	LastAttemptAt    *time.Time `json:"last_attempt_at"`
	LastAttemptRunID *int64     `json:"last_attempt_run_id"`
	LastOutcome      *string    `json:"last_outcome"`
	LastError        string     `json:"last_error"`
	Linked           int64      `json:"linked_records"`
}

func runStatus(cmd *cobra.Command, g *globals, o *statusOptions) error {
	if o.maxAge < 0 {
		return fmt.Errorf("-max-age must be a positive duration such as 2h, not %s", o.maxAge)
	}
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
		err = enc.Encode(struct {
			FormatVersion string       `json:"format_version"`
			Companies     []statusJSON `json:"companies"`
		}{statusFormatVersion, rows})
	} else {
		err = writeStatusTable(g.Out, rows)
	}
	if err != nil || o.maxAge == 0 {
		return err
	}
	return checkMaxAge(g, rows, o.maxAge, time.Now())
}

// checkMaxAge names, on stderr, each enabled company/kind whose last
// successful sync is older than maxAge, or that never synced, and then
// returns exit code 1.
func checkMaxAge(g *globals, rows []statusJSON, maxAge time.Duration, now time.Time) error {
	stale := 0
	for _, r := range rows {
		if !r.Enabled {
			continue
		}
		var why string
		switch {
		case r.LastSyncedAt == nil:
			why = "has never synced"
		case now.Sub(*r.LastSyncedAt) > maxAge:
			why = fmt.Sprintf("last synced %s ago, at %s", now.Sub(*r.LastSyncedAt).Round(time.Second), r.LastSyncedAt.Format(timeLayout))
		default:
			continue
		}
		if r.LastOutcome != nil && *r.LastOutcome != string(store.Succeeded) {
			why += fmt.Sprintf("; the last attempt %s at %s: %s", *r.LastOutcome, r.LastAttemptAt.Format(timeLayout), oneLine(r.LastError, 300))
		}
		fmt.Fprintf(g.Err, "%s %s %s (-max-age %s)\n", r.Company, r.Kind, why, maxAge)
		stale++
	}
	if stale == 0 {
		return nil
	}
	fmt.Fprintf(g.Err, "Error: %s not synced successfully within %s\n", countNoun(stale, "company kind", "company kinds"), maxAge)
	return exitCode(1)
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
		if c.LastAttemptAt != nil {
			t := c.LastAttemptAt.UTC()
			r.LastAttemptAt = &t
			outcome := c.LastOutcome
			r.LastOutcome = &outcome
			r.LastError = c.LastError
		}
		if c.LastAttemptRunID != 0 {
			id := c.LastAttemptRunID
			r.LastAttemptRunID = &id
		}
		rows = append(rows, r)
	}
	return rows
}

func writeStatusTable(w io.Writer, rows []statusJSON) error {
	withError := false
	for _, r := range rows {
		withError = withError || r.LastError != ""
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := "COMPANY\tKIND\tSYNC\tLAST SYNCED\tRUN\tLAST ATTEMPT\tOUTCOME\tLINKED"
	if withError {
		header += "\tREASON"
	}
	fmt.Fprintln(tw, header)
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
		attempt, outcome := "-", "-"
		if r.LastAttemptAt != nil {
			attempt, outcome = r.LastAttemptAt.Format(timeLayout), *r.LastOutcome
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d", r.Company, r.Kind, sync, last, run, attempt, outcome, r.Linked)
		if withError {
			fmt.Fprintf(tw, "\t%s", orDash(oneLine(r.LastError, 100)))
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// timeLayout is how status and history print times (always UTC, so that
// output does not depend on the machine).
const timeLayout = "2006-01-02 15:04:05 UTC"
