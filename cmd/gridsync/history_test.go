package main

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

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
