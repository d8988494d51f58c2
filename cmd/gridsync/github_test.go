package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	ghub "github.com/gridwork/gridsync/internal/github"
	"github.com/gridwork/gridsync/internal/github/githubfake"
	"github.com/gridwork/gridsync/plan"
)

const (
	ghRepo    = "acme/people-config"
	ghToken   = "ghs_cli_test_token_0123456789"
	ghHeadSHA = "abc1234def5678abc1234def5678abc1234def56"
	ghMerge   = "9999999999999999999999999999999999999999"
)

// ghFixture is a fake GitHub, a workspace, and the Actions environment of a
// pull_request job pointing at both.
type ghFixture struct {
	fake      *githubfake.Server
	workspace string
	vars      map[string]string
}

func newGHFixture(t *testing.T, headRepo string) *ghFixture {
	t.Helper()
	fake := githubfake.New(ghRepo)
	fake.Token = ghToken
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	ws := t.TempDir()
	runner := t.TempDir()
	event := filepath.Join(runner, "event.json")
	payload := fmt.Sprintf(`{"pull_request":{"number":7,"head":{"sha":%q,"repo":{"full_name":%q}},"base":{"repo":{"full_name":%q}}}}`, ghHeadSHA, headRepo, ghRepo)
	if err := os.WriteFile(event, []byte(payload), 0o600); err != nil {
		t.Fatal(err)
	}
	return &ghFixture{fake: fake, workspace: ws, vars: map[string]string{
		"GITHUB_TOKEN":        ghToken,
		"GITHUB_REPOSITORY":   ghRepo,
		"GITHUB_EVENT_NAME":   "pull_request",
		"GITHUB_EVENT_PATH":   event,
		"GITHUB_API_URL":      srv.URL,
		"GITHUB_SHA":          ghMerge,
		"GITHUB_STEP_SUMMARY": filepath.Join(runner, "step_summary.md"),
		"GITHUB_SERVER_URL":   "https://github.example",
		"GITHUB_RUN_ID":       "555",
		"GITHUB_WORKSPACE":    ws,
	}}
}

// run runs gridsync with the fixture's environment.
func (f *ghFixture) run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, streams{In: strings.NewReader(""), Out: &out, Err: &errb}, func(k string) string { return f.vars[k] })
	return code, out.String(), errb.String()
}

