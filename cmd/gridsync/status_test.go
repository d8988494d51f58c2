package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gridwork/gridsync/internal/store"
)

func TestStatus(t *testing.T) {
	env := newTestDatabaseEnv(t)
	dir := dbTestDir(t, dbTestConfig)
	if code, _, stderr := runDBCLI(t, env, "migrate", "-chdir", dir); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}

	t.Run("before the first apply", func(t *testing.T) {
		code, stdout, stderr := runDBCLI(t, env, "status", "-chdir", dir)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		want := `COMPANY  KIND       SYNC  LAST SYNCED                  RUN  LAST ATTEMPT  OUTCOME  LINKED
acme     employees  on    never (not in Gridwork yet)  -    -             -        0
acme     jobs       off   never (not in Gridwork yet)  -    -             -        0
globex   employees  on    never (not in Gridwork yet)  -    -             -        0
globex   jobs       on    never (not in Gridwork yet)  -    -             -        0
`
		if stdout != want {
			t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
		}
	})

	applyTestPlan(t, openTestStore(t, env["GRIDWORK_DATABASE_URL"]))

	t.Run("table", func(t *testing.T) {
		code, stdout, stderr := runDBCLI(t, env, "status", "-chdir", dir)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		want := `COMPANY KIND SYNC LAST SYNCED RUN LAST ATTEMPT OUTCOME LINKED
acme employees on <time> 1 <time> succeeded 2
acme jobs off never - - - 0
globex employees on never (not in Gridwork yet) - - - 0
globex jobs on never (not in Gridwork yet) - - - 0
`
		if got := normalizeTable(stdout); got != want {
			t.Errorf("stdout:\n%s\nwant:\n%s", got, want)
		}
	})

	t.Run("json", func(t *testing.T) {
		code, stdout, stderr := runDBCLI(t, env, "status", "-chdir", dir, "-json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var got struct {
			FormatVersion string `json:"format_version"`
			Companies     []struct {
				Company       string  `json:"company"`
				Kind          string  `json:"kind"`
				Enabled       bool    `json:"enabled"`
				InDatabase    bool    `json:"in_database"`
				LastSyncedAt  *string `json:"last_synced_at"`
				LastRunID     *int64  `json:"last_run_id"`
				LastAttemptAt *string `json:"last_attempt_at"`
				LastOutcome   *string `json:"last_outcome"`
				LastError     *string `json:"last_error"`
				Linked        int64   `json:"linked_records"`
			} `json:"companies"`
		}
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatalf("invalid JSON %q: %v", stdout, err)
		}
		if got.FormatVersion != "1.1" || len(got.Companies) != 4 {
			t.Fatalf("got %+v", got)
		}
		first := got.Companies[0]
		if first.Company != "acme" || first.Kind != "employees" || !first.Enabled || !first.InDatabase ||
			first.LastSyncedAt == nil || !strings.HasSuffix(*first.LastSyncedAt, "Z") || first.LastRunID == nil || *first.LastRunID != 1 || first.Linked != 2 ||
			first.LastAttemptAt == nil || *first.LastAttemptAt != *first.LastSyncedAt || first.LastOutcome == nil || *first.LastOutcome != "succeeded" ||
			first.LastError == nil || *first.LastError != "" {
			t.Errorf("acme employees = %+v", first)
		}
		if c := got.Companies[3]; c.Company != "globex" || c.Kind != "jobs" || c.InDatabase || c.LastSyncedAt != nil || c.LastRunID != nil ||
			c.LastAttemptAt != nil || c.LastOutcome != nil {
			t.Errorf("globex jobs = %+v", c)
		}
	})
}

// statusWorld is a world whose store reports acme's employees synced
// three hours ago, acme's jobs (off) never, globex's employees never (the
// last attempt failed) and globex's jobs ten minutes ago.
func statusWorld(t *testing.T, now time.Time) *world {
	w := newWorld(t, twoCompanies)
	at := func(d time.Duration) *time.Time { t := now.Add(-d); return &t }
	w.store.status = []store.CompanyStatus{
		{Company: "acme", Exists: true, Kind: "employees", LastSyncedAt: at(3 * time.Hour), LastRunID: 4, LastAttemptAt: at(3 * time.Hour), LastAttemptRunID: 4, LastOutcome: "succeeded", Linked: 12},
		{Company: "acme", Exists: true, Kind: "jobs"},
		{Company: "globex", Kind: "employees", LastAttemptAt: at(time.Hour), LastAttemptRunID: 5, LastOutcome: "failed", LastError: "reading Personio:\n  429 Too Many Requests"},
		{Company: "globex", Kind: "jobs", LastSyncedAt: at(10 * time.Minute), LastRunID: 6, LastAttemptAt: at(10 * time.Minute), LastAttemptRunID: 6, LastOutcome: "succeeded"},
	}
	return w
}

