package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	ghub "github.com/gridwork/gridsync/internal/github"
)

// syncIssueOptions are the flags of "gridsync github sync-issue".
type syncIssueOptions struct {
	exitCode int
	output   string
}

func newGitHubSyncIssueCmd(g *globals) *cobra.Command {
	o := &syncIssueOptions{exitCode: -1}
	cmd := &cobra.Command{
		Use:   "sync-issue -exit-code N [-output FILE]",
		Short: "Open, update or close the gridsync-sync issue after a scheduled sync",
		Long: `Sync-issue keeps one issue labelled gridsync-sync per config directory (-chdir)
in line with the scheduled "gridsync sync" that just ran, given its exit code:

  1 (failed, nothing written) or 4 (companies refused, the rest applied):
      opens the issue with the reason, or updates the open one (since when,
      how many runs in a row; a comment when the reason changed);
  0:  closes the open issue with a comment;
  anything else (an interrupted run): changes nothing.

-output names a file holding what gridsync sync wrote on stderr ("-" for
standard input): the reason is taken from it (refused companies and what
to do, or the error). It reads GITHUB_TOKEN (with issues: write),
GITHUB_REPOSITORY, GITHUB_API_URL and, for the run link, GITHUB_SERVER_URL and
GITHUB_RUN_ID.`,
		Args: cobra.NoArgs,
		RunE: runs(g, o, runGitHubSyncIssue),
	}
	cmd.Flags().IntVar(&o.exitCode, "exit-code", -1, "the exit code of gridsync sync (required)")
	cmd.Flags().StringVar(&o.output, "output", "", "`FILE` with what gridsync sync wrote on stderr (- for standard input)")
	return cmd
}

func runGitHubSyncIssue(ctx context.Context, g *globals, o *syncIssueOptions) error {
	if o.exitCode < 0 {
		return errors.New("sync-issue needs the exit code of gridsync sync: -exit-code N")
	}
	var output []byte
	var err error
	switch o.output {
	case "":
	case "-":
		output, err = io.ReadAll(g.In)
	default:
		output, err = os.ReadFile(g.path(o.output))
	}
	if err != nil {
		return fmt.Errorf("reading the output of gridsync sync: %w", err)
	}
	env, err := ghub.LoadEnv(g.getenv)
	if err != nil {
		return err
	}
	res, err := ghub.ReportSync(ctx, env, ghub.SyncOutcome{
		ExitCode: o.exitCode,
		Output:   string(output),
		Dir:      env.RepoDir(g.configDir()),
	})
	if err != nil {
		return err
	}
	switch {
	case res.Action != "":
		fmt.Fprintf(g.Out, "%s issue #%d: %s\n", strings.ToUpper(res.Action[:1])+res.Action[1:], res.Number, res.URL)
	case o.exitCode == 0:
		fmt.Fprintln(g.Out, "No open gridsync-sync issue to close.")
	default:
		fmt.Fprintf(g.Out, "Exit code %d is neither a failure (1) nor a refusal (4): the gridsync-sync issue is left as it is.\n", o.exitCode)
	}
	return nil
}
