package main

import (
	"encoding/json"
	"strings"
	"testing"
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
