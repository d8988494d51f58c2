package github

import (
	"fmt"
	"os"

	"github.com/gridwork/gridsync/internal/words"
)

// writeStepSummary appends md to the job summary file. GitHub drops a step's
// entire summary when the step wrote more than 1 MiB to it, so a plan that
// does not fit in what is left of that budget is cut like a comment, with a
// note pointing at the run's artifacts: whole or cut say which. Nothing is
// written outside Actions, or when no room is left.
func writeStepSummary(path, md, runURL string) (whole, cut bool, err error) {
	if path == "" {
		return false, false, nil
	}
	used := int64(0)
	if fi, err := os.Stat(path); err == nil {
		used = fi.Size()
	}
	budget := MaxStepSummaryBytes - int(used) - 2
	if budget < 4096 {
		return false, false, nil
	}
	body, cut := fit("", md, budget, func(chars, lines int) string {
		return fmt.Sprintf("> [!WARNING]\n> **%s characters (%s lines) of this plan are not shown here**: a job summary holds at most 1 MiB per step. "+
			"Download the plan file from the artifacts of %s and read it with `gridsync show`.",
			words.Number(chars), words.Number(lines), runLink(runURL, "this run"))
	})
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return false, false, fmt.Errorf("opening the job summary (GITHUB_STEP_SUMMARY): %w", err)
	}
	if used > 0 {
		body = "\n" + body
	}
	_, err = f.WriteString(body + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, false, fmt.Errorf("writing the job summary (GITHUB_STEP_SUMMARY): %w", err)
	}
	return !cut, cut, nil
}

// runLink is a Markdown link to the run, or plain text outside Actions.
func runLink(runURL, text string) string {
	if runURL == "" {
		return text
	}
	return "[" + text + "](" + runURL + ")"
}
