package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gridwork/gridsync/internal/interrupt"
	"github.com/gridwork/gridsync/internal/personio"
	"github.com/gridwork/gridsync/internal/personio/personiosim"
	"github.com/gridwork/gridsync/internal/views"
	"github.com/gridwork/gridsync/plan"
)

// dataTables are the tables a sync writes data to (not the sync log).
var dataTables = []string{"companies", "locations", "employees", "jobs"}

// syncStatus returns status -json as "company kind" → its row.
func (h *e2e) syncStatus() map[string]views.StatusRow {
	h.t.Helper()
	out, _ := h.mustGS(0, "status", "-json")
	var s struct {
		FormatVersion string            `json:"format_version"`
		Companies     []views.StatusRow `json:"companies"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil || s.FormatVersion != "1.1" {
		h.t.Fatalf("status -json (%v):\n%s", err, out)
	}
	m := map[string]views.StatusRow{}
	for _, c := range s.Companies {
		m[c.Company+" "+c.Kind] = c
	}
	return m
}

// lastRuns returns the newest n runs as "outcome|rows_written|error".
func (h *e2e) lastRuns(n int) []string {
	h.t.Helper()
	return h.query("select outcome, rows_written, error from sync_runs order by id desc limit $1", n)
}

// TestE2ESyncConvergesThenIdles: the first sync creates everything, the
// next one finds nothing to do, writes no data row, and is still recorded.
func TestE2ESyncConvergesThenIdles(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	out, stderr := h.mustGS(0, "sync")
	if !strings.Contains(out, "will be created") || !strings.Contains(out, "\nSync complete! Resources: ") || !strings.Contains(out, "Recorded as sync run 1.") {
		t.Errorf("first sync printed:\n%s\nstderr:\n%s", out, stderr)
	}
	h.assertState(e2eMapping())

	data := h.checksum(dataTables...)
	h.sim.ResetStats()
	out, stderr = h.mustGS(0, "sync")
	if want := plan.NoChanges + "\n\nSync complete! Resources: 0 added, 0 changed, 0 unlinked, 0 destroyed.\nRecorded as sync run 2.\n"; out != want || stderr != "" {
		t.Errorf("idle sync: stdout:\n%s\nstderr:\n%s\nwant stdout:\n%s", out, stderr, want)
	}
	if got := h.checksum(dataTables...); got != data {
		t.Error("the idle sync wrote data rows")
	}
	if got := h.query("select id, command, outcome, rows_written, created + updated + adopted + unlinked + deleted from sync_runs order by id"); !slices.Equal(got, []string{
		fmt.Sprintf("1|sync|succeeded|%d|%d", h.count("select count(*) from companies")+h.count("select count(*) from locations")+
			h.count("select count(*) from employees")+h.count("select count(*) from jobs"), h.count("select count(*) from sync_changes where run_id = 1")),
		"2|sync|succeeded|0|0",
	}) {
		t.Errorf("sync runs = %q", got)
	}
	if n := h.count("select count(*) from sync_changes where run_id = 2"); n != 0 {
		t.Errorf("the idle sync logged %d changes", n)
	}
	// An idle run still reads all of Personio: one page per 100 employees
	// (the fixture has 100), the token, and the feed.
	stats := h.sim.Stats()
	requests := 0
	for _, byStatus := range stats {
		for _, n := range byStatus {
			requests += n
		}
	}
	t.Logf("requests of an idle sync of %d employees: %d (%v)", len(h.sim.Employees()), requests, stats)

	// -v logs the run's line, with the requests Personio saw.
	h.sim.ResetStats()
	_, stderr = h.mustGS(0, "-v", "sync")
	requests = 0
	for _, byStatus := range h.sim.Stats() {
		for _, n := range byStatus {
			requests += n
		}
	}
	if !strings.Contains(stderr, `msg="sync run" outcome=succeeded duration=`) ||
		!strings.Contains(stderr, fmt.Sprintf(" run=3 rows=0 personio_requests=%d companies.acme=", requests)) {
		t.Errorf("-v sync does not log its run with %d requests:\n%s", requests, stderr)
	}

	st := h.syncStatus()
	for key, r := range st {
		if r.LastOutcome == nil || *r.LastOutcome != "succeeded" || r.LastAttemptRunID == nil || *r.LastAttemptRunID != 3 ||
			r.LastRunID == nil || *r.LastRunID != 3 || r.LastError != "" || *r.LastAttemptAt != *r.LastSyncedAt {
			t.Errorf("status %s after the idle sync: %+v", key, r)
		}
	}
}

// TestE2ESyncRefusalIsolation: the guard refuses globex (its office
// suddenly empty in Personio) while acme's change is applied: exit 4,
// globex untouched and recorded as refused with the reason, stderr says
// what it would have done and how to proceed, and doing that works.
func TestE2ESyncRefusalIsolation(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	h.mustGS(0, "sync")

	renamed := h.pickEmployee(inOffice(officeBerlin))
	renamed.FirstName = "Isolated"
	h.sim.UpsertEmployee(renamed)
	var gone int
	for _, e := range h.sim.Employees() {
		if e.OfficeID == officeHamburg {
			h.sim.DeleteEmployee(e.ID)
			if syncedStatus(e.Status) {
				gone++
			}
		}
	}
	globexRows := func() []string {
		return h.query(`select e.id, e.first_name, e.external_id from employees e join companies c on c.id = e.company_id
			where c.slug = 'globex' order by e.id`)
	}
	globexSynced := h.query("select cs.kind, cs.last_synced_at::text from company_sync cs join companies c on c.id = cs.company_id where c.slug = 'globex' order by 1")
	before := globexRows()

	out, stderr, code := h.gs("sync")
	if code != exitRefused {
		t.Fatalf("sync: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitRefused, out, stderr)
	}
	if !strings.Contains(out, fmt.Sprintf("employee.acme[%d] will be updated", renamed.ID)) || strings.Contains(out, "employee.globex") ||
		!strings.Contains(out, "Sync complete, except for globex (refused, see below)! Resources: 0 added, 1 changed, 0 unlinked, 0 destroyed.") {
		t.Errorf("stdout shows more or less than acme's change:\n%s", out)
	}
	chdir := h.dir
	for _, want := range []string{
		"Refused company globex (deletion guard): nothing of it was written.",
		"Why: the plan would remove or unlink",
		"Personio's answer looks suspicious: company globex: Personio lists no employees in office Hamburg",
		fmt.Sprintf("It would have made: 0 to add, 0 to change, 0 to unlink, %d to destroy.", gone),
		"gridsync plan -chdir " + chdir + " -company globex -out globex.plan",
		"gridsync apply -chdir " + chdir + " -allow-mass-delete globex.plan",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if got := globexRows(); !slices.Equal(got, before) {
		t.Errorf("globex's employees changed although it was refused")
	}
	if got := h.query("select cs.kind, cs.last_synced_at::text from company_sync cs join companies c on c.id = cs.company_id where c.slug = 'globex' order by 1"); !slices.Equal(got, globexSynced) {
		t.Errorf("globex's last-synced times moved: %q, were %q", got, globexSynced)
	}
	if got := h.linkedEmployees()[fmt.Sprintf("acme/%d", renamed.ID)]; !strings.HasPrefix(got, "Isolated|") {
		t.Errorf("acme's change was not applied: %q", got)
	}

	runs := h.lastRuns(1)
	if len(runs) != 1 || !strings.HasPrefix(runs[0], "refused|1|refused globex: the plan would remove or unlink") {
		t.Errorf("the run is recorded as %q", runs)
	}
	hist, _ := h.mustGS(0, "history", "-limit", "1")
	if !strings.Contains(hist, " sync ") || !strings.Contains(hist, " refused ") || !strings.Contains(hist, "refused globex: the plan would") {
		t.Errorf("history does not show the refusal:\n%s", hist)
	}
	st := h.syncStatus()
	for key, want := range map[string]string{"acme employees": "succeeded", "acme jobs": "succeeded", "globex employees": "refused", "globex jobs": "refused"} {
		r := st[key]
		if r.LastOutcome == nil || *r.LastOutcome != want {
			t.Errorf("status %s: outcome %v, want %s", key, r.LastOutcome, want)
		}
		if want == "refused" && (!strings.Contains(r.LastError, "Personio lists no employees in office Hamburg") || r.LastSyncedAt == nil || *r.LastSyncedAt == *r.LastAttemptAt) {
			t.Errorf("status %s: %+v", key, r)
		}
	}

	// Doing what stderr says resolves it.
	h.mustGS(0, "plan", "-company", "globex", "-out", "globex.plan")
	h.mustGS(0, "apply", "-allow-mass-delete", "globex.plan")
	h.assertState(e2eMapping())
	out, _ = h.mustGS(0, "sync")
	if !strings.HasPrefix(out, plan.NoChanges) {
		t.Errorf("sync after the reviewed apply:\n%s", out)
	}
}

// TestE2EConcurrentWriters: writers started together all succeed (the
// waiters plan under the lock, against what the first wrote), and the end
// state is that of one sync.
func TestE2EConcurrentWriters(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	for _, n := range []int{2, 5} {
		t.Run(fmt.Sprint(n, " at once"), func(t *testing.T) {
			e := h.pickEmployee(inOffice(officeMunich))
			e.Position = fmt.Sprint("Position for ", n)
			h.sim.UpsertEmployee(e)
			h.sim.UpsertEmployee(personiosim.Employee{ID: h.nextEmployeeID(), FirstName: "Concurrent", LastName: fmt.Sprint(n),
				Email: fmt.Sprintf("concurrent%d@acme.example", n), Status: "active", OfficeID: officeBerlin})
			runs := h.count("select count(*) from sync_runs")
			var chs []<-chan cliResult
			for i := range n {
				args := []string{"sync", "-lock-timeout", "1m"}
				if i%2 == 1 {
					args = []string{"apply", "-auto-approve", "-lock-timeout", "1m"}
				}
				chs = append(chs, h.goGS(args...))
			}
			for i, ch := range chs {
				if r := wait(t, ch); r.code != 0 || strings.Contains(r.stderr, "stale") {
					t.Errorf("writer %d: exit %d\nstdout:\n%s\nstderr:\n%s", i, r.code, r.stdout, r.stderr)
				}
			}
			if got := h.query("select count(*), count(*) filter (where outcome = 'succeeded'), count(*) filter (where rows_written > 0) from sync_runs where id > $1", runs); !slices.Equal(got, []string{fmt.Sprintf("%d|%d|1", n, n)}) {
				t.Errorf("runs (all, succeeded, writing) = %q, want %d, %d, 1", got, n, n)
			}
			h.assertWholeRuns()
			h.assertState(e2eMapping())
			h.noChanges()
		})
	}
}

// TestE2ESyncEvery: sync -every keeps the database in sync with Personio
// until SIGTERM, then exits 0 without leaving half a run.
func TestE2ESyncEvery(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	done := h.goGSCtx(ctx, "sync", "-every", "100ms")

	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !ok() {
			select {
			case r := <-done:
				t.Fatalf("sync -every ended before %s: exit %d\n%s", what, r.code, r.stderr)
			case <-time.After(20 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				t.Fatalf("no %s within 30s", what)
			}
		}
	}
	waitFor("first sync", func() bool { return h.count("select count(*) from sync_runs where outcome = 'succeeded'") >= 1 })

	hire := personiosim.Employee{ID: h.nextEmployeeID(), FirstName: "Every", LastName: "Tick", Email: "every.tick@acme.example", Status: "active", OfficeID: officeBerlin}
	h.sim.UpsertEmployee(hire)
	key := fmt.Sprintf("acme/%d", hire.ID)
	waitFor("the hire in Gridwork", func() bool { return h.linkedEmployees()[key] != "" })
	waitFor("an idle run after it", func() bool {
		return h.count("select count(*) from sync_runs where outcome = 'succeeded' and rows_written = 0") >= 1
	})

	cancel(interrupt.Cause{Signal: syscall.SIGTERM})
	r := wait(t, done)
	if r.code != 0 {
		t.Errorf("sync -every after SIGTERM: exit %d, want 0\nstderr:\n%s", r.code, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("sync -every printed on stdout:\n%s", r.stdout)
	}
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	var runLines int
	for _, l := range lines {
		if strings.Contains(l, `msg="sync run"`) {
			runLines++
			if !strings.Contains(l, "outcome=") || !strings.Contains(l, "duration=") || !strings.Contains(l, "personio_requests=") {
				t.Errorf("run line lacks fields: %s", l)
			}
		}
	}
	if want := h.count("select count(*) from sync_runs"); runLines != want {
		t.Errorf("%d run lines for %d recorded runs:\n%s", runLines, want, r.stderr)
	}
	if !strings.Contains(r.stderr, `companies.acme="1 to add, 0 to change, 0 to unlink, 0 to destroy."`) {
		t.Errorf("no run line counts the hire for acme:\n%s", r.stderr)
	}
	if !strings.Contains(lines[len(lines)-1], `msg=stopped reason="interrupted by SIGTERM"`) {
		t.Errorf("the last line does not say why it stopped: %s", lines[len(lines)-1])
	}
	// A run cut short by the signal is rolled back and recorded as failed;
	// nothing of it is left.
	h.assertWholeRuns()
	h.assertState(e2eMapping())
	if n := h.count("select count(*) from sync_runs where outcome = 'failed' and error not like 'interrupted%'"); n != 0 {
		t.Errorf("%d runs failed for another reason than the interrupt", n)
	}
}

// TestE2ESyncEveryKeepsGoing: a failing run is logged and retried on the
// next tick; it never ends the loop.
func TestE2ESyncEveryKeepsGoing(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	h.sim.SetFaults(personiosim.Faults{Forbidden: true})
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	done := h.goGSCtx(ctx, "sync", "-every", "50ms")
	deadline := time.Now().Add(30 * time.Second)
	for h.count("select count(*) from sync_runs where outcome = 'failed'") < 2 {
		if time.Now().After(deadline) {
			t.Fatal("no two failed runs within 30s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	h.sim.SetFaults(personiosim.Faults{})
	for h.count("select count(*) from sync_runs where outcome = 'succeeded'") < 1 {
		if time.Now().After(deadline) {
			t.Fatal("no successful run after Personio recovered")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel(interrupt.Cause{Signal: syscall.SIGINT})
	r := wait(t, done)
	if r.code != 0 || !strings.Contains(r.stderr, "level=WARN msg=\"sync run\" outcome=failed") || !strings.Contains(r.stderr, "(403)") {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	h.assertState(e2eMapping())
}

// TestE2ESyncInvalidConfig: -every with an invalid configuration ends at
// once, like a one-shot sync, with the diagnostics and nothing written.
func TestE2ESyncInvalidConfig(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	h.setConfig(strings.Replace(e2eCompanies, `office = "Munich"`, `office = 42`, 1) + "\ncompany \"Bad Slug\" {\n  name = \"x\"\n}\n")
	for _, args := range [][]string{{"sync"}, {"sync", "-every", "1s"}} {
		out, stderr, code := h.gs(args...)
		if code != 1 || out != "" || !strings.Contains(stderr, "Error: ") || !strings.Contains(stderr, "on gridsync.hcl line") {
			t.Errorf("%s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, stderr)
		}
	}
	if n := h.count("select (select count(*) from sync_runs) + (select count(*) from companies)"); n != 0 {
		t.Errorf("%d rows written for an invalid configuration", n)
	}
}

// TestE2ESyncFailures: Personio down (5xx past the retries) or the
// database down: exit 1, nothing written; status shows the failure and its
// cause when the database could record it.
func TestE2ESyncFailures(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	h.mustGS(0, "sync")
	h.personio = func(o *personio.Options) {
		o.MinBackoff, o.MaxBackoff, o.MaxAttempts = time.Millisecond, 5*time.Millisecond, 3
	}
	e := h.pickEmployee(inOffice(officeBerlin))
	e.FirstName = "Unsynced"
	h.sim.UpsertEmployee(e)
	data := h.checksum(dataTables...)

	h.sim.SetFaults(personiosim.Faults{ErrorRate: 1})
	out, stderr, code := h.gs("sync")
	h.sim.SetFaults(personiosim.Faults{})
	if code != 1 || out != "" || !strings.Contains(stderr, "Error: ") || !strings.Contains(stderr, "(recorded as sync run 2)") {
		t.Errorf("sync with Personio down: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	if h.checksum(dataTables...) != data {
		t.Error("a sync with Personio down wrote data")
	}
	cause := strings.TrimPrefix(strings.TrimSuffix(strings.SplitN(stderr, "\n", 2)[0], " (recorded as sync run 2)"), "Error: ")
	for key, r := range h.syncStatus() {
		if r.LastOutcome == nil || *r.LastOutcome != "failed" || r.LastError != cause || r.LastAttemptRunID == nil || *r.LastAttemptRunID != 2 ||
			r.LastRunID == nil || *r.LastRunID != 1 {
			t.Errorf("status %s after Personio failed: %+v, want failed with %q", key, r, cause)
		}
	}
	if runs := h.lastRuns(1); len(runs) != 1 || runs[0] != "failed|0|"+cause {
		t.Errorf("run recorded as %q, want failed with %q", runs, cause)
	}
	if !strings.Contains(cause, "Personio") {
		t.Errorf("the cause does not name Personio: %q", cause)
	}

	// The database down: nothing to record in, a clear message.
	h.env["GRIDWORK_DATABASE_URL"] = "postgres://gridsync@127.0.0.1:1/gridwork"
	out, stderr, code = h.gs("sync")
	if code != 1 || out != "" || !strings.Contains(stderr, "Error: cannot connect to the Gridwork database at 127.0.0.1:1/gridwork") ||
		!strings.Contains(stderr, "check target.database_url or GRIDWORK_DATABASE_URL") {
		t.Errorf("sync with the database down: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
}

// TestE2EStatusMaxAge: status -max-age fails naming each enabled company
// and kind that has not synced successfully within the age, and only those.
func TestE2EStatusMaxAge(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	// globex's jobs are paused: never named.
	h.setConfig(strings.Replace(e2eCompanies, `name = "Globex AG"`, `name = "Globex AG"

  sync {
    jobs = "off"
  }`, 1))

	out, stderr, code := h.gs("status", "-max-age", "1h")
	if code != 1 || !strings.Contains(out, "never") {
		t.Errorf("status -max-age before any sync: exit %d\n%s%s", code, out, stderr)
	}
	for _, want := range []string{"acme employees has never synced (-max-age 1h0m0s)", "acme jobs has never synced", "globex employees has never synced",
		"Error: 3 company kinds not synced successfully within 1h0m0s"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "globex jobs") {
		t.Errorf("a paused kind is named:\n%s", stderr)
	}

	h.mustGS(0, "sync")
	if _, stderr := h.mustGS(0, "status", "-max-age", "1h"); stderr != "" {
		t.Errorf("status -max-age 1h right after a sync says:\n%s", stderr)
	}
	if _, stderr := h.mustGS(0, "status", "-json", "-max-age", "1h"); stderr != "" {
		t.Errorf("status -json -max-age 1h right after a sync says:\n%s", stderr)
	}

	// Failing syncs do not count; the last attempt and its cause are named.
	h.sim.SetFaults(personiosim.Faults{Forbidden: true})
	h.mustGS(1, "sync")
	time.Sleep(20 * time.Millisecond)
	_, stderr, code = h.gs("status", "-max-age", "10ms")
	if code != 1 || strings.Count(stderr, " ago, at ") != 3 || !strings.Contains(stderr, "; the last attempt failed at ") || !strings.Contains(stderr, "(403)") {
		t.Errorf("status -max-age 10ms after a failed sync: exit %d\n%s", code, stderr)
	}
	if _, _, code := h.gs("status", "-max-age", "-1h"); code != 1 {
		t.Errorf("a negative -max-age: exit %d", code)
	}
}

// TestE2ERunRecords: every run records the configuration's digest, a saved
// plan's apply included, and whether tracked files of the configuration
// directory had uncommitted changes (dirty).
func TestE2ERunRecords(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	delete(h.env, "GITHUB_SHA") // the commit comes from git

	type run struct {
		Command      string `json:"command"`
		GitCommit    string `json:"git_commit"`
		Dirty        bool   `json:"dirty"`
		ConfigDigest string `json:"config_digest"`
	}
	last := func() run {
		t.Helper()
		out, _ := h.mustGS(0, "history", "-json", "-limit", "1")
		var hist struct {
			FormatVersion string `json:"format_version"`
			Runs          []run  `json:"runs"`
		}
		if err := json.Unmarshal([]byte(out), &hist); err != nil || len(hist.Runs) != 1 || hist.FormatVersion != "1.1" ||
			!strings.Contains(out, `"dirty": `) {
			t.Fatalf("history -json (%v):\n%s", err, out)
		}
		return hist.Runs[0]
	}

	// Not a git repository: no commit, not dirty.
	h.mustGS(0, "plan", "-out", "saved.plan")
	saved, err := plan.ReadFile(filepath.Join(h.dir, "saved.plan"))
	if err != nil {
		t.Fatal(err)
	}
	h.mustGS(0, "apply", "saved.plan")
	if r := last(); r != (run{Command: "apply PLANFILE", ConfigDigest: saved.Digests.Config}) || len(r.ConfigDigest) != 64 {
		t.Errorf("apply PLANFILE outside git recorded %+v, want the plan's config digest %s", r, saved.Digests.Config)
	}
	h.mustGS(0, "sync")
	if r := last(); r.ConfigDigest != saved.Digests.Config {
		t.Errorf("sync recorded config digest %s, apply PLANFILE %s: not the same configuration?", r.ConfigDigest, saved.Digests.Config)
	}

	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", h.dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	git("add", "gridsync.hcl", "secrets")
	git("commit", "-q", "-m", "config")
	head := git("rev-parse", "HEAD")

	if err := os.WriteFile(filepath.Join(h.dir, "notes.txt"), []byte("untracked"), 0o644); err != nil {
		t.Fatal(err)
	}
	h.mustGS(0, "sync")
	if r := last(); r.GitCommit != head || r.Dirty || r.Command != "sync" {
		t.Errorf("clean checkout with an untracked file recorded %+v, want commit %s, not dirty", r, head)
	}

	h.setConfig(e2eCompanies + "\n# an uncommitted comment\n")
	h.mustGS(0, "apply", "-auto-approve")
	r := last()
	if r.GitCommit != head || !r.Dirty || r.Command != "apply" {
		t.Errorf("edited tracked file recorded %+v, want commit %s, dirty", r, head)
	}
	hist, _ := h.mustGS(0, "history", "-limit", "1")
	if !strings.Contains(hist, head[:7]+"-dirty") {
		t.Errorf("history does not show the dirty commit:\n%s", hist)
	}
	git("add", "gridsync.hcl")
	h.mustGS(0, "sync")
	if r := last(); !r.Dirty {
		t.Errorf("a staged, uncommitted change recorded %+v, want dirty", r)
	}
}

// TestE2EWaiterPrintsOnlyUnderTheLock: a sync that waits for the lock
// prints nothing of its plan until it holds it, and says whom it waits for.
func TestE2EWaiterPrintsOnlyUnderTheLock(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	release := h.lockTable("lock table sync_runs in exclusive mode")
	first := h.goGS("sync")
	h.waitForLocks(`select count(*) from pg_locks l where `+locksInThisDB+` and not l.granted and l.relation = to_regclass('sync_runs')`, 1, first)
	var out, errb lockedBuffer
	waiterDone := make(chan int, 1)
	go func() {
		g := &globals{streams: streams{In: strings.NewReader(""), Out: &out, Err: &errb}, getenv: func(k string) string { return h.env[k] }}
		waiterDone <- runGlobals(context.Background(), g, []string{"sync", "-chdir", h.dir, "-lock-timeout", "30s"})
	}()
	h.waitForLocks(`select count(*) from pg_locks l where `+locksInThisDB+` and not l.granted and l.locktype = 'advisory'`, 1, nil)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(errb.String(), "Waiting up to 30s for the apply lock, held by gridsync sync (pid ") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if s := out.String(); s != "" {
		t.Errorf("the waiter printed before it held the lock:\n%s", s)
	}
	if !strings.Contains(errb.String(), "Waiting up to 30s for the apply lock, held by gridsync sync (pid ") {
		t.Errorf("the waiter does not say whom it waits for:\n%s", errb.String())
	}
	release()
	if r := wait(t, first); r.code != 0 {
		t.Errorf("first sync: exit %d\n%s", r.code, r.stderr)
	}
	select {
	case code := <-waiterDone:
		if code != 0 || !strings.HasPrefix(out.String(), plan.NoChanges) {
			t.Errorf("waiter: exit %d\n%s%s", code, out.String(), errb.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the waiter did not finish")
	}
}

// lockedBuffer is a bytes.Buffer safe for one writer and concurrent
// readers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestE2ESyncRefusesACompanyThatLeft: a company removed from the
// configuration would have all its records unlinked: sync refuses it, and
// the advice is a plan of every company (-company would not know it).
func TestE2ESyncRefusesACompanyThatLeft(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	h.mustGS(0, "sync")
	acmeOnly := e2eCompanies[:strings.Index(e2eCompanies, `company "globex"`)]
	h.setConfig(acmeOnly)
	linked := h.count(`select count(*) from employees e join companies c on c.id = e.company_id where c.slug = 'globex' and e.external_source = 'personio'`)

	_, stderr, code := h.gs("-v", "sync")
	chdir := h.dir
	if code != exitRefused || !strings.Contains(stderr, "Refused company globex (deletion guard)") ||
		!strings.Contains(stderr, " companies.globex=refused") ||
		!strings.Contains(stderr, "gridsync plan -chdir "+chdir+" -out reviewed.plan\n") ||
		!strings.Contains(stderr, "gridsync apply -chdir "+chdir+" -allow-mass-delete reviewed.plan\n") {
		t.Fatalf("sync after globex left: exit %d\n%s", code, stderr)
	}
	if n := h.count(`select count(*) from employees e join companies c on c.id = e.company_id where c.slug = 'globex' and e.external_source = 'personio'`); n != linked {
		t.Errorf("globex has %d linked employees after the refusal, had %d", n, linked)
	}
	h.mustGS(0, "plan", "-out", "reviewed.plan")
	h.mustGS(0, "apply", "-allow-mass-delete", "reviewed.plan")
	if n := h.count(`select count(*) from employees e join companies c on c.id = e.company_id where c.slug = 'globex' and e.external_source = 'personio'`); n != 0 {
		t.Errorf("globex still has %d linked employees after the reviewed apply", n)
	}
	if out, _ := h.mustGS(0, "sync"); !strings.HasPrefix(out, plan.NoChanges) {
		t.Errorf("sync after the reviewed apply:\n%s", out)
	}
}

// TestE2ESyncJobsUnavailable: when the job feed answers 404 (the career
// page switched off), sync applies employees, leaves linked jobs alone,
// exits 0 with a warning, and records every company's jobs as failed with
// the feed's answer; the next sync with the feed back counts them again.
func TestE2ESyncJobsUnavailable(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	h.mustGS(0, "sync")
	jobs := h.checksum("jobs")
	e := h.pickEmployee(inOffice(officeBerlin))
	e.FirstName = "FeedGone"
	h.sim.UpsertEmployee(e)

	h.sim.SetFaults(personiosim.Faults{FeedMissing: true})
	out, stderr, code := h.gs("sync")
	h.sim.SetFaults(personiosim.Faults{})
	if code != 0 || !strings.Contains(out, "Sync complete! Resources: 0 added, 1 changed") || !strings.Contains(stderr, "Warning: jobs were not synced, linked jobs were left untouched: ") {
		t.Fatalf("sync with the feed missing: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	if h.checksum("jobs") != jobs {
		t.Error("jobs changed although the feed could not be read")
	}
	if got := h.linkedEmployees()[fmt.Sprintf("acme/%d", e.ID)]; !strings.HasPrefix(got, "FeedGone|") {
		t.Errorf("the employee change was not applied: %q", got)
	}
	st := h.syncStatus()
	for _, company := range []string{"acme", "globex"} {
		emp, job := st[company+" employees"], st[company+" jobs"]
		if emp.LastOutcome == nil || *emp.LastOutcome != "succeeded" || *emp.LastRunID != 2 {
			t.Errorf("%s employees: %+v", company, emp)
		}
		if job.LastOutcome == nil || *job.LastOutcome != "failed" || !strings.Contains(job.LastError, "404") || *job.LastRunID != 1 || *job.LastAttemptRunID != 2 {
			t.Errorf("%s jobs: %+v", company, job)
		}
	}
	if runs := h.lastRuns(1); len(runs) != 1 || !strings.HasPrefix(runs[0], "succeeded|1|jobs not synced: ") {
		t.Errorf("run recorded as %q", runs)
	}
	h.mustGS(0, "sync")
	if job := h.syncStatus()["acme jobs"]; *job.LastOutcome != "succeeded" || *job.LastRunID != 3 {
		t.Errorf("acme jobs after the feed came back: %+v", job)
	}
}
