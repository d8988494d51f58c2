package views

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/gridwork/gridsync/internal/engine"
	"github.com/gridwork/gridsync/internal/store"
	"github.com/gridwork/gridsync/plan"
)

// Sync is the view of sync: NewSync for one run, NewSyncLog for the runs
// of sync -every.
type Sync interface {
	// Show is what a run shows once it holds the lock: the build's
	// warnings, the timings with -v, and (one run only) the plan it
	// applies.
	Show(files map[string]*hcl.File, w *engine.Written) error
	// Ran reports a run that ended: what it applied (one run only), each
	// refused company with how to proceed, jobs that were not synced, and
	// the run's log line (one run: with -v only).
	Ran(r SyncRun)
}

// SyncRun is one run of sync.
type SyncRun struct {
	// Written is the run's plan and outcome; nil when it failed before it
	// had a plan.
	Written  *engine.Written
	Err      error
	Duration time.Duration
}

// NewSync returns the view of one sync run.
func NewSync(v *View) Sync { return &syncHuman{Apply{v}} }

// NewSyncLog returns the view of sync -every: no plans, one log line per
// run on stderr.
func NewSyncLog(v *View) *SyncLog {
	return &SyncLog{View: v, log: slog.New(slog.NewTextHandler(v.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))}
}

// syncHuman shows the plan it applies as apply does.
type syncHuman struct{ Apply }

func (v *syncHuman) Ran(r SyncRun) {
	if r.Err == nil {
		w := r.Written
		verb := "Sync complete!"
		if len(w.Refusals) > 0 {
			verb = fmt.Sprintf("Sync complete, except for %s (refused, see below)!", strings.Join(engine.RefusedCompanies(w.Refusals), ", "))
		}
		v.complete(verb, w.Applied.Summary, w.Result.RunID)
		v.refusals(w)
	}
	if v.verbose {
		logRun(slog.New(slog.NewTextHandler(v.stderr, &slog.HandlerOptions{Level: slog.LevelInfo})), r)
	}
}

// SyncLog is the view of sync -every.
type SyncLog struct {
	*View
	log *slog.Logger
}

// Started logs the start of the schedule.
func (v *SyncLog) Started(every time.Duration, dir string) {
	v.log.Info("syncing on a schedule", "every", every, "dir", dir)
}

// Stopped logs the end of the schedule, and why.
func (v *SyncLog) Stopped(cause error) { v.log.Info("stopped", "reason", cause) }

// Show writes the build's warnings and the timings with -v.
func (v *SyncLog) Show(files map[string]*hcl.File, w *engine.Written) error {
	if err := v.Diagnostics(files, w.Diags); err != nil {
		return err
	}
	v.Timings(w.Planned.Timings.String())
	return nil
}

func (v *SyncLog) Ran(r SyncRun) {
	if r.Err == nil {
		v.refusals(r.Written)
	}
	logRun(v.log, r)
}

// complete says what a write did (verb: "Apply complete!") and under which
// run the sync log records it.
func (v *View) complete(verb string, s plan.Summary, runID int64) {
	fmt.Fprintf(v.stdout, "\n%s Resources: %d added, %d changed, %d unlinked, %d destroyed.\n", verb, s.Add, s.Change, s.Unlink, s.Destroy)
	fmt.Fprintf(v.stdout, "Recorded as sync run %d.\n", runID)
}

// refusals explains on stderr each company the guard refused (why, what
// it would have done, how to proceed) and warns when jobs were not synced.
func (v *View) refusals(w *engine.Written) {
	would := map[string]plan.Summary{}
	for _, s := range w.Planned.Plan.CompanySummaries() {
		would[s.Company] = s.Summary
	}
	for _, rf := range w.Refusals {
		fmt.Fprintf(v.stderr, "\nRefused company %s (deletion guard): nothing of it was written.\n", rf.Company)
		fmt.Fprintf(v.stderr, "  Why: %s.\n", rf.Reason())
		fmt.Fprintf(v.stderr, "  It would have made: %s\n", would[rf.Company].Counts())
		fmt.Fprintf(v.stderr, "  To proceed, check Personio and the configuration. If the change is intended, review it and apply it:\n")
		// A company that left the configuration is planned only by a plan
		// of every company; -company would not know it.
		filter, file := "-company "+rf.Company+" ", rf.Company+".plan"
		if !slices.ContainsFunc(w.Planned.Plan.Scope, func(s plan.Scope) bool { return s.Company == rf.Company }) {
			filter, file = "", "reviewed.plan"
		}
		fmt.Fprintf(v.stderr, "    %s\n", v.Command("plan", filter+"-out "+file))
		fmt.Fprintf(v.stderr, "    %s\n", v.Command("apply", "-allow-mass-delete "+file))
	}
	if w.Applied.JobsUnavailable != "" {
		fmt.Fprintf(v.stderr, "\nWarning: jobs were not synced, linked jobs were left untouched: %s\n", w.Applied.JobsUnavailable)
	}
}

