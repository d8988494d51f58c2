package github

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/gridwork/gridsync/internal/words"
)

// SyncIssueLabel labels the issue a scheduled `gridsync sync` keeps open
// while it fails or refuses companies.
const SyncIssueLabel = "gridsync-sync"

// Exit codes of gridsync sync that the issue reports.
const (
	syncFailed  = 1
	syncRefused = 4
)

// SyncOutcome is one scheduled sync as the workflow saw it.
type SyncOutcome struct {
	ExitCode int
	// Output is what gridsync sync wrote on stderr (refusals, errors). It
	// holds no secret; it is still passed through redact.
	Output string
	Dir    string // repository-relative config directory
	// Now stamps the issue; zero means time.Now.
	Now time.Time
}

// SyncIssueResult says what ReportSync did.
type SyncIssueResult struct {
	// Action is "opened", "updated", "closed" or "" (nothing to do).
	Action string
	Number int
	URL    string
}

// ReportSync keeps one issue labelled gridsync-sync per config directory in
// line with the latest scheduled sync: exit 1 (failed, nothing written) or
// 4 (companies refused, the rest applied) opens it, or updates the open one
// (its body says since when and how many runs in a row; a comment is added
// when the reason changes); exit 0 closes it with a comment. Other exit
// codes (an interrupted or cancelled run) change nothing.
func ReportSync(ctx context.Context, env Env, o SyncOutcome) (SyncIssueResult, error) {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.ExitCode != 0 && o.ExitCode != syncFailed && o.ExitCode != syncRefused {
		return SyncIssueResult{}, nil
	}
	owner, repo, err := env.ownerRepo()
	if err != nil {
		return SyncIssueResult{}, err
	}
	if env.Token == "" {
		return SyncIssueResult{}, errors.New("GITHUB_TOKEN is not set: pass the workflow's token, e.g. `GITHUB_TOKEN: ${{ github.token }}`, with `issues: write` in the job's permissions")
	}
	c, err := newClient(env)
	if err != nil {
		return SyncIssueResult{}, err
	}
	res, err := reportSync(ctx, c, owner, repo, env.RunURL(), o)
	if err != nil {
		return SyncIssueResult{}, apiError(err, env, "manage the gridsync-sync issue", "issues: write")
	}
	return res, nil
}

// reportSync does ReportSync's API calls.
func reportSync(ctx context.Context, c *gh.Client, owner, repo, runURL string, o SyncOutcome) (SyncIssueResult, error) {
	marker := hiddenMarker("sync", o.Dir)
	open, err := firstListed(func(lo gh.ListOptions) ([]*gh.Issue, *gh.Response, error) {
		return c.Issues.ListByRepo(ctx, owner, repo, &gh.IssueListByRepoOptions{State: "open", Labels: []string{SyncIssueLabel}, ListOptions: lo})
	}, func(is *gh.Issue) bool { return is.PullRequestLinks == nil && strings.Contains(is.GetBody(), marker) })
	if err != nil {
		return SyncIssueResult{}, err
	}
	comment := func(body string) error {
		_, _, err := c.Issues.CreateComment(ctx, owner, repo, open.GetNumber(), &gh.IssueComment{Body: gh.String(body)})
		return err
	}
	if o.ExitCode == 0 {
		if open == nil {
			return SyncIssueResult{}, nil
		}
		note := "The sync succeeded again"
		if runURL != "" {
			note += " in [this run](" + runURL + ")"
		}
		if err := comment(note + "; closing."); err != nil {
			return SyncIssueResult{}, err
		}
		_, _, err := c.Issues.Edit(ctx, owner, repo, open.GetNumber(), &gh.IssueRequest{State: gh.String("closed"), StateReason: gh.String("completed")})
		return SyncIssueResult{Action: "closed", Number: open.GetNumber(), URL: open.GetHTMLURL()}, err
	}

	reason := syncReason(redact(o.Output), o.ExitCode)
	state := syncState{First: o.Now.UTC(), Runs: 1, Reason: reasonHash(reason)}
	if prev, ok := parseSyncState(open.GetBody()); open != nil && ok {
		state.First, state.Runs = prev.First, prev.Runs+1
		// A new reason is worth a notification; the same one again only
		// updates the body.
		if prev.Reason != state.Reason {
			if err := comment(fitBody("The reason changed:\n\n" + fenced(reason))); err != nil {
				return SyncIssueResult{}, err
			}
		}
	}
	title, body := syncIssueBody(o, runURL, reason, state, marker)
	req := &gh.IssueRequest{Title: gh.String(title), Body: gh.String(body)}
	res := SyncIssueResult{Action: "updated"}
	var is *gh.Issue
	if open != nil {
		is, _, err = c.Issues.Edit(ctx, owner, repo, open.GetNumber(), req)
	} else {
		// Create the label unless it exists (422).
		_, _, err = c.Issues.CreateLabel(ctx, owner, repo, &gh.Label{
			Name:        gh.String(SyncIssueLabel),
			Color:       gh.String("B60205"),
			Description: gh.String("gridsync: the scheduled sync failed or refused companies"),
		})
		var er *gh.ErrorResponse
		if err == nil || errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusUnprocessableEntity {
			res.Action, req.Labels = "opened", &[]string{SyncIssueLabel}
			is, _, err = c.Issues.Create(ctx, owner, repo, req)
		}
	}
	if err != nil {
		return SyncIssueResult{}, err
	}
	res.Number, res.URL = is.GetNumber(), is.GetHTMLURL()
	return res, nil
}

