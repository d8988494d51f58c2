package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	ghub "github.com/gridwork/gridsync/internal/github"
	"github.com/gridwork/gridsync/internal/store"
)

// historyFormatVersion versions the -json output of history. 1.1 added
// command and dirty, and the outcome "refused".
const historyFormatVersion = "1.1"

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
		RunE: func(cmd *cobra.Command, args []string) error {
			return runHistory(cmd, g, o)
		},
	}
	cmd.Flags().BoolVar(&o.json, "json", false, "print machine-readable JSON")
	cmd.Flags().IntVar(&o.limit, "limit", 20, "show at most N runs (0: all)")
	return cmd
}

func runHistory(cmd *cobra.Command, g *globals, o *historyOptions) error {
	if o.limit < 0 {
		return fmt.Errorf("-limit must be 0 (all runs) or more, not %d", o.limit)
	}
	ctx := cmd.Context()
	_, s, err := openTarget(ctx, g)
	if err != nil {
		return err
	}
	defer s.Close()
	runs, err := s.History(ctx, o.limit)
	if err != nil {
		return err
	}
	for i := range runs {
		runs[i].StartedAt = runs[i].StartedAt.UTC()
		runs[i].FinishedAt = runs[i].FinishedAt.UTC()
	}
	if o.json {
		if runs == nil {
			runs = []store.Run{}
		}
		enc := json.NewEncoder(g.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			FormatVersion string      `json:"format_version"`
			Runs          []store.Run `json:"runs"`
		}{historyFormatVersion, runs})
	}
	if len(runs) == 0 {
		fmt.Fprintln(g.Out, "No sync runs yet.")
		return nil
	}
	return writeHistoryTable(g.Out, runs)
}

func writeHistoryTable(w io.Writer, runs []store.Run) error {
	withReason := false
	for _, r := range runs {
		withReason = withReason || r.Error != ""
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := "RUN\tSTARTED\tDURATION\tCOMMAND\tOUTCOME\tACTOR\tCOMMIT\tCREATED\tUPDATED\tADOPTED\tUNLINKED\tDELETED"
	if withReason {
		header += "\tREASON"
	}
	fmt.Fprintln(tw, header)
	for _, r := range runs {
		commit := ghub.ShortSHA(r.GitCommit)
		if r.Dirty {
			commit += "-dirty"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d",
			r.ID, r.StartedAt.Format(timeLayout), r.FinishedAt.Sub(r.StartedAt).Round(1e6), orDash(r.Command), r.Outcome,
			orDash(r.Actor), orDash(commit), r.Created, r.Updated, r.Adopted, r.Unlinked, r.Deleted)
		if withReason {
			fmt.Fprintf(tw, "\t%s", orDash(oneLine(r.Error, 100)))
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// oneLine flattens an error message for a table cell, cut to limit runes.
func oneLine(s string, limit int) string {
	return ghub.TruncateRunes(strings.Join(strings.Fields(s), " "), limit)
}
