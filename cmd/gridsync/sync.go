package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/spf13/cobra"

	"github.com/gridwork/gridsync/internal/engine"
	"github.com/gridwork/gridsync/internal/views"
	"github.com/gridwork/gridsync/plan"
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
		RunE: runs(g, o, runSync),
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
	r := syncOnce(ctx, g, o, views.NewSync(g.view))
	if r.Err != nil {
		return r.Err
	}
	g.runID = r.Written.Result.RunID
	if len(r.Written.Refusals) > 0 {
		return exitCode(exitRefused)
	}
	return nil
}

// syncOnce runs one sync: it loads the configuration (every run, so that a
// long-running process follows the repository), opens the database and
// syncs, and reports the run on view.
func syncOnce(ctx context.Context, g *globals, o *syncOptions, view views.Sync) views.SyncRun {
	start := time.Now()
	w, err := syncWith(ctx, g, o, view)
	r := views.SyncRun{Written: w, Err: err, Duration: time.Since(start)}
	view.Ran(r)
	return r
}

func syncWith(ctx context.Context, g *globals, o *syncOptions, view views.Sync) (*engine.Written, error) {
	cfg, st, err := openTarget(ctx, g)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	w, err := newRunner(g).Sync(ctx, cfg, st, engine.SyncOptions{
		Companies:   o.companies,
		LockTimeout: o.lockTimeout,
		Audit:       audit(g, cfg, "sync"),
		Waiting:     g.view.Waiting,
		Show:        func(w *engine.Written) error { return view.Show(cfg.Files, w) },
	})
	return w, diagnosticsError(g, cfg, err)
}

// runSyncEvery syncs, then sleeps o.every plus jitter, until ctx ends. An
// invalid configuration or a -company no block has at the start ends it at
// once (exit 1): nothing could ever sync. Later failures are logged and
// retried.
func runSyncEvery(ctx context.Context, g *globals, o *syncOptions) error {
	cfg, err := loadConfig(g)
	if err != nil {
		return err
	}
	if err := reportDiagnostics(g, cfg.Files, plan.CheckCompanies(cfg, o.companies)); err != nil {
		return err
	}
	g.interruptHandled = true
	view := views.NewSyncLog(g.view)
	view.Started(o.every, g.configDir())
	for {
		syncOnce(ctx, g, o, view)
		if ctx.Err() == nil {
			select {
			case <-ctx.Done():
			case <-time.After(o.every + jitter(o.every)):
				continue
			}
		}
		view.Stopped(context.Cause(ctx))
		return nil
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