// logRun writes a run's one log line: outcome, run id, duration, Personio
// requests, rows written, changes per company (or "refused"), and the
// error of a failed run.
func logRun(log *slog.Logger, r SyncRun) {
	attrs := []any{"outcome", string(store.Failed), "duration", r.Duration.Round(time.Millisecond)}
	var rec *engine.RecordedError
	switch {
	case r.Err == nil:
		attrs[1] = string(r.Written.Outcome())
		attrs = append(attrs, "run", r.Written.Result.RunID, "rows", r.Written.Result.RowsWritten)
	case errors.As(r.Err, &rec):
		attrs = append(attrs, "run", rec.RunID)
	}
	if r.Written != nil {
		attrs = append(attrs, "personio_requests", r.Written.Planned.PersonioRequests, companyCounts(r.Written))
	}
	switch {
	case r.Err != nil:
		log.Warn("sync run", append(attrs, "error", store.OneLine(r.Err.Error()))...)
	case len(r.Written.Refusals) > 0:
		log.Warn("sync run", attrs...)
	default:
		log.Info("sync run", attrs...)
	}
}

// companyCounts is the per-company part of a run's log line:
// companies.acme="1 to add, …" or "refused".
func companyCounts(w *engine.Written) slog.Attr {
	counts := map[string]string{}
	for _, s := range w.Applied.CompanySummaries() {
		counts[s.Company] = s.Counts()
	}
	// Applied has no refused company; each is named, one that left the
	// configuration too.
	for _, rf := range w.Refusals {
		counts[rf.Company] = "refused"
	}
	var attrs []any
	for _, c := range slices.Sorted(maps.Keys(counts)) {
		attrs = append(attrs, slog.String(c, counts[c]))
	}
	return slog.Group("companies", attrs...)
}

// Apply is the view of apply. It has one form: apply is for people (a
// pipeline runs sync, or apply -auto-approve and reads the sync log).
type Apply struct{ *View }

// NewApply returns the view of apply.
func NewApply(v *View) *Apply { return &Apply{v} }

// Show is what apply shows once it holds the lock: the build's warnings,
// the timings with -v, and the plan it is about to carry out.
func (v *Apply) Show(files map[string]*hcl.File, w *engine.Written) error {
	if err := v.Diagnostics(files, w.Diags); err != nil {
		return err
	}
	v.Timings(w.Planned.Timings.String())
	return plan.RenderText(v.stdout, w.Applied, plan.TextOptions{Color: v.color})
}

// Prompt asks Terraform's question.
func (v *Apply) Prompt() {
	fmt.Fprint(v.stdout, "\nDo you want to perform these actions?\n"+
		"  gridsync will perform the actions described above.\n"+
		"  Only 'yes' will be accepted to approve.\n\n"+
		"  Enter a value: ")
}

// PromptInterrupted ends the prompt's line when Ctrl-C cancelled it.
func (v *Apply) PromptInterrupted() { fmt.Fprintln(v.stdout) }

// Cancelled says that the answer was not yes.
func (v *Apply) Cancelled() { fmt.Fprintln(v.stdout, "\nApply cancelled.") }

// Complete says what the apply did and under which run the sync log
// records it; with -v, how long the write took.
func (v *Apply) Complete(s plan.Summary, res *store.Result) {
	v.complete("Apply complete!", s, res.RunID)
	v.Timings(fmt.Sprintf("write %s (%d rows)", res.Duration.Round(time.Millisecond), res.RowsWritten))
}
