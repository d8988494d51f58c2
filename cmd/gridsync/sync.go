package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gridwork/gridsync/internal/engine"
	"github.com/gridwork/gridsync/internal/store"
)

// exitRefused is sync's exit code when the deletion guard refused at least
// one company and the others were applied.
const exitRefused = 4

// defaultSyncLockTimeout is how long sync waits for another writer: an
// unattended run has time, and a writer that waited plans against what the
// other one left.
const defaultSyncLockTimeout = 5 * time.Minute

type syncOptions struct {
	companies   []string
	lockTimeout time.Duration
	every       time.Duration
}

func newSyncCmd(g *globals) *cobra.Command {
	o := &syncOptions{}
	cmd := &cobra.Command{
		Use:   "sync [-chdir DIR] [-company SLUG]... [-lock-timeout DUR] [-every DUR]",
		Short: "Plan and apply without a prompt: the scheduled sync and \"Sync now\"",
		Long: `Sync reads Personio, takes the database's apply lock, plans under it and
applies, all without a prompt: apply's planning, deletion guard and sync log,
for schedules (cron, a systemd timer, a Kubernetes CronJob, GitHub Actions).

A company whose changes the deletion guard refuses (a mass removal or
unlink, a suspicious Personio answer) is skipped: nothing of it is written,
the run records it as refused with the reason, stderr says what it would have
done and how to proceed, and every other company is applied in the same
transaction. There is no -allow-mass-delete: a refusal needs a person, who
reviews it and runs "gridsync apply". A run with nothing to do writes no
data but is recorded, so "gridsync status" tells "ran, nothing to do" from
"did not run". A failed run writes nothing and is recorded as failed.

With -every DUR, sync runs again DUR (plus a little jitter) after each run
ends, until SIGINT or SIGTERM, which end the current run (rolled back, or
committed if it was committing) and exit 0. A failing run is logged and
retried on the next tick. Each run logs one line on stderr.

Exit codes: 0 everything applied or in sync; 1 error, nothing written;
4 at least one company refused, the others applied; 130 / 143 interrupted
by SIGINT / SIGTERM.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSync(cmd.Context(), g, o)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.companies, "company", nil, "sync only this company (repeatable); records of companies that left the configuration are then left alone")
	f.DurationVar(&o.lockTimeout, "lock-timeout", defaultSyncLockTimeout, "how long to wait for another writer's lock; 0 fails at once")
	f.DurationVar(&o.every, "every", 0, "keep running: sync again DUR after each run ends (e.g. 30m), until SIGINT or SIGTERM")
	return cmd
}

func runSync(ctx context.Context, g *globals, o *syncOptions) error {
	switch {
	case o.every < 0:
		return fmt.Errorf("-every must be a positive duration such as 30m, not %s", o.every)
	case o.every > 0:
		return runSyncEvery(ctx, g, o)
	}
	r := syncOnce(ctx, g, o, false)
	if g.verbose {
		logSyncRun(g.logger, r)
	}
	if r.err != nil {
		return r.err
	}
	g.runID = r.w.Result.RunID
	if len(r.w.Refusals) > 0 {
		return exitCode(exitRefused)
	}
	return nil
}

// syncResult is one run of sync.
type syncResult struct {
	w        *engine.Written // nil when the run failed before it had a plan
	err      error
	duration time.Duration
}

// syncOnce runs one sync: it loads the configuration (every run, so that a
// long-running process follows the repository), opens the database and
// syncs. Quiet (a -every loop) prints no plan.
func syncOnce(ctx context.Context, g *globals, o *syncOptions, quiet bool) syncResult {
	start := time.Now()
	cfg, err := loadConfig(g)
	if err != nil {
		return syncResult{err: err, duration: time.Since(start)}
	}
	st, err := openStore(ctx, g, cfg, true)
	if err != nil {
		return syncResult{err: err, duration: time.Since(start)}
	}
	defer st.Close()
	w, err := newRunner(g).Sync(ctx, cfg, st, engine.SyncOptions{
		Companies:   o.companies,
		LockTimeout: o.lockTimeout,
		Audit:       audit(g, cfg, "sync"),
		Waiting:     waiting(g),
		Show: func(w *engine.Written) error {
			if quiet {
				return showPlan(g, cfg, w, nil)
			}
			return showPlan(g, cfg, w, w.Applied)
		},
	})
	r := syncResult{w: w, err: diagnosticsError(g, cfg, err), duration: time.Since(start)}
	if r.err != nil {
		return r
	}
	if !quiet {
		s := w.Applied.Summary
		verb := "Sync complete!"
		if len(w.Refusals) > 0 {
			verb = fmt.Sprintf("Sync complete, except for %s (refused, see below)!", strings.Join(engine.RefusedCompanies(w.Refusals), ", "))
		}
		fmt.Fprintf(g.Out, "\n%s Resources: %d added, %d changed, %d unlinked, %d destroyed.\n", verb, s.Add, s.Change, s.Unlink, s.Destroy)
		fmt.Fprintf(g.Out, "Recorded as sync run %d.\n", w.Result.RunID)
	}
	writeRefusals(g, w)
	if w.Applied.JobsUnavailable != "" {
		fmt.Fprintf(g.Err, "\nWarning: jobs were not synced, linked jobs were left untouched: %s\n", w.Applied.JobsUnavailable)
	}
	return r
}

// writeRefusals explains on stderr each company the guard refused: why,
// what it would have done, and how to proceed.
func writeRefusals(g *globals, w *engine.Written) {
	if len(w.Refusals) == 0 {
		return
	}
	would := engine.CompanySummaries(w.Planned.Plan)
	configured := map[string]bool{}
	for _, sc := range w.Planned.Plan.Scope {
		configured[sc.Company] = true
	}
	for _, rf := range w.Refusals {
		fmt.Fprintf(g.Err, "\nRefused company %s (deletion guard): nothing of it was written.\n", rf.Company)
		fmt.Fprintf(g.Err, "  Why: %s.\n", engine.RefusalReason(rf))
		fmt.Fprintf(g.Err, "  It would have made: %s\n", would[rf.Company].Counts())
		fmt.Fprintf(g.Err, "  To proceed, check Personio and the configuration. If the change is intended, review it and apply it:\n")
		// A company that left the configuration is planned only by a plan
		// of every company; -company would not know it.
		filter, file := " -company "+rf.Company, rf.Company+".plan"
		if !configured[rf.Company] {
			filter, file = "", "reviewed.plan"
		}
		fmt.Fprintf(g.Err, "    gridsync plan%s%s -out %s\n", g.chdirFlag(), filter, file)
		fmt.Fprintf(g.Err, "    gridsync apply%s -allow-mass-delete %s\n", g.chdirFlag(), file)
	}
}

// runSyncEvery syncs, then sleeps o.every plus jitter, until ctx ends. An
// invalid configuration at the start ends it at once (exit 1): nothing
// could ever sync. Later failures are logged and retried.
func runSyncEvery(ctx context.Context, g *globals, o *syncOptions) error {
	if _, err := loadConfig(g); err != nil {
		return err
	}
	g.interruptHandled = true
	log := slog.New(slog.NewTextHandler(g.Err, &slog.HandlerOptions{Level: slog.LevelInfo}))
	log.Info("syncing on a schedule", "every", o.every, "dir", g.configDir())
	for {
		r := syncOnce(ctx, g, o, true)
		logSyncRun(log, r)
		if ctx.Err() != nil {
			log.Info("stopped", "reason", context.Cause(ctx))
			return nil
		}
		wait := o.every + jitter(o.every)
		select {
		case <-ctx.Done():
			log.Info("stopped", "reason", context.Cause(ctx))
			return nil
		case <-time.After(wait):
		}
	}
}

// jitter is a random extra wait of up to a tenth of every (at most a
// minute), so that schedules of several processes drift apart.
func jitter(every time.Duration) time.Duration {
	span := min(every/10, time.Minute)
	if span <= 0 {
		return 0
	}
	return rand.N(span)
}

// logSyncRun writes a run's one log line: outcome, run id, duration,
// Personio requests, rows written, changes per company (or "refused"), and
// the error of a failed run.
func logSyncRun(log *slog.Logger, r syncResult) {
	attrs := []any{"outcome", string(store.Failed), "duration", r.duration.Round(time.Millisecond)}
	var rec *engine.RecordedError
	switch {
	case r.err == nil:
		attrs[1] = string(r.w.Outcome())
		attrs = append(attrs, "run", r.w.Result.RunID, "rows", r.w.Result.RowsWritten)
	case errors.As(r.err, &rec):
		attrs = append(attrs, "run", rec.RunID)
	}
	if r.w != nil {
		attrs = append(attrs, "personio_requests", r.w.Planned.PersonioRequests, companyCounts(r.w))
	}
	if r.err != nil {
		msg := r.err.Error()
		var ec *exitError
		if errors.As(r.err, &ec) && ec.err == nil {
			msg = "see the messages above"
		}
		attrs = append(attrs, "error", store.OneLine(msg))
		log.Warn("sync run", attrs...)
		return
	}
	if len(r.w.Refusals) > 0 {
		log.Warn("sync run", attrs...)
		return
	}
	log.Info("sync run", attrs...)
}

// companyCounts is the per-company part of a run's log line:
// companies.acme="1 to add, …" or "refused".
func companyCounts(w *engine.Written) slog.Attr {
	counts := engine.CompanySummaries(w.Applied)
	refused := map[string]bool{}
	for _, rf := range w.Refusals {
		refused[rf.Company] = true
	}
	var names []string
	for _, sc := range w.Planned.Plan.Scope {
		names = append(names, sc.Company)
	}
	for c := range counts {
		if !slices.Contains(names, c) {
			names = append(names, c)
		}
	}
	sort.Strings(names)
	attrs := make([]any, 0, len(names))
	for _, c := range names {
		if refused[c] {
			attrs = append(attrs, slog.String(c, "refused"))
			continue
		}
		attrs = append(attrs, slog.String(c, counts[c].Counts()))
	}
	return slog.Group("companies", attrs...)
}
