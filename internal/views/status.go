package views

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/store"
)

// statusFormatVersion versions the -json output of status. 1.1 added the
// last attempt (last_attempt_at, last_outcome, last_error).
const statusFormatVersion = "1.1"

// timeLayout is how status and history print times (always UTC, so that
// output does not depend on the machine).
const timeLayout = "2006-01-02 15:04:05 UTC"

// Status is the view of status.
type Status interface {
	// NoCompanies says that the configuration declares no company.
	NoCompanies()
	// Status lists every company and kind.
	Status(rows []StatusRow) error
	// Stale names on stderr each enabled company and kind that has not
	// synced successfully within maxAge of now (or never), and returns
	// how many it named.
	Stale(rows []StatusRow, maxAge time.Duration, now time.Time) int
}

// NewStatus returns the status view for people, or the JSON one when json (-json) is set.
func NewStatus(json bool, v *View) Status {
	if json {
		return &statusJSON{statusHuman{v}}
	}
	return &statusHuman{v}
}

// StatusRow is one company and kind, as status -json prints it: the
// database's status with the configuration's toggle, which the next
// apply uses.
type StatusRow struct {
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

// StatusRows joins the database's status with cfg's toggles.
func StatusRows(cfg *config.Config, st []store.CompanyStatus) []StatusRow {
	rows := make([]StatusRow, 0, len(st))
	for _, c := range st {
		r := StatusRow{Company: c.Company, Kind: c.Kind, InDatabase: c.Exists, Linked: c.Linked, LastError: c.LastError}
		if co, ok := cfg.Company(c.Company); ok {
			r.Enabled = co.Enabled(config.Kind(c.Kind))
		}
		r.LastSyncedAt = utc(c.LastSyncedAt)
		r.LastAttemptAt = utc(c.LastAttemptAt)
		if c.LastAttemptAt != nil {
			outcome := c.LastOutcome
			r.LastOutcome = &outcome
		}
		r.LastRunID, r.LastAttemptRunID = runID(c.LastRunID), runID(c.LastAttemptRunID)
		rows = append(rows, r)
	}
	return rows
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func runID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

type statusHuman struct{ *View }

func (v *statusHuman) NoCompanies() { fmt.Fprintln(v.stdout, "No companies are configured.") }

func (v *statusHuman) Status(rows []StatusRow) error {
	reasons := slices.ContainsFunc(rows, func(r StatusRow) bool { return r.LastError != "" })
	tw := newTable(v.stdout, "COMPANY\tKIND\tSYNC\tLAST SYNCED\tRUN\tLAST ATTEMPT\tOUTCOME\tLINKED", reasons)
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
		endRow(tw, reasons, r.LastError)
	}
	return tw.Flush()
}

func (v *statusHuman) Stale(rows []StatusRow, maxAge time.Duration, now time.Time) int {
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
		fmt.Fprintf(v.stderr, "%s %s %s (-max-age %s)\n", r.Company, r.Kind, why, maxAge)
		stale++
	}
	return stale
}

// statusJSON prints the rows as {"format_version", "companies"}; stale
// rows are named on stderr as by the table.
type statusJSON struct{ statusHuman }

func (v *statusJSON) Status(rows []StatusRow) error {
	return writeJSON(v.stdout, struct {
		FormatVersion string      `json:"format_version"`
		Companies     []StatusRow `json:"companies"`
	}{statusFormatVersion, rows})
}

// NoCompanies is an empty list for scripts, still JSON.
func (v *statusJSON) NoCompanies() { _ = v.Status([]StatusRow{}) }
