package config

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// testVars is the environment the fixtures see: env() never reads the
// process environment in tests. The secret-looking ones are set so that a
// refusal cannot pass for an unset variable; the others are read, and some
// rejected (invalid/env-values). TestFixtureDiagnostics checks that no
// diagnostic repeats any of the values.
var testVars = map[string]string{
	// Innocent names, values that look like mistakes and may be secrets.
	"PERSONIO_TENANT": "postgres://fixture-user:fixture-tenant-pw@db.internal/acme",
	"EXTRA_STATUS":    "onbording-fixture-status-pw",
	"ACME_JOBS":       "fixture-jobs-pw",
	"HQ_OFFICE":       "Fixture Office pw",

	"GRIDWORK_DATABASE_URL":  "postgres://gridsync@127.0.0.1:5432/gridwork",
	"DB_PASSWORD_URL":        "postgres://gridsync:fixture-db-pw@127.0.0.1:5432/gridwork",
	"SOPS_AGE_KEY":           "AGE-SECRET-KEY-1FIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTUREFIXTURE",
	"SOPS_FILE":              "fixture-sops-file.yaml",
	"MY_API_TOKEN":           "fixture-api-token-value",
	"github_token":           "ghp_fixtureGitHubTokenValue",
	"PERSONIO_CLIENT_SECRET": "fixture-client-secret",
	"MAPS_API_KEY":           "fixture-maps-api-key",
	"DB_PASSWD":              "fixture-db-passwd",
	"SSH_PRIVATE_KEY_PATH":   "fixture-private-key-path",
}

func testEnv(name string) string { return testVars[name] }

var testLoader = Loader{Getenv: testEnv}

// marker is an expectation written into a fixture as a trailing comment:
//
//	name = 42 # ERROR: <part of the summary>; detail: <part of the detail>
//
// The diagnostic must start on the marker's line of the marker's file.
type marker struct {
	severity hcl.DiagnosticSeverity
	file     string
	line     int
	summary  string
	detail   string
}

var markerRE = regexp.MustCompile(`#\s*(ERROR|WARNING):\s*(.*?)\s*$`)

// readMarkers collects the markers of every .hcl file in dir.
func readMarkers(t *testing.T, dir string) []marker {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	var ms []marker
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(src))
		for line := 1; sc.Scan(); line++ {
			m := markerRE.FindStringSubmatch(sc.Text())
			if m == nil {
				continue
			}
			mk := marker{severity: hcl.DiagError, file: filepath.Base(path), line: line}
			if m[1] == "WARNING" {
				mk.severity = hcl.DiagWarning
			}
			mk.summary, mk.detail, _ = strings.Cut(m[2], "; detail: ")
			ms = append(ms, mk)
		}
	}
	return ms
}

func (m marker) matches(d *hcl.Diagnostic) bool {
	return d.Severity == m.severity && d.Subject != nil &&
		d.Subject.Filename == m.file && d.Subject.Start.Line == m.line &&
		strings.Contains(d.Summary, m.summary) && strings.Contains(d.Detail, m.detail)
}

// TestFixtureDiagnostics loads every fixture directory and requires that its
// diagnostics and its markers correspond one to one: each marker is met by
// a diagnostic on its line, and no diagnostic goes unmarked.
func TestFixtureDiagnostics(t *testing.T) {
	for _, kind := range []string{"valid", "invalid"} {
		cases, err := os.ReadDir(filepath.Join("testdata", kind))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			dir := filepath.Join("testdata", kind, c.Name())
			t.Run(kind+"/"+c.Name(), func(t *testing.T) {
				cfg, diags := testLoader.Load(dir)
				if cfg == nil {
					t.Fatal("Load returned a nil Config")
				}
				if got := diags.HasErrors(); got != (kind == "invalid") {
					t.Errorf("HasErrors() = %v for a %s case:\n%s", got, kind, diagText(cfg, diags))
				}
				markers := readMarkers(t, dir)
				if kind == "invalid" && len(markers) == 0 {
					t.Fatal("invalid fixture has no # ERROR: marker")
				}
				used := make([]bool, len(diags))
				for _, m := range markers {
					found := false
					for i, d := range diags {
						if !used[i] && m.matches(d) {
							used[i], found = true, true
							break
						}
					}
					if !found {
						t.Errorf("%s:%d: no diagnostic with summary %q, detail %q", m.file, m.line, m.summary, m.detail)
					}
				}
				for i, d := range diags {
					if !used[i] {
						t.Errorf("unexpected diagnostic: %s", diagLine(d))
					}
					for name, v := range testVars {
						if strings.Contains(d.Summary+d.Detail, v) {
							t.Errorf("diagnostic repeats the value of %s: %s", name, diagLine(d))
						}
					}
				}
				if t.Failed() {
					t.Logf("all diagnostics:\n%s", diagText(cfg, diags))
				}
			})
		}
	}
}

func diagLine(d *hcl.Diagnostic) string {
	where := "(no position)"
	if d.Subject != nil {
		where = d.Subject.String()
	}
	return where + ": " + d.Summary + ": " + d.Detail
}

func diagText(cfg *Config, diags hcl.Diagnostics) string {
	var b bytes.Buffer
	if err := WriteDiagnostics(&b, cfg.Files, diags, false); err != nil {
		return err.Error()
	}
	return b.String()
}

// fixtureDirs lists every fixture directory, for the fuzz seed corpus.
func fixtureDirs(t testing.TB) []string {
	var dirs []string
	for _, kind := range []string{"valid", "invalid"} {
		m, err := filepath.Glob(filepath.Join("testdata", kind, "*"))
		if err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, m...)
	}
	sort.Strings(dirs)
	return dirs
}
