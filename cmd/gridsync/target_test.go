package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/store"
	"github.com/gridwork/gridsync/internal/store/storetest"
	"github.com/gridwork/gridsync/plan"
)

// dbTestConfig is a configuration with two companies: acme syncs employees
// only (the account default), globex turns jobs on.
const dbTestConfig = `
personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
  sync {
    employees = true
    jobs      = false
  }
}

target {
  database_url = env("GRIDWORK_DATABASE_URL", "postgres://gridwork:hunter2@127.0.0.1:1/unused")
}

company "acme" {
  name = "Acme GmbH"
  location "hq" {
    name   = "HQ"
    office = "Berlin"
  }
}

company "globex" {
  name = "Globex"
  sync {
    jobs = "on"
  }
  location "munich" {
    name      = "Munich"
    office_id = 12
  }
}
`

// dbTestDir writes content as gridsync.hcl into a new directory, with a
// placeholder where sops_file("secrets/personio.enc.yaml") points (these
// tests never decrypt it).
func dbTestDir(t *testing.T, content string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "gridsync.hcl"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	writePlaceholderCredentials(t, dir)
	return dir
}

// writePlaceholderCredentials puts a file where sops_file("secrets/
// personio.enc.yaml") points in dir, so that validate has nothing to warn
// about; it is never decrypted.
func writePlaceholderCredentials(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "secrets"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "secrets", "personio.enc.yaml"), []byte("# placeholder\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// runDBCLI runs gridsync in-process with env as its whole environment.
func runDBCLI(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, streams{In: strings.NewReader(""), Out: &out, Err: &errOut},
		func(k string) string { return env[k] })
	return code, out.String(), errOut.String()
}

