package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/engine"
	ghub "github.com/gridwork/gridsync/internal/github"
	"github.com/gridwork/gridsync/internal/store"
	"github.com/gridwork/gridsync/internal/views"
	"github.com/gridwork/gridsync/plan"
)

type applyOptions struct {
	autoApprove     bool
	allowMassDelete bool
	lockTimeout     time.Duration
	planFile        string
}

func newApplyCmd(g *globals) *cobra.Command {
	o := &applyOptions{}
	cmd := &cobra.Command{
		Use:   "apply [-chdir DIR] [-auto-approve] [-allow-mass-delete] [-lock-timeout DUR] [PLANFILE]",
		Short: "Make the Gridwork database match the configuration and Personio",
		Long: `Apply reads Personio, takes the database's apply lock, reads the Gridwork
database under it and computes the plan, shows it, asks for confirmation on a
terminal, and writes every change in one transaction with a sync-log entry.
Any error rolls all of it back. An apply that waited for the lock plans
against what the other writer left, so it never finds its plan stale.

A saved PLANFILE is applied only if the configuration, the Personio data and
the Gridwork database are what it was computed from; otherwise apply refuses
with "stale plan" and writes nothing. A relative PLANFILE is read from the
-chdir directory, as "plan -out" writes it there.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.planFile = g.path(args[0])
			}
			return runApply(cmd.Context(), g, o)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.autoApprove, "auto-approve", false, "skip the interactive confirmation (required when not on a terminal)")
	f.BoolVar(&o.allowMassDelete, "allow-mass-delete", false, "apply even if the plan removes, unlinks or empties fields of more records than the deletion guard allows, or rests on a suspicious Personio answer")
	f.DurationVar(&o.lockTimeout, "lock-timeout", 0, "how long to wait for another writer's lock (e.g. 30s); 0 fails at once")
	return cmd
}

func runApply(ctx context.Context, g *globals, o *applyOptions) (err error) {
	// Every outcome, a refusal or failure before the write included, is
	// reported on the merged pull request when running in GitHub Actions.
	var p *plan.Plan
	var res *store.Result
	defer func() { notifyGitHub(ctx, g, p, res, err) }()

	// Refuse before reading Personio (minutes on a large tenant) what the
	// prompt would refuse anyway.
	if o.planFile == "" && !o.autoApprove && !g.interactive() {
		return errNotTerminal
	}
	view := views.NewApply(g.view)
	cfg, st, err := openTarget(ctx, g)
	if err != nil {
		return err
	}
	defer st.Close()

	runner := newRunner(g)
	if o.planFile != "" {
		// A saved plan is applied only if planning now gives the very plan
		// saved, and the target has not changed under the lock (stale plan).
		if p, err = plan.ReadFile(o.planFile); err != nil {
			return err
		}
		a := audit(g, cfg, "apply PLANFILE") // the run starts here, before Personio is read again
		// What is written is the plan computed now; the file has to match
		// it, and is trusted no further.
		var planned *engine.Planned
		if planned, err = runner.CheckSaved(ctx, cfg, st, p); err != nil {
			return err
		}
		p = planned.Plan
		view.Timings(planned.Timings.String())
		if err = engine.CheckGuard(p, planned.State, o.allowMassDelete); err != nil {
			return err
		}
		res, err = runner.Apply(ctx, st, p, engine.ApplyOptions{
			AllowMassDelete: o.allowMassDelete,
			LockTimeout:     o.lockTimeout,
			Audit:           a,
			Waiting:         view.Waiting,
		})
	} else {
		var w *engine.Written
		w, err = runner.ApplyFresh(ctx, cfg, st, engine.WriteOptions{
			LockTimeout:     o.lockTimeout,
			Audit:           audit(g, cfg, "apply"),
			AllowMassDelete: o.allowMassDelete,
			Waiting:         view.Waiting,
			Show:            func(w *engine.Written) error { return view.Show(cfg.Files, w) },
			Confirm: func(w *engine.Written) error {
				if len(w.Applied.Changes) == 0 || o.autoApprove {
					return nil
				}
				return confirm(ctx, g, view)
			},
		})
		if w != nil {
			p, res = w.Planned.Plan, w.Result
		}
		if errors.Is(err, errApplyCancelled) {
			view.Cancelled()
			return exitCode(1)
		}
		err = diagnosticsError(g, cfg, err)
	}
	if err != nil {
		return err
	}
	g.runID = res.RunID
	view.Complete(p.Summary, res)
	return nil
}

// audit is what the sync log records about who runs command from where.
func audit(g *globals, cfg *config.Config, command string) engine.Audit {
	return engine.Audit{
		StartedAt: time.Now(),
		Command:   command,
		Actor:     engine.Actor(g.getenv),
		GitCommit: engine.GitCommit(g.getenv, cfg.Dir),
		Dirty:     engine.GitDirty(cfg.Dir),
		ConfigDir: cfg.Dir,
	}
}

// diagnosticsError prints the configuration problems only Personio's data
// revealed, like those of loading the configuration, and turns them into
// exit 1; other errors pass unchanged.
func diagnosticsError(g *globals, cfg *config.Config, err error) error {
	var de *engine.DiagnosticsError
	if !errors.As(err, &de) {
		return err
	}
	if rerr := reportDiagnostics(g, cfg.Files, de.Diags); rerr != nil {
		return rerr
	}
	return err
}

var (
	// errApplyCancelled is any answer but "yes" at the prompt, or Ctrl-C.
	errApplyCancelled = errors.New("apply cancelled at the prompt")
	errNotTerminal    = errors.New("apply needs -auto-approve when it is not run from a terminal (no one can answer the confirmation prompt)")
)

// confirm asks the Terraform question on a terminal and returns nil when
// the answer is yes. Off a terminal it refuses: an unattended apply must
// say -auto-approve explicitly. Ctrl-C at the prompt cancels at once
// instead of waiting for Enter.
func confirm(ctx context.Context, g *globals, view *views.Apply) error {
	if !g.interactive() {
		return errNotTerminal
	}
	view.Prompt()
	answer := make(chan string, 1)
	go func() {
		// The reader outlives a cancelled prompt; the process ends soon after.
		line, _ := bufio.NewReader(g.In).ReadString('\n')
		answer <- line
	}()
	select {
	case <-ctx.Done():
		view.PromptInterrupted()
	case line := <-answer:
		if strings.TrimSpace(line) == "yes" {
			return nil
		}
	}
	return errApplyCancelled
}

// notifyGitHub comments the outcome of an apply on the merged pull request
// when running in GitHub Actions. Its own failures are warnings: the apply
// has happened (or failed) either way.
func notifyGitHub(ctx context.Context, g *globals, p *plan.Plan, res *store.Result, applyErr error) {
	if g.getenv("GITHUB_ACTIONS") != "true" {
		return
	}
	env, err := ghub.LoadEnv(g.getenv)
	if err != nil {
		g.logger.Warn("not commenting the apply outcome on GitHub", "error", err)
		return
	}
	var ec *exitError
	if errors.As(applyErr, &ec) && ec.err == nil {
		// The details (diagnostics, a cancelled prompt) went to stderr.
		applyErr = errors.New("gridsync apply stopped before writing anything; the workflow log has the details")
	}
	out := ghub.ApplyOutcome{Err: applyErr, Commit: env.SHA, Dir: env.RepoDir(g.configDir())}
	if p != nil {
		out.Summary = p.Summary.String()
	}
	if res != nil {
		out.RunID = res.RunID
	}
	if err := ghub.NotifyApply(context.WithoutCancel(ctx), env, out); err != nil {
		fmt.Fprintf(g.Err, "Warning: could not comment the apply outcome on the pull request: %v\n", err)
	}
}