// writePlan saves a plan that adds n employees to acme.
func writePlan(t *testing.T, dir string, n int) string {
	t.Helper()
	p := &plan.Plan{Scope: []plan.Scope{{Company: "acme", Employees: true, Jobs: true}}, AllCompanies: true}
	p.Changes = append(p.Changes, plan.Change{
		Address: "location.acme.berlin-hq", Type: plan.TypeLocation, Company: "acme", Key: "berlin-hq", Action: plan.Update,
		Before: plan.AttrsOf(map[string]string{plan.FieldName: "Berlin"}), After: plan.AttrsOf(map[string]string{plan.FieldName: "Berlin HQ"}), Reason: "renamed",
	})
	for i := range n {
		id := fmt.Sprint(1000 + i)
		p.Changes = append(p.Changes, plan.Change{
			Address: "employee.acme[" + id + "]", Type: plan.TypeEmployee, Company: "acme", Key: id, Action: plan.Create,
			After: plan.AttrsOf(map[string]string{plan.FieldFirstName: "Ada", plan.FieldLastName: "Lovelace " + id, plan.FieldEmail: "ada" + id + "@acme.example", plan.FieldLocation: "berlin-hq"}),
		})
	}
	p.Summary = plan.Summary{Add: n, Change: 1}
	path := filepath.Join(dir, "plan.json")
	if err := plan.WriteFile(path, p); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestGitHubCommentCreatesThenUpdates(t *testing.T) {
	f := newGHFixture(t, ghRepo)
	planFile := writePlan(t, f.workspace, 2)

	code, out, errOut := f.run(t, "github", "comment", planFile)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	comments := f.fake.Comments(7)
	if len(comments) != 1 {
		t.Fatalf("%d comments, want 1", len(comments))
	}
	if want := fmt.Sprintf("Created comment #%d on PR #7; status gridsync/plan=success on abc1234\n", comments[0].ID); out != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
	code, out, errOut = f.run(t, "github", "comment", planFile)
	if code != 0 {
		t.Fatalf("second run: exit %d: %s", code, errOut)
	}
	if want := fmt.Sprintf("Updated comment #%d on PR #7; status gridsync/plan=success on abc1234\n", comments[0].ID); out != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
	comments = f.fake.Comments(7)
	body := comments[0].Body
	if len(comments) != 1 || !strings.HasPrefix(body, ghub.Marker(".")) {
		t.Fatalf("comments after two runs: %d, first starts %q", len(comments), body[:min(60, len(body))])
	}
	for _, want := range []string{"2 to add, 1 to change", "employee.acme[1001]", "abc1234"} {
		if !strings.Contains(body, want) {
			t.Errorf("comment lacks %q:\n%s", want, body)
		}
	}
	st := f.fake.Statuses()
	if last := st[len(st)-1]; last.SHA != ghHeadSHA || last.Description != "Plan: 2 to add, 1 to change, 0 to unlink, 0 to destroy." {
		t.Errorf("status %+v", last)
	}
}

func TestGitHubCommentChdir(t *testing.T) {
	f := newGHFixture(t, ghRepo)
	dir := filepath.Join(f.workspace, "configs", "prod")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writePlan(t, dir, 1)
	// The plan file is found inside -chdir, where "plan -out" put it.
	code, _, errOut := f.run(t, "github", "comment", "-chdir", dir, "-status-context", "gridsync/plan prod", "plan.json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	body := f.fake.Comments(7)[0].Body
	if !strings.HasPrefix(body, "<!-- gridsync:plan dir=configs/prod -->") || !strings.Contains(body, "`configs/prod`") {
		t.Errorf("comment for -chdir configs/prod:\n%s", body)
	}
	if st := f.fake.Statuses(); st[0].Context != "gridsync/plan prod" {
		t.Errorf("status context %q", st[0].Context)
	}
}

// TestGitHubCommentPlanFileInChdirOnly: a relative PLANFILE is taken inside
// -chdir, as by every other command, even when the working directory has a
// file of the same name (it used to win).
func TestGitHubCommentPlanFileInChdirOnly(t *testing.T) {
	f := newGHFixture(t, ghRepo)
	dir := filepath.Join(f.workspace, "configs", "prod")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writePlan(t, dir, 2)         // gridsync -chdir configs/prod plan -out plan.json
	writePlan(t, f.workspace, 5) // an unrelated plan.json in the working directory
	t.Chdir(f.workspace)
	code, _, errOut := f.run(t, "github", "comment", "-chdir", "configs/prod", "plan.json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if body := f.fake.Comments(7)[0].Body; !strings.Contains(body, "2 to add") {
		t.Errorf("the comment is not the plan inside -chdir:\n%s", body)
	}

	// Only inside -chdir: a file in the working directory alone is not found.
	if err := os.Remove(filepath.Join(dir, "plan.json")); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = f.run(t, "github", "comment", "-chdir", "configs/prod", "plan.json")
	if code != 1 || !strings.Contains(errOut, filepath.Join("configs", "prod", "plan.json")) {
		t.Errorf("exit %d, stderr %q; want 1 and the path inside -chdir", code, errOut)
	}
}

func TestGitHubCommentLongPlan(t *testing.T) {
	f := newGHFixture(t, ghRepo)
	planFile := writePlan(t, f.workspace, 3000)
	code, out, errOut := f.run(t, "github", "comment", planFile)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "The plan was too long for a comment: its middle was cut; the job summary has all of it.") {
		t.Errorf("stdout %q", out)
	}
	body := f.fake.Comments(7)[0].Body
	if len(body) > ghub.MaxCommentChars {
		t.Errorf("comment is %d bytes", len(body))
	}
	summary, err := os.ReadFile(f.vars["GITHUB_STEP_SUMMARY"])
	if err != nil {
		t.Fatal(err)
	}
	// The job summary has the whole plan, uncut: every change, no note.
	md := strings.TrimSuffix(string(summary), "\n")
	for i := range 3000 {
		if addr := fmt.Sprintf("employee.acme[%d]", 1000+i); !strings.Contains(md, addr) {
			t.Fatalf("job summary lacks %s", addr)
		}
	}
	if strings.Contains(md, "not shown") {
		t.Error("job summary was cut")
	}
	// The comment keeps the head and the tail of the same Markdown, with a
	// note in between saying exactly how much was cut.
	for _, want := range []string{"location.acme.berlin-hq", "employee.acme[1000]", "employee.acme[3999]", "3000 to add, 1 to change", "</details>", "Planned at commit `abc1234`"} {
		if !strings.Contains(body, want) {
			t.Errorf("comment lacks %q", want)
		}
	}
	note := regexp.MustCompile("\n\n> \\[!WARNING\\]\n> \\*\\*([0-9,]+) characters \\(([0-9,]+) lines\\) of this plan are not shown\\*\\*: a comment holds at most 65,536 characters\\. " +
		"The whole plan is in the \\[job summary\\]\\(https://github\\.example/acme/people-config/actions/runs/555\\)\\.\n\n")
	loc := note.FindStringSubmatchIndex(body)
	if loc == nil {
		t.Fatalf("no cut note in the comment:\n%s", body)
	}
	// Around the note the diff block is closed and reopened, so the note
	// renders as text.
	head, ok := strings.CutSuffix(body[len(ghub.Marker(".")+"\n"):loc[0]], "```")
	tail, ok2 := strings.CutPrefix(body[loc[1]:], "```diff\n")
	if !ok || !ok2 || !strings.HasPrefix(md, head) || !strings.HasSuffix(md, tail) {
		t.Fatalf("the comment is not head + note + tail of the job summary's Markdown (fences closed %v, reopened %v)", ok, ok2)
	}
	cut := md[len(head) : len(md)-len(tail)]
	chars := strings.ReplaceAll(body[loc[2]:loc[3]], ",", "")
	lines := strings.ReplaceAll(body[loc[4]:loc[5]], ",", "")
	if want := fmt.Sprint(utf8.RuneCountInString(cut)); chars != want {
		t.Errorf("note says %s characters cut, want %s", chars, want)
	}
	if want := fmt.Sprint(strings.Count(cut, "\n")); lines != want {
		t.Errorf("note says %s lines cut, want %s", lines, want)
	}
}

func TestGitHubCommentFailed(t *testing.T) {
	f := newGHFixture(t, ghRepo)
	code, out, errOut := f.run(t, "github", "comment", "-failed")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "status gridsync/plan=failure on abc1234") {
		t.Errorf("stdout %q", out)
	}
	if body := f.fake.Comments(7)[0].Body; !strings.Contains(body, "gridsync plan failed") {
		t.Errorf("comment %q", body)
	}
}

