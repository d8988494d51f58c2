package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/gridwork/gridsync/internal/engine"
	ghub "github.com/gridwork/gridsync/internal/github"
	"github.com/gridwork/gridsync/internal/store"
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
		Long: `Apply computes a plan (or takes a saved one), asks for confirmation on a
terminal, and writes every change in one transaction under an advisory lock,
with a sync-log entry. Any error rolls all of it back.

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
	f.BoolVar(&o.allowMassDelete, "allow-mass-delete", false, "apply even if the plan removes or unlinks more than the deletion guard allows")
	f.DurationVar(&o.lockTimeout, "lock-timeout", 0, "how long to wait for another apply's lock (e.g. 30s); 0 fails at once")
	return cmd
}

func runApply(ctx context.Context, g *globals, o *applyOptions) (err error) {
	// Every outcome, a refusal or failure before the write included, is
	// reported on the merged pull request when running in GitHub Actions.
	var (
		p   *plan.Plan
		res *store.Result
	)
	defer func() { notifyGitHub(ctx, g, p, res, err) }()

	// Refuse before reading Personio (minutes on a large tenant) what the
	// prompt would refuse anyway.
	if o.planFile == "" && !o.autoApprove && !g.interactive() {
		return errNotTerminal
	}

	cfg, st, err := openTarget(ctx, g)
	if err != nil {
		return err
	}
	defer st.Close()

	runner := newRunner(g)
	opts := engine.ApplyOptions{
		AllowMassDelete: o.allowMassDelete,
		LockTimeout:     o.lockTimeout,
		Audit: engine.Audit{
			Actor:     engine.Actor(g.getenv),
			GitCommit: engine.GitCommit(g.getenv, cfg.Dir),
			ConfigDir: cfg.Dir,
		},
	}

	var planned *engine.Planned
	if o.planFile != "" {
		if p, err = plan.ReadFile(o.planFile); err != nil {
			return err
		}
		// What is written is the plan computed now; the file has to match
		// it, and is trusted no further.
		if planned, err = runner.CheckSaved(ctx, cfg, st, p); err != nil {
			return err
		}
		opts.Saved = true
	} else {
		var diags hcl.Diagnostics
		if planned, diags, err = runner.Plan(ctx, cfg, st, engine.PlanOptions{}); err != nil {
			return err
		}
		if err := reportDiagnostics(g, cfg.Files, diags); err != nil {
			return err
		}
	}
	p, cur := planned.Plan, planned.State
	if g.verbose {
		fmt.Fprintf(g.Err, "timings: %s\n", planned.Timings)
	}
	if o.planFile == "" {
		if err := plan.RenderText(g.Out, p, plan.TextOptions{Color: g.color(g.Out)}); err != nil {
			return err
		}
	}
	if err := engine.CheckGuard(p, cur, opts.AllowMassDelete); err != nil {
		return err
	}
	if o.planFile == "" && len(p.Changes) > 0 && !o.autoApprove {
		ok, err := confirm(ctx, g)
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprintln(g.Out, "\nApply cancelled.")
			return exitCode(1)
		}
	}

	start := time.Now()
	if res, err = runner.Apply(ctx, st, p, opts); err != nil {
		return err
	}
	s := p.Summary
	fmt.Fprintf(g.Out, "\nApply complete! Resources: %d added, %d changed, %d unlinked, %d destroyed.\n", s.Add, s.Change, s.Unlink, s.Destroy)
	fmt.Fprintf(g.Out, "Recorded as sync run %d.\n", res.RunID)
	if g.verbose {
		fmt.Fprintf(g.Err, "timings: write %s (%d rows)\n", time.Since(start).Round(time.Millisecond), res.RowsWritten)
	}
	return nil
}

// confirm asks the Terraform question on a terminal. Off a terminal it
// refuses: an unattended apply must say -auto-approve explicitly. Ctrl-C at
// the prompt cancels at once instead of waiting for Enter.
var errNotTerminal = errors.New("apply needs -auto-approve when it is not run from a terminal (no one can answer the confirmation prompt)")

func confirm(ctx context.Context, g *globals) (bool, error) {
	if !g.interactive() {
		return false, errNotTerminal
	}
	fmt.Fprint(g.Out, "\nDo you want to perform these actions?\n"+
		"  gridsync will perform the actions described above.\n"+
		"  Only 'yes' will be accepted to approve.\n\n"+
		"  Enter a value: ")
	answer := make(chan string, 1)
	go func() {
		// The reader outlives a cancelled prompt; the process ends soon after.
		line, _ := bufio.NewReader(g.In).ReadString('\n')
		answer <- line
	}()
	select {
	case <-ctx.Done():
		fmt.Fprintln(g.Out)
		return false, nil
	case line := <-answer:
		return strings.TrimSpace(line) == "yes", nil
	}
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
