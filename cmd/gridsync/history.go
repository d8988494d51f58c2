package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/gridwork/gridsync/internal/views"
)

type historyOptions struct {
	json  bool
	limit int
}

func newHistoryCmd(g *globals) *cobra.Command {
	o := &historyOptions{}
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List sync runs from the sync log",
		Long: `History lists the latest sync runs recorded in the Gridwork database, newest
first: when each started, which command ran it, its outcome (succeeded;
refused: the deletion guard left companies out and the rest was applied;
failed: nothing written), who ran it from which commit ("-dirty" when
tracked files of the configuration directory had uncommitted changes), how
many records it created, updated, adopted, unlinked and deleted, and the
reason of a run that was refused or failed. -json adds the digests of the
configuration, Personio data, target state and plan of each run.`,
		Args: cobra.NoArgs,
		RunE: runs(g, o, runHistory),
	}
	cmd.Flags().BoolVar(&o.json, "json", false, "print machine-readable JSON")
	cmd.Flags().IntVar(&o.limit, "limit", 20, "show at most N runs (0: all)")
	return cmd
}

func runHistory(ctx context.Context, g *globals, o *historyOptions) error {
	if o.limit < 0 {
		return fmt.Errorf("-limit must be 0 (all runs) or more, not %d", o.limit)
	}
	view := views.NewHistory(o.json, g.view)
	_, s, err := openTarget(ctx, g)
	if err != nil {
		return err
	}
	defer s.Close()
	runs, err := s.History(ctx, o.limit)
	if err != nil {
		return err
	}
	return view.Runs(runs)
}