func TestGitHubCommentErrors(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(f *ghFixture)
		args    []string
		code    int
		stdout  string
		stderr  string
		noWrite bool
	}{
		{name: "403 names the permission", setup: func(f *ghFixture) { f.fake.Forbid = map[string]bool{"comments": true} },
			code: 1, stderr: "grant `pull-requests: write` in the workflow's permissions"},
		{name: "fork PR without token", setup: func(f *ghFixture) { f.vars["GITHUB_TOKEN"] = "" },
			code: 0, stdout: ghub.ForkMessage + "\n", noWrite: true},
		{name: "missing plan file", args: []string{"github", "comment", "nope.json"}, code: 1, stderr: "reading the plan file"},
		{name: "no plan file argument", args: []string{"github", "comment"}, code: 1, stderr: "comment needs the plan file"},
		{name: "not a pull request", setup: func(f *ghFixture) { f.vars["GITHUB_EVENT_NAME"] = "push" },
			code: 1, stderr: "not a pull request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			headRepo := ghRepo
			if strings.HasPrefix(tt.name, "fork") {
				headRepo = "contributor/people-config"
			}
			f := newGHFixture(t, headRepo)
			if tt.setup != nil {
				tt.setup(f)
			}
			args := tt.args
			if args == nil {
				args = []string{"github", "comment", writePlan(t, f.workspace, 1)}
			}
			code, out, errOut := f.run(t, args...)
			if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout ⊇ %q, stderr ⊇ %q", code, out, errOut, tt.code, tt.stdout, tt.stderr)
			}
			if tt.noWrite && len(f.fake.Requests()) != 0 {
				t.Errorf("%d API requests, want none", len(f.fake.Requests()))
			}
		})
	}
}