// syncState is what the issue body remembers between runs.
type syncState struct {
	First  time.Time // the first run of this series of failures
	Runs   int       // failing runs in a row
	Reason string    // digest of the reason, to tell a new one
}

var syncStateLine = regexp.MustCompile(`<!-- gridsync:sync-state since=(\S+) runs=(\d+) reason=([0-9a-f]+) -->`)

func (s syncState) String() string {
	return fmt.Sprintf("<!-- gridsync:sync-state since=%s runs=%d reason=%s -->", s.First.Format(time.RFC3339), s.Runs, s.Reason)
}

func parseSyncState(body string) (syncState, bool) {
	m := syncStateLine.FindStringSubmatch(body)
	if m == nil {
		return syncState{}, false
	}
	first, err := time.Parse(time.RFC3339, m[1])
	runs, err2 := strconv.Atoi(m[2])
	if err != nil || err2 != nil {
		return syncState{}, false
	}
	return syncState{First: first, Runs: runs, Reason: m[3]}, true
}

// runReference is the sync-log run an error names; every run has its own.
var runReference = regexp.MustCompile(` ?\(recorded as (?:failed )?sync run \d+\)`)

// reasonHash identifies a reason across runs: the same failure in the next
// run names the next run id, and is still the same reason.
func reasonHash(reason string) string {
	sum := sha256.Sum256([]byte(runReference.ReplaceAllString(reason, "")))
	return hex.EncodeToString(sum[:8])
}

// syncReason picks the lines of sync's output that say why: the refusals
// (with what they would have done and how to proceed), errors and
// warnings. Without such lines it is the last line of the output.
func syncReason(output string, code int) string {
	var keep []string
	inBlock := false
	for _, line := range strings.Split(strings.ReplaceAll(output, "\r\n", "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "Refused company "), strings.HasPrefix(line, "Error: "), strings.HasPrefix(line, "Warning: "):
			keep = append(keep, line)
			inBlock = true
		case inBlock && strings.HasPrefix(line, "  "):
			keep = append(keep, line)
		default:
			inBlock = false
		}
	}
	if len(keep) == 0 {
		lines := strings.Split(strings.TrimSpace(output), "\n")
		if last := strings.TrimSpace(lines[len(lines)-1]); last != "" {
			return last
		}
		return fmt.Sprintf("gridsync sync exited %d without saying why; the workflow log has its output", code)
	}
	return strings.Join(keep, "\n")
}

// syncIssueBody writes the issue's title and body.
func syncIssueBody(o SyncOutcome, runURL, reason string, st syncState, marker string) (title, body string) {
	where := forDir(o.Dir)
	var b strings.Builder
	b.WriteString(marker + "\n")
	if o.ExitCode == syncRefused {
		title = "gridsync sync refused companies" + where
		fmt.Fprintf(&b, "### gridsync sync refused companies%s\n\n", where)
		b.WriteString("The deletion guard refused at least one company: nothing of it was written, and every other company was applied. " +
			"A refusal needs a person: check Personio and the configuration, and if the change is intended, apply it after review as the reason below says.\n\n")
	} else {
		title = "gridsync sync failing" + where
		fmt.Fprintf(&b, "### gridsync sync failed%s\n\n", where)
		b.WriteString("The scheduled sync stopped with an error and wrote nothing; Gridwork keeps what the last successful sync wrote.\n\n")
	}
	b.WriteString("**Reason**\n\n")
	b.WriteString(fenced(TruncateRunes(reason, 20000)))
	runs := "1 run"
	if st.Runs > 1 {
		runs = words.Number(st.Runs) + " runs in a row"
	}
	fmt.Fprintf(&b, "\nSince %s (%s).", st.First.Format("2006-01-02 15:04 UTC"), runs)
	if runURL != "" {
		fmt.Fprintf(&b, " Latest: [workflow run](%s), %s.", runURL, o.Now.UTC().Format("2006-01-02 15:04 UTC"))
	}
	b.WriteString(" Every failing sync updates this issue; the next successful one closes it. `gridsync status` and `gridsync history` show the same from the database.\n")
	if out := strings.TrimSpace(redact(o.Output)); out != "" && out != reason {
		b.WriteString("\n<details><summary>Output of gridsync sync</summary>\n\n")
		b.WriteString(fenced(TruncateRunes(out, 30000)))
		b.WriteString("\n</details>\n")
	}
	b.WriteString("\n" + st.String() + "\n")
	return title, fitBody(b.String())
}

// fenced puts text in a code block that no line of it can close.
func fenced(text string) string {
	fence := "~~~"
	for strings.Contains(text, fence) {
		fence += "~"
	}
	return fence + "\n" + strings.TrimRight(text, "\n") + "\n" + fence + "\n"
}