// TestStatusMaxAge: -max-age names on stderr each enabled company and kind
// that has not synced within it, with the last attempt's reason, and exits
// 1; disabled kinds never count.
func TestStatusMaxAge(t *testing.T) {
	for _, tt := range []struct {
		maxAge string
		code   int
		stale  []string
		last   string
	}{
		{"4h", 1, []string{"globex employees has never synced; the last attempt failed at "}, "Error: 1 company kind not synced successfully within 4h0m0s\n"},
		{"2h", 1, []string{"acme employees last synced 3h0m0s ago, at ", "globex employees has never synced"}, "Error: 2 company kinds not synced successfully within 2h0m0s\n"},
	} {
		t.Run(tt.maxAge, func(t *testing.T) {
			w := statusWorld(t, time.Now())
			out, stderr, code := w.run("status", "-max-age", tt.maxAge)
			if code != tt.code || !strings.HasPrefix(out, "COMPANY  KIND") || !strings.HasSuffix(stderr, tt.last) {
				t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
			}
			for _, want := range tt.stale {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			if strings.Contains(stderr, "acme jobs") || strings.Contains(stderr, "globex jobs") {
				t.Errorf("a disabled or fresh kind is named:\n%s", stderr)
			}
			if !strings.Contains(stderr, ": reading Personio: 429 Too Many Requests (-max-age "+tt.maxAge) {
				t.Errorf("the failed attempt's reason is not on one line:\n%s", stderr)
			}
		})
	}

	w := newWorld(t, unitCompanies)
	_, stderr, code := w.run("status", "-max-age", "-2h")
	if code != 1 || stderr != "Error: -max-age must be a positive duration such as 2h, not -2h0m0s\n" {
		t.Errorf("negative -max-age: exit %d, stderr %q", code, stderr)
	}
	w.untouched("status with a negative -max-age")
}

// TestStatusViews: the table shows the reason column only when a row has
// one; -json holds every row, in UTC, with nulls for what never happened.
func TestStatusViews(t *testing.T) {
	now := time.Date(2025, 6, 2, 9, 14, 7, 0, time.FixedZone("CEST", 2*3600))
	w := statusWorld(t, now)
	out, _ := w.mustRun(0, "status")
	want := `COMPANY  KIND       SYNC  LAST SYNCED                  RUN  LAST ATTEMPT             OUTCOME    LINKED  REASON
acme     employees  on    2025-06-02 04:14:07 UTC      4    2025-06-02 04:14:07 UTC  succeeded  12      -
acme     jobs       off   never                        -    -                        -          0       -
globex   employees  on    never (not in Gridwork yet)  -    2025-06-02 06:14:07 UTC  failed     0       reading Personio: 429 Too Many Requests
globex   jobs       on    2025-06-02 07:04:07 UTC      6    2025-06-02 07:04:07 UTC  succeeded  0       -
`
	if out != want {
		t.Errorf("status:\n%s\nwant:\n%s", out, want)
	}
	out, _ = w.mustRun(0, "status", "-json")
	var doc struct {
		FormatVersion string            `json:"format_version"`
		Companies     []json.RawMessage `json:"companies"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.FormatVersion != "1.1" || len(doc.Companies) != 4 {
		t.Fatalf("status -json: %v\n%s", err, out)
	}
	for i, want := range []string{`"last_synced_at": "2025-06-02T04:14:07Z"`, `"last_outcome": null`, `"in_database": false`} {
		if !strings.Contains(string(doc.Companies[i]), want) {
			t.Errorf("row %d lacks %s:\n%s", i, want, doc.Companies[i])
		}
	}

	w = newWorld(t, "")
	out, _ = w.mustRun(0, "status")
	if out != "No companies are configured.\n" {
		t.Errorf("without companies: %q", out)
	}
	out, _ = w.mustRun(0, "status", "-json")
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Companies) != 0 {
		t.Errorf("status -json without companies is not an empty list: %v\n%s", err, out)
	}
}