// TestGitHubCommentSendsNoSecrets plants secrets where a config repository's
// job has them (environment and config directory) and checks that no request,
// output or job summary carries them, whatever path the command takes.
func TestGitHubCommentSendsNoSecrets(t *testing.T) {
	secrets := map[string]string{
		"SOPS_AGE_KEY":           "AGE-SECRET-KEY-1QQQQPLANTEDSECRETQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ",
		"GRIDWORK_DATABASE_URL":  "postgres://gridsync:pl4nted-db-passw0rd@db.internal:5432/gridwork",
		"PERSONIO_CLIENT_SECRET": "papi-planted-client-secret-9f8e7d",
		"SOPS_AGE_KEY_FILE":      "/run/secrets/age.key",
	}
	needles := []string{
		"PLANTEDSECRET", "pl4nted-db-passw0rd", "papi-planted-client-secret-9f8e7d", ghToken,
	}
	tests := []struct {
		name  string
		setup func(f *ghFixture)
		args  func(f *ghFixture) []string
	}{
		{name: "comment", args: func(f *ghFixture) []string { return []string{"github", "comment", "-chdir", f.workspace, "plan.json"} }},
		{name: "failed plan", args: func(f *ghFixture) []string { return []string{"github", "comment", "-chdir", f.workspace, "-failed"} }},
		{name: "403", setup: func(f *ghFixture) { f.fake.Forbid = map[string]bool{"comments": true, "statuses": true} },
			args: func(f *ghFixture) []string { return []string{"github", "comment", "-chdir", f.workspace, "plan.json"} }},
		{name: "long plan", setup: func(f *ghFixture) { writePlan(t, f.workspace, 2000) },
			args: func(f *ghFixture) []string { return []string{"github", "comment", "-chdir", f.workspace, "plan.json"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newGHFixture(t, ghRepo)
			for k, v := range secrets {
				f.vars[k] = v
				t.Setenv(k, v)
			}
			// A config directory with its secrets next to it, as a user's has.
			files := map[string]string{
				"main.hcl":                  "personio {\n  tenant = \"acme\"\n  credentials = sops_file(\"secrets/personio.enc.yaml\")\n}\n",
				"secrets/personio.enc.yaml": "client_id: papi-id\nclient_secret: papi-planted-client-secret-9f8e7d\n",
			}
			for name, content := range files {
				path := filepath.Join(f.workspace, name)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			writePlan(t, f.workspace, 3)
			if tt.setup != nil {
				tt.setup(f)
			}
			_, out, errOut := f.run(t, tt.args(f)...)
			summary, _ := os.ReadFile(f.vars["GITHUB_STEP_SUMMARY"])
			reqs := f.fake.Requests()
			if len(reqs) == 0 {
				t.Fatal("no requests: nothing was checked")
			}
			for _, n := range needles {
				for _, r := range reqs {
					if strings.Contains(r.Body, n) || strings.Contains(r.Path, n) || strings.Contains(r.Query.Encode(), n) {
						t.Errorf("%s %s carries secret %q", r.Method, r.Path, n)
					}
				}
				for where, s := range map[string]string{"stdout": out, "stderr": errOut, "job summary": string(summary)} {
					if strings.Contains(s, n) {
						t.Errorf("%s carries secret %q", where, n)
					}
				}
			}
		})
	}
}
