package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gridwork/gridsync/internal/github/githubfake"
)

const (
	testRepo     = "acme/people-config"
	testToken    = "ghs_testtoken"
	testHeadSHA  = "1111111111111111111111111111111111111111"
	testMergeSHA = "2222222222222222222222222222222222222222"
	testPR       = 7
)

// fixture is a fake GitHub plus the Actions environment pointing at it.
type fixture struct {
	fake *githubfake.Server
	env  Env
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	fake := githubfake.New(testRepo)
	fake.Token = testToken
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	env := loadTestEnv(t, srv.URL, testRepo)
	return &fixture{fake: fake, env: env}
}

// loadTestEnv writes a pull_request event from headRepo into testRepo and
// loads the environment through LoadEnv, as the command does.
func loadTestEnv(t *testing.T, apiURL, headRepo string) Env {
	t.Helper()
	dir := t.TempDir()
	event := filepath.Join(dir, "event.json")
	payload := fmt.Sprintf(`{"action":"synchronize","number":%d,"pull_request":{"number":%d,
		"head":{"sha":%q,"repo":{"full_name":%q}},"base":{"sha":"base","repo":{"full_name":%q}}}}`,
		testPR, testPR, testHeadSHA, headRepo, testRepo)
	if err := os.WriteFile(event, []byte(payload), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{
		"GITHUB_TOKEN":        testToken,
		"GITHUB_REPOSITORY":   testRepo,
		"GITHUB_EVENT_NAME":   "pull_request",
		"GITHUB_EVENT_PATH":   event,
		"GITHUB_API_URL":      apiURL,
		"GITHUB_SHA":          testMergeSHA,
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary.md"),
		"GITHUB_SERVER_URL":   "https://github.example",
		"GITHUB_RUN_ID":       "4242",
		"GITHUB_ACTOR":        "octocat",
	}
	env, err := LoadEnv(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// samplePlan is Markdown shaped like plan.RenderMarkdown's: summary, table,
// callout, and a folded text plan of n employee lines.
func samplePlan(n int) string {
	var b strings.Builder
	b.WriteString("HEAD-SENTINEL\n\n**Plan: " + fmt.Sprint(n) + " to add, 0 to change, 0 to unlink, 0 to destroy.**\n\n")
	b.WriteString("| company | add | change | unlink | destroy |\n|---|---:|---:|---:|---:|\n| acme | " + fmt.Sprint(n) + " | 0 | 0 | 0 |\n\n")
	b.WriteString("<details><summary>Show plan</summary>\n\n```diff\n")
	for i := range n {
		fmt.Fprintf(&b, "+ employee.acme[%d] will be created: first_name = \"Jürgen\", last_name = \"Müller-%d\"\n", 1000+i, i)
	}
	b.WriteString("```\n\n</details>\n\nTAIL-SENTINEL\n")
	return b.String()
}

func TestPostPlanCreatesThenEdits(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.fake.AddComment(testPR, "alice", "LGTM")

	first, err := PostPlan(ctx, f.env, PlanComment{Dir: ".", Markdown: "first plan\n", Summary: "Plan: 1 to add, 0 to change, 0 to unlink, 0 to destroy."})
	if err != nil {
		t.Fatal(err)
	}
	if !first.Created || first.CommentID == 0 {
		t.Fatalf("first run: got %+v, want a created comment", first)
	}
	second, err := PostPlan(ctx, f.env, PlanComment{Dir: ".", Markdown: "second plan\n", Summary: "No changes."})
	if err != nil {
		t.Fatal(err)
	}
	if second.Created || second.CommentID != first.CommentID {
		t.Fatalf("second run: got %+v, want comment %d edited", second, first.CommentID)
	}
	comments := f.fake.Comments(testPR)
	if len(comments) != 2 {
		t.Fatalf("got %d comments, want the user's and one sticky comment", len(comments))
	}
	got := comments[1].Body
	if !strings.HasPrefix(got, Marker(".")) || !strings.Contains(got, "second plan") || strings.Contains(got, "first plan") {
		t.Errorf("sticky comment body = %q", got)
	}
}

func TestPostPlanOneCommentPerDir(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	dirs := []string{".", "configs/a", "configs/a/b", "configs/a--b"}
	for round := range 2 {
		for _, d := range dirs {
			if _, err := PostPlan(ctx, f.env, PlanComment{Dir: d, Markdown: fmt.Sprintf("plan of %s round %d\n", d, round)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	comments := f.fake.Comments(testPR)
	if len(comments) != len(dirs) {
		t.Fatalf("got %d comments, want one per directory (%d)", len(comments), len(dirs))
	}
	for i, d := range dirs {
		if want := fmt.Sprintf("plan of %s round 1", d); !strings.Contains(comments[i].Body, want) {
			t.Errorf("comment %d = %q, want it to contain %q", i, comments[i].Body, want)
		}
	}
}

func TestPostPlanFindsCommentAmongHundreds(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var ours int64
	for i := range 250 {
		body := fmt.Sprintf("comment %d", i)
		if i == 120 {
			// Someone quoting the marker in a reply must not be mistaken for it.
			body = "> " + Marker(".") + "\n> old plan"
		}
		if i == 230 { // page 3 at 100 per page
			ours = f.fake.AddComment(testPR, "github-actions[bot]", Marker(".")+"\nold plan")
			continue
		}
		f.fake.AddComment(testPR, "someone", body)
	}
	out, err := PostPlan(ctx, f.env, PlanComment{Dir: ".", Markdown: "new plan\n"})
	if err != nil {
		t.Fatal(err)
	}
	if out.Created || out.CommentID != ours {
		t.Fatalf("got %+v, want comment %d edited", out, ours)
	}
	if n := len(f.fake.Comments(testPR)); n != 250 {
		t.Errorf("got %d comments, want 250 (no new one)", n)
	}
	pages := 0
	for _, r := range f.fake.Requests() {
		if r.Method == "GET" {
			pages++
			if r.Query.Get("per_page") != "100" {
				t.Errorf("listed with per_page=%q, want 100", r.Query.Get("per_page"))
			}
		}
	}
	if pages != 3 {
		t.Errorf("read %d pages, want 3", pages)
	}
}

func TestPostPlanLargePlan(t *testing.T) {
	tests := []struct {
		name         string
		lines        int
		summaryWhole bool
	}{
		{"200 KB: whole plan in the job summary", 2_000, true},
		{"2 MB: job summary cut to its 1 MiB limit", 20_000, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			md := samplePlan(tt.lines)
			out, err := PostPlan(context.Background(), f.env, PlanComment{Dir: ".", Markdown: md})
			if err != nil {
				t.Fatal(err)
			}
			if !out.Truncated || out.SummaryWhole != tt.summaryWhole || out.SummaryCut == tt.summaryWhole {
				t.Fatalf("outcome %+v", out)
			}
			body := f.fake.Comments(testPR)[0].Body
			if len(body) > MaxCommentChars || !utf8.ValidString(body) {
				t.Fatalf("comment is %d bytes (valid UTF-8: %v), limit %d", len(body), utf8.ValidString(body), MaxCommentChars)
			}
			if len(body) < MaxCommentChars*9/10 {
				t.Errorf("comment is %d bytes: the limit is %d, use it", len(body), MaxCommentChars)
			}
			for _, want := range []string{"HEAD-SENTINEL", "TAIL-SENTINEL", "</details>", "of this plan are not shown"} {
				if !strings.Contains(body, want) {
					t.Errorf("comment lacks %q", want)
				}
			}
			// The note must sit outside the code block, so it renders.
			if head, _, ok := strings.Cut(body, "> [!WARNING]"); !ok || openFence(head) != "" {
				t.Errorf("the note is inside a code block")
			}
			summary, err := os.ReadFile(f.env.StepSummary)
			if err != nil {
				t.Fatal(err)
			}
			if len(summary) > MaxStepSummaryBytes {
				t.Errorf("job summary is %d bytes, over GitHub's %d", len(summary), MaxStepSummaryBytes)
			}
			if got := strings.Contains(string(summary), md); got != tt.summaryWhole {
				t.Errorf("job summary holds the whole plan: %v, want %v", got, tt.summaryWhole)
			}
			for _, want := range []string{"HEAD-SENTINEL", "TAIL-SENTINEL"} {
				if !strings.Contains(string(summary), want) {
					t.Errorf("job summary lacks %q", want)
				}
			}
			if pointsToSummary := strings.Contains(body, "The whole plan is in the [job summary](https://github.example/"+testRepo+"/actions/runs/4242)"); pointsToSummary != tt.summaryWhole {
				t.Errorf("comment points to the job summary: %v, want %v", pointsToSummary, tt.summaryWhole)
			}
		})
	}
}

func TestPostPlanStatusOnHeadSHA(t *testing.T) {
	f := newFixture(t)
	long := "Plan: 1 to add, 2 to change, 3 to unlink, 4 to destroy. " + strings.Repeat("ä", 200)
	out, err := PostPlan(context.Background(), f.env, PlanComment{Dir: ".", Markdown: "x\n", Summary: long})
	if err != nil {
		t.Fatal(err)
	}
	st := f.fake.Statuses()
	if len(st) != 1 {
		t.Fatalf("got %d statuses, want 1", len(st))
	}
	if st[0].SHA != testHeadSHA || out.StatusSHA != testHeadSHA {
		t.Errorf("status on %s, want the PR head %s (not GITHUB_SHA %s)", st[0].SHA, testHeadSHA, testMergeSHA)
	}
	if st[0].Context != "gridsync/plan" || st[0].State != "success" {
		t.Errorf("status %+v", st[0])
	}
	if n := utf8.RuneCountInString(st[0].Description); n > 140 || !strings.HasPrefix(st[0].Description, "Plan: 1 to add") {
		t.Errorf("description (%d characters) = %q", n, st[0].Description)
	}
	if want := "https://github.example/" + testRepo + "/actions/runs/4242"; st[0].TargetURL != want {
		t.Errorf("target_url = %q, want %q", st[0].TargetURL, want)
	}
}

func TestPostPlanFailedPlan(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := PostPlan(ctx, f.env, PlanComment{Dir: "configs/prod", Markdown: "STALE PLAN\n"}); err != nil {
		t.Fatal(err)
	}
	out, err := PostPlan(ctx, f.env, PlanComment{Dir: "configs/prod", Failed: true, StatusContext: "gridsync/plan prod"})
	if err != nil {
		t.Fatal(err)
	}
	body := f.fake.Comments(testPR)[0].Body
	if strings.Contains(body, "STALE PLAN") || !strings.Contains(body, "plan failed for `configs/prod`") || !strings.Contains(body, "1111111") {
		t.Errorf("comment after a failed plan = %q", body)
	}
	st := f.fake.Statuses()
	if last := st[len(st)-1]; last.State != "failure" || last.Context != "gridsync/plan prod" || out.Status != "failure" {
		t.Errorf("status %+v, outcome %+v", last, out)
	}
}

func TestPostPlanErrors(t *testing.T) {
	tests := []struct {
		name  string
		setup func(f *fixture)
		want  []string
	}{
		{"comments forbidden", func(f *fixture) { f.fake.Forbid = map[string]bool{"comments": true} },
			[]string{"the token cannot write pull-request comments: grant `pull-requests: write` in the workflow's permissions"}},
		{"statuses forbidden", func(f *fixture) { f.fake.Forbid = map[string]bool{"statuses": true} },
			[]string{"grant `statuses: write` in the workflow's permissions"}},
		{"unknown repository", func(f *fixture) { f.fake.Repo = "acme/other" },
			[]string{"repository " + testRepo + " or its pull request was not found"}},
		{"bad token", func(f *fixture) { f.env.Token = "wrong" },
			[]string{"GitHub rejected the token (401)"}},
		{"no token", func(f *fixture) { f.env.Token = "" },
			[]string{"GITHUB_TOKEN is not set"}},
		{"not a pull request", func(f *fixture) { f.env.PRNumber, f.env.EventName = 0, "push" },
			[]string{`not a pull request: GITHUB_EVENT_NAME is "push"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tt.setup(f)
			_, err := PostPlan(context.Background(), f.env, PlanComment{Dir: ".", Markdown: "plan\n"})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), testToken) {
				t.Errorf("error %q contains the token", err)
			}
		})
	}
}

func TestPostPlanPermissionErrorType(t *testing.T) {
	f := newFixture(t)
	f.fake.Forbid = map[string]bool{"comments": true}
	_, err := PostPlan(context.Background(), f.env, PlanComment{Dir: ".", Markdown: "plan\n"})
	var perm *PermissionError
	if !errors.As(err, &perm) || perm.Permission != "pull-requests: write" {
		t.Fatalf("error %v is not a PermissionError for pull-requests: write", err)
	}
	// The status is still set: it does not depend on the comment.
	if len(f.fake.Statuses()) != 1 {
		t.Errorf("status not set when only comments are forbidden")
	}
}

func TestPostPlanForkPR(t *testing.T) {
	tests := []struct {
		name     string
		token    string
		readOnly bool
	}{
		{"no token", "", false},
		{"read-only token", testToken, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := githubfake.New(testRepo)
			fake.ReadOnly = tt.readOnly
			srv := httptest.NewServer(fake)
			defer srv.Close()
			env := loadTestEnv(t, srv.URL, "contributor/people-config")
			env.Token = tt.token
			if !env.IsFork() {
				t.Fatal("IsFork() = false for a PR from contributor/people-config")
			}
			out, err := PostPlan(context.Background(), env, PlanComment{Dir: ".", Markdown: "the fork's plan\n"})
			if err != nil {
				t.Fatalf("fork PR: %v, want no error", err)
			}
			if !out.ForkNoCredentials {
				t.Errorf("outcome %+v, want ForkNoCredentials", out)
			}
			summary, _ := os.ReadFile(env.StepSummary)
			if !strings.Contains(string(summary), "the fork's plan") {
				t.Errorf("job summary %q lacks the plan", summary)
			}
			if tt.token == "" && len(fake.Requests()) != 0 {
				t.Errorf("%d API requests without a token, want none", len(fake.Requests()))
			}
		})
	}
}

func TestLoadEnv(t *testing.T) {
	env := loadTestEnv(t, "", testRepo)
	if env.PRNumber != testPR || env.HeadSHA != testHeadSHA || env.SHA != testMergeSHA || env.IsFork() {
		t.Errorf("env %+v", env)
	}
	if env.APIURL != DefaultAPIURL {
		t.Errorf("APIURL = %q, want the default %q", env.APIURL, DefaultAPIURL)
	}
	push, err := LoadEnv(func(k string) string {
		return map[string]string{"GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": "/nonexistent"}[k]
	})
	if err != nil || push.PRNumber != 0 {
		t.Errorf("push event: %+v, %v", push, err)
	}
	_, err = LoadEnv(func(k string) string {
		return map[string]string{"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": "/nonexistent"}[k]
	})
	if err == nil {
		t.Error("unreadable pull_request payload: no error")
	}
}

// TestPostPlanForkSurfacesOtherErrors: on a fork, a 403 is expected and
// swallowed, but a status that fails for another reason is still an error.
func TestPostPlanForkSurfacesOtherErrors(t *testing.T) {
	fake := githubfake.New(testRepo)
	fake.Forbid = map[string]bool{"comments": true}
	fake.FailWrites("statuses", 1, http.StatusUnprocessableEntity)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	env := loadTestEnv(t, srv.URL, "contributor/people-config")
	out, err := PostPlan(context.Background(), env, PlanComment{Dir: ".", Markdown: "the fork's plan\n"})
	if err == nil || !strings.Contains(err.Error(), "set commit statuses") {
		t.Fatalf("err = %v, want the failed status", err)
	}
	var perm *PermissionError
	if errors.As(err, &perm) {
		t.Errorf("the comment's 403 on a fork is reported: %v", err)
	}
	if !out.ForkNoCredentials {
		t.Errorf("outcome %+v, want ForkNoCredentials for the refused comment", out)
	}
}