// openTestStore opens url with the store package, for arranging and
// checking what the commands see.
func openTestStore(t *testing.T, url string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

var (
	timestampRE = regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC`)
	durationRE  = regexp.MustCompile(`\b\d+(\.\d+)?(ms|s|µs)\b`)
)

// normalizeTable replaces timestamps and durations, which vary per run,
// and collapses the column padding that depends on their width.
func normalizeTable(s string) string {
	s = durationRE.ReplaceAllString(timestampRE.ReplaceAllString(s, "<time>"), "<dur>")
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if strings.HasSuffix(l, " ") {
			lines[i] = l + "<trailing space>"
		}
		lines[i] = strings.Join(strings.Fields(lines[i]), " ")
	}
	return strings.Join(lines, "\n") + "\n"
}

func TestDatabaseURL(t *testing.T) {
	cfg := &config.Config{Target: config.Target{DatabaseURL: "postgres://from-config/db"}}
	tests := []struct {
		name    string
		env     map[string]string
		cfg     *config.Config
		want    string
		wantErr string
	}{
		{"config", nil, cfg, "postgres://from-config/db", ""},
		{"environment wins", map[string]string{"GRIDWORK_DATABASE_URL": "postgres://from-env/db"}, cfg, "postgres://from-env/db", ""},
		{"environment without config", map[string]string{"GRIDWORK_DATABASE_URL": "postgres://from-env/db"}, nil, "postgres://from-env/db", ""},
		{"neither", nil, &config.Config{}, "", "set database_url in the target block of the configuration, or the GRIDWORK_DATABASE_URL environment variable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := &globals{getenv: func(k string) string { return tt.env[k] }}
			got, err := databaseURL(g, tt.cfg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("databaseURL = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestDatabaseCommandsErrors(t *testing.T) {
	dir := dbTestDir(t, dbTestConfig)
	noTarget := dbTestDir(t, strings.Replace(dbTestConfig, `target {
  database_url = env("GRIDWORK_DATABASE_URL", "postgres://gridwork:hunter2@127.0.0.1:1/unused")
}`, "", 1))
	broken := dbTestDir(t, dbTestConfig+"\ncompany {\n")
	for _, cmd := range []string{"migrate", "status", "history"} {
		t.Run(cmd, func(t *testing.T) {
			tests := []struct {
				name string
				dir  string
				env  map[string]string
				want string
			}{
				{"unreachable", dir, nil, "cannot connect to the Gridwork database at 127.0.0.1:1/unused"},
				{"no database configured", noTarget, nil, "set database_url in the target block"},
				{"config errors", broken, nil, "gridsync.hcl"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					code, stdout, stderr := runDBCLI(t, tt.env, cmd, "-chdir", tt.dir)
					if code != 1 || !strings.Contains(stderr, tt.want) {
						t.Errorf("exit %d, stderr %q; want 1 and %q", code, stderr, tt.want)
					}
					if strings.Contains(stderr+stdout, "hunter2") {
						t.Errorf("output leaks the database password: %s", stderr)
					}
				})
			}
		})
	}
}

// TestDatabaseURLUnsetEnv checks that a target.database_url reading an
// unset variable does not fail validate (a pull request from a fork has no
// secrets), fails the commands that connect with an error naming the
// variable and the line, and gives way to GRIDWORK_DATABASE_URL.
func TestDatabaseURLUnsetEnv(t *testing.T) {
	withTarget := func(expr string) string {
		return strings.Replace(dbTestConfig,
			`env("GRIDWORK_DATABASE_URL", "postgres://gridwork:hunter2@127.0.0.1:1/unused")`, expr, 1)
	}
	gridworkDir := dbTestDir(t, withTarget(`env("GRIDWORK_DATABASE_URL")`))
	otherDir := dbTestDir(t, withTarget(`env("OTHER_DB")`))
	unreachable := map[string]string{"GRIDWORK_DATABASE_URL": "postgres://gridwork:hunter2@127.0.0.1:1/unused"}

	t.Run("validate", func(t *testing.T) {
		for _, dir := range []string{gridworkDir, otherDir} {
			code, stdout, stderr := runDBCLI(t, nil, "validate", "-chdir", dir)
			if code != 0 || !strings.HasPrefix(stdout, "Success!") || stderr != "" {
				t.Errorf("validate: exit %d, stdout %q, stderr %q; want 0, Success! and no stderr", code, stdout, stderr)
			}
		}
	})
	tests := []struct {
		name string
		dir  string
		env  map[string]string
		want string
	}{
		{"GRIDWORK_DATABASE_URL unset", gridworkDir, nil,
			"Error: target.database_url (gridsync.hcl:12) needs the environment variable GRIDWORK_DATABASE_URL, which is not set: set it to the Gridwork database URL, or write the URL in target.database_url\n"},
		{"other variable unset", otherDir, nil,
			"Error: target.database_url (gridsync.hcl:12) needs the environment variable OTHER_DB, which is not set: set it, or set GRIDWORK_DATABASE_URL, which overrides target.database_url\n"},
		// The override is used without looking at OTHER_DB: the error is
		// the connection to 127.0.0.1:1, not the unset variable.
		{"GRIDWORK_DATABASE_URL overrides", otherDir, unreachable,
			"cannot connect to the Gridwork database at 127.0.0.1:1/unused"},
	}
	for _, cmd := range []string{"migrate", "status", "history", "plan"} {
		for _, tt := range tests {
			t.Run(cmd+"/"+tt.name, func(t *testing.T) {
				code, stdout, stderr := runDBCLI(t, tt.env, cmd, "-chdir", tt.dir)
				if code != 1 || !strings.Contains(stderr, tt.want) {
					t.Errorf("exit %d, stderr %q; want 1 and %q", code, stderr, tt.want)
				}
				if tt.env != nil && strings.Contains(stderr, "OTHER_DB") {
					t.Errorf("stderr mentions OTHER_DB although GRIDWORK_DATABASE_URL is set: %s", stderr)
				}
				if strings.Contains(stdout+stderr, "hunter2") {
					t.Errorf("output leaks the database password: %s", stderr)
				}
			})
		}
	}
}

// applyTestPlan applies a small first sync for acme and globex directly
// through the store, as gridsync apply would.
func applyTestPlan(t *testing.T, s *store.Store) {
	t.Helper()
	emp := func(company, id, loc string) plan.Change {
		return plan.Change{Address: "employee." + company + "[" + id + "]", Type: plan.TypeEmployee, Company: company, Key: id,
			Action: plan.Create, After: plan.AttrsOf(map[string]string{plan.FieldFirstName: "E" + id, plan.FieldLocation: loc})}
	}
	p := &plan.Plan{
		Scope:        []plan.Scope{{Company: "acme", Employees: true}},
		AllCompanies: true,
		Changes: []plan.Change{
			{Address: "company.acme", Type: plan.TypeCompany, Company: "acme", Action: plan.Create, After: plan.AttrsOf(map[string]string{plan.FieldName: "Acme GmbH"})},
			{Address: "location.acme.hq", Type: plan.TypeLocation, Company: "acme", Key: "hq", Action: plan.Create,
				After: plan.AttrsOf(map[string]string{plan.FieldName: "HQ", plan.FieldOfficeID: "11", plan.FieldOfficeName: "Berlin"})},
			emp("acme", "1", "hq"), emp("acme", "2", "hq"),
		},
	}
	if _, err := s.Apply(context.Background(), p, store.ApplyOptions{Actor: "ada", GitCommit: "0123456789abcdef", Dirty: true}); err != nil {
		t.Fatal(err)
	}
}

// newTestDatabaseEnv returns a fresh database's URL as the environment.
func newTestDatabaseEnv(t *testing.T) map[string]string {
	return map[string]string{"GRIDWORK_DATABASE_URL": storetest.NewDatabase(t)}
}
