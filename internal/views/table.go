package views

import (
	"cmp"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	ghub "github.com/gridwork/gridsync/internal/github"
)

// newTable starts a table of aligned columns on w: header, with a REASON
// column at the end when reasons is set.
func newTable(w io.Writer, header string, reasons bool) *tabwriter.Writer {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if reasons {
		header += "\tREASON"
	}
	fmt.Fprintln(tw, header)
	return tw
}

// endRow ends a row of a table, after its reason (one line, cut to 100
// characters, "-" when none) when the table has the column.
func endRow(tw io.Writer, reasons bool, reason string) {
	if reasons {
		fmt.Fprintf(tw, "\t%s", cmp.Or(oneLine(reason, 100), "-"))
	}
	fmt.Fprintln(tw)
}

// oneLine flattens an error message for a table cell, cut to limit runes.
func oneLine(s string, limit int) string {
	return ghub.TruncateRunes(strings.Join(strings.Fields(s), " "), limit)
}
