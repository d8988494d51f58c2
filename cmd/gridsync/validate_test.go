package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runConfigCLI runs gridsync in-process with the given environment and
// standard input and returns the exit code, stdout and stderr.
func runConfigCLI(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	s := streams{In: strings.NewReader(stdin), Out: &out, Err: &errb}
	code := run(context.Background(), args, s, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

func configFixture(kind, name string) string {
	return filepath.Join("..", "..", "config", "testdata", kind, name)
}

// withCredentials copies a fixture directory into a temporary one and adds
// a placeholder where its sops_file("secrets/personio.enc.yaml") points,
// so that validate has no missing file to warn about.
func withCredentials(t *testing.T, dir string) string {
	t.Helper()
	out := t.TempDir()
	if err := os.CopyFS(out, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	writePlaceholderCredentials(t, out)
	return out
}

var validateEnv = map[string]string{"GRIDWORK_DATABASE_URL": "postgres://127.0.0.1/gridwork"}

func TestValidateText(t *testing.T) {
	tests := []struct {
		name       string
		dir        string
		env        map[string]string
		wantCode   int
		wantStdout string
		wantStderr []string
	}{
		{
			// Its credentials are at /etc/gridsync/personio.enc.json.
			name:       "valid, the credentials file missing",
			dir:        configFixture("valid", "full"),
			env:        validateEnv,
			wantStdout: "Success! The configuration is valid.\n3 companies, 6 locations (5 mapped to a Personio office).\n",
			wantStderr: []string{"Warning: Credentials file not found", "on personio.hcl line 3, in personio:",
				"The Personio credentials file /etc/gridsync/personio.enc.json does not exist", "create it with `sops encrypt`"},
		},
		{
			name:       "valid, singular summary",
			dir:        withCredentials(t, configFixture("valid", "minimal")),
			wantStdout: "Success! The configuration is valid.\n1 company, 1 location (1 mapped to a Personio office).\n",
		},
		{
			name:       "sops_file names a missing file",
			dir:        configFixture("valid", "minimal"),
			wantStdout: "Success! The configuration is valid.\n1 company, 1 location (1 mapped to a Personio office).\n",
			wantStderr: []string{"Warning: Credentials file not found", `3:   credentials = sops_file("secrets/personio.enc.yaml")`,
				"The Personio credentials file secrets/personio.enc.yaml does not exist"},
		},
		{
			name:       "warnings go to stderr, still valid",
			dir:        withCredentials(t, configFixture("valid", "unmapped-company-warning")),
			wantStdout: "Success! The configuration is valid.\n2 companies, 1 location (0 mapped to a Personio office).\n",
			wantStderr: []string{`Warning: Company "acme" has no mapped location`, "on main.hcl line 6"},
		},
		{
			name:     "invalid",
			dir:      configFixture("invalid", "bad-override"),
			wantCode: 1,
			wantStderr: []string{
				"Error: Invalid sync override",
				`on main.hcl line 10, in company "acme":`,
				`  10:     employees = "yes"`,
				"on main.hcl line 24",
			},
		},
		{
			name:       "env() reads the injected environment",
			dir:        configFixture("invalid", "env-unset"),
			env:        nil,
			wantCode:   1,
			wantStderr: []string{"Error: Environment variable not set", "on main.hcl line 13", "GRIDSYNC_TEST_UNSET"},
		},
		{
			name:       "missing directory",
			dir:        filepath.Join(t.TempDir(), "nope"),
			wantCode:   1,
			wantStderr: []string{"Error: Cannot read configuration directory"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runConfigCLI(t, tt.env, "", "validate", "-chdir", tt.dir)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d\nstderr:\n%s", code, tt.wantCode, stderr)
			}
			if stdout != tt.wantStdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout, tt.wantStdout)
			}
			for _, w := range tt.wantStderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if tt.wantStderr == nil && stderr != "" {
				t.Errorf("unexpected stderr:\n%s", stderr)
			}
		})
	}
}

func TestValidateWorkingDirectory(t *testing.T) {
	t.Chdir(configFixture("valid", "minimal"))
	code, stdout, stderr := runConfigCLI(t, nil, "", "validate")
	if code != 0 || !strings.HasPrefix(stdout, "Success!") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestValidateRejectsArguments checks that a directory given as an argument
// is refused with a pointer to -chdir, not cobra's "unknown command".
func TestValidateRejectsArguments(t *testing.T) {
	code, stdout, stderr := runConfigCLI(t, nil, "", "validate", "examples/quickstart")
	want := "Error: validate takes no arguments; use -chdir DIR to validate another directory\n"
	if code != 1 || stdout != "" || stderr != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and stderr %q", code, stdout, stderr, want)
	}
}

func TestValidateJSON(t *testing.T) {
	type pos struct{ Line, Column, Byte int }
	type result struct {
		FormatVersion string `json:"format_version"`
		Valid         bool
		ErrorCount    int `json:"error_count"`
		WarningCount  int `json:"warning_count"`
		Diagnostics   []struct {
			Severity, Summary, Detail string
			Range                     *struct {
				Filename   string
				Start, End pos
			}
		}
	}
	tests := []struct {
		name                  string
		dir                   string
		wantCode              int
		wantValid             bool
		wantErrors, wantWarns int
		wantSummary, wantFile string
		wantLine, wantColumn  int
	}{
		{name: "invalid", dir: configFixture("invalid", "duplicate-company"), wantCode: 1,
			wantErrors: 1, wantSummary: `Duplicate company "acme"`, wantFile: "b.hcl", wantLine: 1, wantColumn: 9},
		{name: "valid with warnings", dir: withCredentials(t, configFixture("valid", "unmapped-company-warning")), wantValid: true,
			wantWarns: 2, wantSummary: `Company "acme" has no mapped location`, wantFile: "main.hcl", wantLine: 6, wantColumn: 1},
		{name: "missing credentials file", dir: configFixture("valid", "minimal"), wantValid: true,
			wantWarns: 1, wantSummary: "Credentials file not found", wantFile: "main.hcl", wantLine: 3, wantColumn: 17},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runConfigCLI(t, nil, "", "validate", "-json", "-chdir", tt.dir)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d", code, tt.wantCode)
			}
			if stderr != "" {
				t.Errorf("stderr should be empty with -json, got:\n%s", stderr)
			}
			var r result
			if err := json.Unmarshal([]byte(stdout), &r); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
			}
			if r.FormatVersion != "1.0" || r.Valid != tt.wantValid || r.ErrorCount != tt.wantErrors || r.WarningCount != tt.wantWarns {
				t.Errorf("header: %+v", r)
			}
			if len(r.Diagnostics) == 0 {
				t.Fatal("no diagnostics")
			}
			d := r.Diagnostics[0]
			if d.Summary != tt.wantSummary || d.Range == nil {
				t.Fatalf("first diagnostic: %+v", d)
			}
			if d.Range.Filename != tt.wantFile || d.Range.Start.Line != tt.wantLine || d.Range.Start.Column != tt.wantColumn {
				t.Errorf("range: %+v", *d.Range)
			}
		})
	}
}
