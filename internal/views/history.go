package views

import (
	"cmp"
	"fmt"
	"slices"

	ghub "github.com/gridwork/gridsync/internal/github"
	"github.com/gridwork/gridsync/internal/store"
)

// historyFormatVersion versions the -json output of history. 1.1 added
// command and dirty, and the outcome "refused".
const historyFormatVersion = "1.1"

// History is the view of history.
type History interface {
	// Runs lists runs, newest first; times are shown in UTC.
	Runs(runs []store.Run) error
}

// NewHistory returns the history view for people, or the JSON one when json (-json) is set.
func NewHistory(json bool, v *View) History {
	if json {
		return &historyJSON{v}
	}
	return &historyHuman{v}
}

type historyHuman struct{ *View }

func (v *historyHuman) Runs(runs []store.Run) error {
	if len(runs) == 0 {
		fmt.Fprintln(v.stdout, "No sync runs yet.")
		return nil
	}
	reasons := slices.ContainsFunc(runs, func(r store.Run) bool { return r.Error != "" })
	tw := newTable(v.stdout, "RUN\tSTARTED\tDURATION\tCOMMAND\tOUTCOME\tACTOR\tCOMMIT\tCREATED\tUPDATED\tADOPTED\tUNLINKED\tDELETED", reasons)
	for _, r := range runs {
		commit := ghub.ShortSHA(r.GitCommit)
		if r.Dirty {
			commit += "-dirty"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d",
			r.ID, r.StartedAt.UTC().Format(timeLayout), r.FinishedAt.Sub(r.StartedAt).Round(1e6), cmp.Or(r.Command, "-"), r.Outcome,
			cmp.Or(r.Actor, "-"), cmp.Or(commit, "-"), r.Created, r.Updated, r.Adopted, r.Unlinked, r.Deleted)
		endRow(tw, reasons, r.Error)
	}
	return tw.Flush()
}

type historyJSON struct{ *View }

func (v *historyJSON) Runs(runs []store.Run) error {
	utc := make([]store.Run, len(runs))
	for i, r := range runs {
		r.StartedAt, r.FinishedAt = r.StartedAt.UTC(), r.FinishedAt.UTC()
		utc[i] = r
	}
	return writeJSON(v.stdout, struct {
		FormatVersion string      `json:"format_version"`
		Runs          []store.Run `json:"runs"`
	}{historyFormatVersion, utc})
}
