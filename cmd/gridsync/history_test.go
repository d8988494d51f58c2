package main

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gridwork/gridsync/internal/store"
)

func TestHistory(t *testing.T) {
	env := newTestDatabaseEnv(t)
	dir := dbTestDir(t, dbTestConfig)
	if code, _, stderr := runDBCLI(t, env, "migrate", "-chdir", dir); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}

	code, stdout, stderr := runDBCLI(t, env, "history", "-chdir", dir)
	if code != 0 || stdout != "No sync runs yet.\n" {
		t.Errorf("empty history: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	s := openTestStore(t, env["GRIDWORK_DATABASE_URL"])
	applyTestPlan(t, s)
	if _, err := s.RecordFailure(context.Background(), nil, store.ApplyOptions{Actor: "ci", Command: "sync"},
		errors.New("reading Personio:\n  429 Too Many Requests")); err != nil {
		t.Fatal(err)
	}

	t.Run("table", func(t *testing.T) {
		code, stdout, stderr := runDBCLI(t, env, "history", "-chdir", dir)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		want := `RUN STARTED DURATION COMMAND OUTCOME ACTOR COMMIT CREATED UPDATED ADOPTED UNLINKED DELETED REASON
2 <time> <dur> sync failed ci - 0 0 0 0 0 reading Personio: 429 Too Many Requests
1 <time> <dur> - succeeded ada 0123456-dirty 4 0 0 0 0 -
`
		if got := normalizeTable(stdout); got != want {
			t.Errorf("stdout:\n%s\nwant:\n%s", got, want)
		}
	})

	t.Run("json with limit", func(t *testing.T) {
		code, stdout, stderr := runDBCLI(t, env, "history", "-chdir", dir, "-json", "-limit", "1")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var got struct {
			FormatVersion string      `json:"format_version"`
			Runs          []store.Run `json:"runs"`
		}
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatalf("invalid JSON %q: %v", stdout, err)
		}
		if got.FormatVersion != "1.1" || len(got.Runs) != 1 || got.Runs[0].ID != 2 || got.Runs[0].Outcome != "failed" ||
			got.Runs[0].Command != "sync" || got.Runs[0].Dirty || !strings.Contains(stdout, `"dirty": false`) {
			t.Errorf("got %+v", got)
		}
	})

	t.Run("bad limit", func(t *testing.T) {
		if code, _, stderr := runDBCLI(t, env, "history", "-chdir", dir, "-limit", "-1"); code != 1 {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
}

// TestHistoryViews: the table is newest first, in UTC, with the reason
// column only when a run has one; -json holds the runs as the store gives
// them, in UTC; -limit is passed on; a negative one is refused before the
// database is opened.
func TestHistoryViews(t *testing.T) {
	w := newWorld(t, unitCompanies)
	out, _ := w.mustRun(0, "history")
	if out != "No sync runs yet.\n" {
		t.Errorf("empty history: %q", out)
	}
	out, _ = w.mustRun(0, "history", "-json")
	if out != "{\n  \"format_version\": \"1.1\",\n  \"runs\": []\n}\n" {
		t.Errorf("empty history -json: %q", out)
	}

	cest := time.FixedZone("CEST", 2*3600)
	start := time.Date(2025, 6, 2, 11, 14, 7, 0, cest)
	w.store.history = []store.Run{
		{ID: 2, StartedAt: start.Add(time.Hour), FinishedAt: start.Add(time.Hour + 1500*time.Millisecond), Outcome: "refused", Command: "sync",
			Actor: "ci", GitCommit: "0123456789abcdef", Dirty: true, Error: "refused acme: the plan would remove or unlink 6 of 6 linked employees", Deleted: 0, Created: 3},
		{ID: 1, StartedAt: start, FinishedAt: start.Add(250 * time.Millisecond), Outcome: "succeeded", Created: 4},
	}
	out, _ = w.mustRun(0, "history")
	want := `RUN  STARTED                  DURATION  COMMAND  OUTCOME    ACTOR  COMMIT         CREATED  UPDATED  ADOPTED  UNLINKED  DELETED  REASON
2    2025-06-02 10:14:07 UTC  1.5s      sync     refused    ci     0123456-dirty  3        0        0        0         0        refused acme: the plan would remove or unlink 6 of 6 linked employees
1    2025-06-02 09:14:07 UTC  250ms     -        succeeded  -      -              4        0        0        0         0        -
`
	if out != want {
		t.Errorf("history:\n%s\nwant:\n%s", out, want)
	}
	out, _ = w.mustRun(0, "history", "-json", "-limit", "1")
	var doc struct {
		Runs []store.Run `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Runs) != 1 || doc.Runs[0].ID != 2 ||
		!strings.Contains(out, `"started_at": "2025-06-02T10:14:07Z"`) {
		t.Errorf("history -json -limit 1: %v\n%s", err, out)
	}

	w = newWorld(t, unitCompanies)
	_, stderr, code := w.run("history", "-limit", "-1")
	if code != 1 || stderr != "Error: -limit must be 0 (all runs) or more, not -1\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	w.untouched("history -limit -1")
}
