package github

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gridwork/gridsync/internal/github/githubfake"
)

const (
	failedOutput = `reading Personio employees: 40/100 after 5s
Error: Personio answered 503 Service Unavailable for the employees page at offset 100 after 6 attempts; check Personio's status page (recorded as sync run 12)
`
	refusedOutput = `
Refused company globex (deletion guard): nothing of it was written.
  Why: the plan would remove or unlink 22 of 22 linked employees (at most 5 allowed).
  It would have made: 0 to add, 0 to change, 0 to unlink, 22 to destroy.
  To proceed, check Personio and the configuration. If the change is intended, review it and apply it:
    gridsync plan -company globex -out globex.plan
    gridsync apply -allow-mass-delete globex.plan
`
)

// syncRequests counts the fake's requests that write.
func writes(f *fixture) []githubfake.Request {
	var out []githubfake.Request
	for _, r := range f.fake.Requests() {
		if r.Method != "GET" {
			out = append(out, r)
		}
	}
	return out
}

// TestReportSyncLifecycle walks one issue through its life: a failure opens
// it, the same failure updates it, a refusal (a new reason) updates it with
// a comment, a success closes it, and the next failure opens a new one.
func TestReportSyncLifecycle(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	t0 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	f.fake.AddIssue("unrelated", "someone's issue", "bug")

	res, err := ReportSync(ctx, f.env, SyncOutcome{ExitCode: 1, Output: failedOutput, Dir: ".", Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	if res.Action != "opened" || res.Number != 2 {
		t.Fatalf("first failure: %+v", res)
	}
	issue := func(n int) githubfake.Issue {
		t.Helper()
		for _, is := range f.fake.Issues() {
			if is.Number == n {
				return is
			}
		}
		t.Fatalf("no issue #%d", n)
		return githubfake.Issue{}
	}
	is := issue(2)
	if is.Title != "gridsync sync failing" || is.State != "open" || len(is.Labels) != 1 || is.Labels[0].Name != SyncIssueLabel {
		t.Errorf("opened issue: %+v", is)
	}
	for _, want := range []string{
		hiddenMarker("sync", "."), "### gridsync sync failed", "wrote nothing",
		"~~~\nError: Personio answered 503 Service Unavailable for the employees page at offset 100",
		"Since 2024-05-01 10:00 UTC (1 run).", "[workflow run](https://github.example/acme/people-config/actions/runs/4242)",
		"<summary>Output of gridsync sync</summary>", "reading Personio employees: 40/100 after 5s",
	} {
		if !strings.Contains(is.Body, want) {
			t.Errorf("issue body lacks %q:\n%s", want, is.Body)
		}
	}
	if labels := f.fake.Labels(); len(labels) != 1 || labels[0].Name != SyncIssueLabel {
		t.Errorf("labels = %+v, want %s created", labels, SyncIssueLabel)
	}

	// The same failure again, recorded under the next run id: the body
	// counts it, no comment, no new issue.
	again := strings.Replace(failedOutput, "(recorded as sync run 12)", "(recorded as sync run 13)", 1)
	res, err = ReportSync(ctx, f.env, SyncOutcome{ExitCode: 1, Output: again, Dir: ".", Now: t0.Add(30 * time.Minute)})
	if err != nil || res.Action != "updated" || res.Number != 2 {
		t.Fatalf("repeated failure: %+v, %v", res, err)
	}
	if is := issue(2); !strings.Contains(is.Body, "Since 2024-05-01 10:00 UTC (2 runs in a row).") {
		t.Errorf("updated body:\n%s", is.Body)
	}
	if n := len(f.fake.Comments(2)); n != 0 {
		t.Errorf("%d comments for the same reason again", n)
	}

	// A refusal: a new reason, a new title, and a comment.
	res, err = ReportSync(ctx, f.env, SyncOutcome{ExitCode: 4, Output: refusedOutput, Dir: ".", Now: t0.Add(time.Hour)})
	if err != nil || res.Action != "updated" || res.Number != 2 {
		t.Fatalf("refusal: %+v, %v", res, err)
	}
	is = issue(2)
	if is.Title != "gridsync sync refused companies" || !strings.Contains(is.Body, "Refused company globex (deletion guard)") ||
		!strings.Contains(is.Body, "gridsync apply -allow-mass-delete globex.plan") || !strings.Contains(is.Body, "(3 runs in a row)") {
		t.Errorf("issue after the refusal: %q\n%s", is.Title, is.Body)
	}
	if c := f.fake.Comments(2); len(c) != 1 || !strings.Contains(c[0].Body, "The reason changed") || !strings.Contains(c[0].Body, "Refused company globex") {
		t.Errorf("comments after a new reason: %+v", c)
	}

	// Success closes it.
	res, err = ReportSync(ctx, f.env, SyncOutcome{ExitCode: 0, Dir: "."})
	if err != nil || res.Action != "closed" || res.Number != 2 {
		t.Fatalf("success: %+v, %v", res, err)
	}
	if is := issue(2); is.State != "closed" || is.StateReason != "completed" {
		t.Errorf("closed issue: %+v", is)
	}
	if c := f.fake.Comments(2); len(c) != 2 || !strings.Contains(c[1].Body, "The sync succeeded again in [this run](https://github.example/acme/people-config/actions/runs/4242); closing.") {
		t.Errorf("closing comment: %+v", c)
	}

	// Success with nothing open, and an interrupted run: no writes at all.
	before := len(writes(f))
	for _, code := range []int{0, 130, 143, 2} {
		if res, err := ReportSync(ctx, f.env, SyncOutcome{ExitCode: code, Output: failedOutput, Dir: "."}); err != nil || res.Action != "" {
			t.Errorf("exit %d: %+v, %v", code, res, err)
		}
	}
	if after := len(writes(f)); after != before {
		t.Errorf("%d writes for runs that need none", after-before)
	}

	// The next failure opens a new issue; the label exists already.
	res, err = ReportSync(ctx, f.env, SyncOutcome{ExitCode: 1, Output: failedOutput, Dir: "."})
	if err != nil || res.Action != "opened" || res.Number != 3 {
		t.Fatalf("failure after the close: %+v, %v", res, err)
	}
	if is := issue(3); !strings.Contains(is.Body, "(1 run).") {
		t.Errorf("the new issue does not start counting afresh:\n%s", is.Body)
	}
	if issue(1).State != "open" || len(f.fake.Comments(1)) != 0 {
		t.Error("the unrelated issue was touched")
	}
}

// TestReportSyncPerDirectory: each config directory has its own issue.
func TestReportSyncPerDirectory(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, dir := range []string{"teams/acme", "teams/globex"} {
		if res, err := ReportSync(ctx, f.env, SyncOutcome{ExitCode: 1, Output: failedOutput, Dir: dir}); err != nil || res.Action != "opened" {
			t.Fatalf("%s: %+v, %v", dir, res, err)
		}
	}
	if res, err := ReportSync(ctx, f.env, SyncOutcome{ExitCode: 0, Dir: "teams/acme"}); err != nil || res.Action != "closed" {
		t.Fatalf("closing teams/acme: %+v, %v", res, err)
	}
	got := map[string]string{}
	for _, is := range f.fake.Issues() {
		got[is.Title] = is.State
	}
	if got["gridsync sync failing for `teams/acme`"] != "closed" || got["gridsync sync failing for `teams/globex`"] != "open" || len(got) != 2 {
		t.Errorf("issues: %v", got)
	}
}

// TestReportSyncRedactsAndFits: a credential quoted in the output never
// reaches the issue, and a huge output is cut to GitHub's limit.
func TestReportSyncRedactsAndFits(t *testing.T) {
	f := newFixture(t)
	output := "Error: cannot connect to postgres://gridsync:s3cr3t-pw@db.example:5432/gridwork (password=hunter2)\n" +
		strings.Repeat("reading Personio employees: 1/2 after 5s\n", 5000)
	if _, err := ReportSync(context.Background(), f.env, SyncOutcome{ExitCode: 1, Output: output, Dir: "."}); err != nil {
		t.Fatal(err)
	}
	for _, r := range f.fake.Requests() {
		if strings.Contains(r.Body, "s3cr3t-pw") || strings.Contains(r.Body, "hunter2") {
			t.Errorf("%s %s sent a credential:\n%s", r.Method, r.Path, r.Body)
		}
	}
	is := f.fake.Issues()[0]
	if len(is.Body) > MaxCommentChars || !strings.Contains(is.Body, "postgres://db.example:5432/gridwork") || !strings.Contains(is.Body, "gridsync:sync-state") {
		t.Errorf("body of %d bytes:\n%s", len(is.Body), TruncateRunes(is.Body, 2000))
	}
}

// TestReportSyncErrors: missing permissions and tokens are named.
func TestReportSyncErrors(t *testing.T) {
	f := newFixture(t)
	f.fake.Forbid = map[string]bool{"issues": true}
	_, err := ReportSync(context.Background(), f.env, SyncOutcome{ExitCode: 1, Output: failedOutput, Dir: "."})
	var pe *PermissionError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "grant `issues: write`") {
		t.Errorf("forbidden: %v", err)
	}
	env := f.env
	env.Token = ""
	if _, err := ReportSync(context.Background(), env, SyncOutcome{ExitCode: 1, Dir: "."}); err == nil || !strings.Contains(err.Error(), "GITHUB_TOKEN is not set") {
		t.Errorf("no token: %v", err)
	}
}

func TestSyncReason(t *testing.T) {
	tests := []struct{ output, want string }{
		{failedOutput, "Error: Personio answered 503 Service Unavailable for the employees page at offset 100 after 6 attempts; check Personio's status page (recorded as sync run 12)"},
		{refusedOutput, strings.TrimSpace(refusedOutput)},
		{"just a line\nthe last line\n", "the last line"},
		{"", "gridsync sync exited 1 without saying why; the workflow log has its output"},
	}
	for _, tt := range tests {
		if got := syncReason(tt.output, 1); got != tt.want {
			t.Errorf("syncReason(%q) =\n%q\nwant\n%q", tt.output, got, tt.want)
		}
	}
}
