package main

import (
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gridwork/gridsync/internal/github/githubfake"
	"github.com/gridwork/gridsync/internal/personio/personiosim"
)

// TestE2ESyncWorkflowIssue runs what .github/workflows/gridsync-sync.yml
// runs, against the simulator, the database and a fake GitHub: gridsync
// sync with its stderr in a file, then gridsync github sync-issue with the
// exit code. A refusal opens the gridsync-sync issue, a failure updates it,
// the next success closes it; and nothing along the way shows the Personio
// client secret, its token or the database password.
func TestE2ESyncWorkflowIssue(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	const dbPassword = "pl4nted-db-pw"
	u, err := url.Parse(h.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), dbPassword)
	h.env["GRIDWORK_DATABASE_URL"] = u.String()

	fake := githubfake.New(ghRepo)
	fake.Token = ghToken
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	for k, v := range map[string]string{
		"GITHUB_TOKEN": ghToken, "GITHUB_REPOSITORY": ghRepo, "GITHUB_EVENT_NAME": "schedule", "GITHUB_API_URL": srv.URL,
		"GITHUB_SERVER_URL": "https://github.example", "GITHUB_RUN_ID": "777", "GITHUB_WORKSPACE": filepath.Dir(h.dir),
	} {
		h.env[k] = v
	}
	var seen strings.Builder
	// step runs the workflow's two steps and returns sync's exit code.
	step := func(args ...string) int {
		t.Helper()
		out, stderr, code := h.gs(append([]string{"-v", "sync"}, args...)...)
		seen.WriteString(out + stderr)
		file := filepath.Join(t.TempDir(), "sync.err")
		if err := os.WriteFile(file, []byte(stderr), 0o600); err != nil {
			t.Fatal(err)
		}
		out, stderr = h.mustGS(0, "github", "sync-issue", "-exit-code", strconv.Itoa(code), "-output", file)
		seen.WriteString(out + stderr)
		return code
	}
	issues := func() []githubfake.Issue {
		t.Helper()
		var out []githubfake.Issue
		for _, is := range fake.Issues() {
			if is.State == "open" {
				out = append(out, is)
			}
		}
		return out
	}

	if code := step(); code != 0 || len(fake.Issues()) != 0 {
		t.Fatalf("first sync: exit %d, issues %+v", code, fake.Issues())
	}

	// globex's office empties in Personio: refused, the issue opens.
	for _, e := range h.sim.Employees() {
		if e.OfficeID == officeHamburg {
			h.sim.DeleteEmployee(e.ID)
		}
	}
	if code := step(); code != exitRefused {
		t.Fatalf("sync with globex emptied: exit %d", code)
	}
	open := issues()
	if len(open) != 1 || open[0].Title != "gridsync sync refused companies for `"+filepath.Base(h.dir)+"`" ||
		!strings.Contains(open[0].Body, "Refused company globex (deletion guard): nothing of it was written.") ||
		!strings.Contains(open[0].Body, "-allow-mass-delete globex.plan") {
		t.Fatalf("open issues after the refusal: %+v", open)
	}

	// Personio rejects the credentials: the same issue, updated.
	h.sim.SetFaults(personiosim.Faults{Forbidden: true})
	if code := step(); code != 1 {
		t.Fatalf("sync with Personio refusing: exit %d", code)
	}
	h.sim.SetFaults(personiosim.Faults{})
	open = issues()
	if len(open) != 1 || !strings.HasPrefix(open[0].Title, "gridsync sync failing") || !strings.Contains(open[0].Body, "(2 runs in a row)") ||
		!strings.Contains(open[0].Body, "(403)") {
		t.Fatalf("open issues after the failure: %+v", open)
	}

	// A person applies the refusal after review; the next sync closes it.
	h.mustGS(0, "plan", "-company", "globex", "-out", "globex.plan")
	h.mustGS(0, "apply", "-allow-mass-delete", "globex.plan")
	if code := step(); code != 0 {
		t.Fatalf("sync after the reviewed apply: exit %d", code)
	}
	if open := issues(); len(open) != 0 {
		t.Errorf("issues still open after a successful sync: %+v", open)
	}
	if all := fake.Issues(); len(all) != 1 || all[0].StateReason != "completed" {
		t.Errorf("issues: %+v, want the one issue, closed", all)
	}

	// The secret canary, over everything the runs showed and sent.
	for _, args := range [][]string{{"status", "-json"}, {"status"}, {"history", "-json"}} {
		out, stderr := h.mustGS(0, args...)
		seen.WriteString(out + stderr)
	}
	for _, r := range fake.Requests() {
		seen.WriteString(r.Path + " " + r.Body)
	}
	for _, row := range h.query("select r::text from sync_runs r union all select s::text from sync_status s") {
		seen.WriteString(row)
	}
	text := seen.String()
	if !strings.Contains(text, "Refused company globex") || !strings.Contains(text, `"last_outcome": "succeeded"`) {
		t.Fatalf("the canary saw too little:\n%s", text)
	}
	for _, secret := range []string{personiosim.DefaultClientSecret, "papi-", dbPassword, ghToken} {
		if strings.Contains(text, secret) {
			t.Errorf("sync, status, history or the sync issue revealed %q", secret)
		}
	}
}
