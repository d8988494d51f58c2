package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	ghub "github.com/gridwork/gridsync/internal/github"
	"github.com/gridwork/gridsync/internal/views"
	"github.com/gridwork/gridsync/plan"
)

func newGitHubCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "github",
		Short: "Publish plans to pull requests and sync outcomes to an issue (for GitHub Actions)",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newGitHubCommentCmd(g), newGitHubSyncIssueCmd(g))
	return cmd
}

// commentOptions are the flags of "gridsync github comment".
type commentOptions struct {
	planFile      string
	failed        bool
	statusContext string
}

func newGitHubCommentCmd(g *globals) *cobra.Command {
	var o commentOptions
	cmd := &cobra.Command{
		Use:   "comment [-failed] [-status-context NAME] PLANFILE",
		Short: "Post a saved plan as the PR's sticky comment and set the gridsync/plan status",
		Long: `Reads a plan saved by "gridsync plan -out PLANFILE" and, in a GitHub Actions
job triggered by pull_request:

  - creates or edits one comment per config directory (-chdir) on the PR,
  - sets the commit status gridsync/plan on the PR's head commit,
  - appends the plan to the job summary.

A relative PLANFILE is taken inside -chdir, as by every other command.

It reads GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH and GITHUB_API_URL.
With -failed it needs no PLANFILE: the comment says that no plan could be made
and the status is a failure. On a pull request from a fork, which has no
credentials, it writes the job summary only and succeeds.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if o.failed {
				return cobra.MaximumNArgs(1)(cmd, args)
			}
			if len(args) != 1 {
				return errors.New("comment needs the plan file: gridsync github comment PLANFILE")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				o.planFile = args[0]
			}
			return runGitHubComment(cmd.Context(), g, o)
		},
	}
	cmd.Flags().BoolVar(&o.failed, "failed", false, "the plan step failed: report that instead of a plan")
	cmd.Flags().StringVar(&o.statusContext, "status-context", ghub.DefaultStatusContext, "commit status name (give each config directory its own)")
	return cmd
}

func runGitHubComment(ctx context.Context, g *globals, o commentOptions) error {
	env, err := ghub.LoadEnv(g.getenv)
	if err != nil {
		return err
	}
	dir := env.RepoDir(g.configDir())
	pc := ghub.PlanComment{Dir: dir, Failed: o.failed, StatusContext: o.statusContext}
	if !o.failed {
		p, err := plan.ReadFile(g.path(o.planFile))
		if err != nil {
			return err
		}
		// The whole plan, with no cap on the folded text plan: the job
		// summary shows all of it, and the comment keeps its head and tail
		// with a note saying what was cut (internal/github).
		var md bytes.Buffer
		if err := views.NewPlanMarkdown(views.New(&md, g.Err, views.Options{}), ghub.ShortSHA(env.HeadSHA), dir).Plan(p); err != nil {
			return fmt.Errorf("rendering the plan: %w", err)
		}
		pc.Markdown, pc.Summary = md.String(), p.Summary.String()
	}

	out, err := ghub.PostPlan(ctx, env, pc)
	if err != nil {
		return err
	}
	if out.ForkNoCredentials {
		fmt.Fprintln(g.Out, ghub.ForkMessage)
		return nil
	}
	verb := "Updated"
	if out.Created {
		verb = "Created"
	}
	fmt.Fprintf(g.Out, "%s comment #%d on PR #%d; status %s=%s on %s\n", verb, out.CommentID, out.PR, out.StatusContext, out.Status, ghub.ShortSHA(out.StatusSHA))
	if out.Truncated {
		where := "the job summary has all of it"
		if !out.SummaryWhole {
			where = "read the whole plan with \"gridsync show PLANFILE\""
		}
		fmt.Fprintf(g.Out, "The plan was too long for a comment: its middle was cut; %s.\n", where)
	}
	return nil
}
