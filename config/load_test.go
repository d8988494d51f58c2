package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"
)

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// TestLoadValid checks the decoded values of the valid fixtures, defaults
// included. Ranges are compared separately in TestLoadRanges.
func TestLoadValid(t *testing.T) {
	minimalDir := mustAbs(t, "testdata/valid/minimal")
	fullDir := mustAbs(t, "testdata/valid/full")
	envDir := mustAbs(t, "testdata/valid/env-default")
	dbDir := mustAbs(t, "testdata/valid/env-secret-database-url")
	berlin := Location{Slug: "berlin-hq", Name: "Berlin HQ", Office: "Berlin"}

	tests := []struct {
		dir  string
		want Config
	}{
		{
			dir: "testdata/valid/minimal",
			want: Config{
				Dir: minimalDir,
				Personio: Personio{
					Tenant:            "acme",
					Credentials:       filepath.Join(minimalDir, "secrets/personio.enc.yaml"),
					APIURL:            "https://api.personio.de",
					JobsURL:           "https://acme.jobs.personio.de",
					JobsLanguage:      "en",
					Sync:              SyncDefaults{Employees: true, Jobs: true},
					Statuses:          []string{"active", "onboarding", "leave"},
					RequestsPerMinute: 300, Burst: 15,
					EmployeeFields: map[string]FieldRef{},
				},
				Companies: []Company{{
					Slug: "acme", Name: "Acme GmbH",
					Sync:          Overrides{Employees: Inherit, Jobs: Inherit},
					SyncEmployees: true, SyncJobs: true,
					Locations: []Location{berlin},
				}},
			},
		},
		{
			dir: "testdata/valid/full",
			want: Config{
				Dir: fullDir,
				Personio: Personio{
					Tenant:            "acme",
					Credentials:       "/etc/gridsync/personio.enc.json",
					APIURL:            "http://127.0.0.1:8089", // trailing slash trimmed
					JobsURL:           "http://127.0.0.1:8089",
					JobsURLSet:        true,
					JobsLanguage:      "de",
					Sync:              SyncDefaults{Employees: true, Jobs: false},
					Statuses:          []string{"active", "leave", "inactive"},
					RequestsPerMinute: 600, Burst: 20,
					EmployeeFields: map[string]FieldRef{
						"position": {Key: "dynamic_1234"},
						"gender":   {Key: "gender"},
					},
				},
				Target: Target{DatabaseURL: "postgres://gridsync@127.0.0.1:5432/gridwork"},
				Companies: []Company{
					{
						Slug: "acme", Name: "Acme GmbH",
						Sync: Overrides{Employees: Off, Jobs: Inherit},
						// employees off; jobs inherit the account default, false
						Locations: []Location{
							berlin,
							{Slug: "munich", Name: "Munich", OfficeID: 42},
							{Slug: "remote", Name: "Remote"},
						},
					},
					{
						Slug: "beta", Name: "Beta AG",
						Sync:          Overrides{Employees: Inherit, Jobs: Inherit},
						SyncEmployees: true,
						Locations: []Location{
							{Slug: "hamburg", Name: "Hamburg", OfficeID: 7},
							{Slug: "potsdam", Name: "Potsdam", Office: "Potsdam"},
						},
					},
					{
						Slug: "zeta", Name: "Zeta Ltd",
						Sync:          Overrides{Employees: Inherit, Jobs: On},
						SyncEmployees: true, SyncJobs: true,
						Locations: []Location{{Slug: "london", Name: "London", Office: "London"}},
					},
				},
			},
		},
		{
			dir: "testdata/valid/env-default",
			want: Config{
				Dir: envDir,
				Personio: Personio{
					Tenant:            "acme",
					Credentials:       filepath.Join(envDir, "secrets/personio.enc.yaml"),
					APIURL:            "https://api.personio.de",
					JobsURL:           "https://acme.jobs.personio.de",
					JobsLanguage:      "en",
					Sync:              SyncDefaults{Employees: true, Jobs: true},
					Statuses:          []string{"active", "onboarding", "leave"},
					RequestsPerMinute: 300, Burst: 15,
					EmployeeFields: map[string]FieldRef{},
				},
				Companies: []Company{{
					Slug: "acme", Name: "Acme GmbH",
					Sync:          Overrides{Employees: Inherit, Jobs: Inherit},
					SyncEmployees: true, SyncJobs: true,
					Locations: []Location{berlin},
				}},
			},
		},
		{
			dir: "testdata/valid/env-secret-database-url",
			want: Config{
				Dir: dbDir,
				Personio: Personio{
					Tenant:            "acme",
					Credentials:       filepath.Join(dbDir, "secrets/personio.enc.yaml"),
					APIURL:            "https://api.personio.de",
					JobsURL:           "https://acme.jobs.personio.de",
					JobsLanguage:      "en",
					Sync:              SyncDefaults{Employees: true, Jobs: true},
					Statuses:          []string{"active", "onboarding", "leave"},
					RequestsPerMinute: 300, Burst: 15,
					EmployeeFields: map[string]FieldRef{},
				},
				Target: Target{DatabaseURL: testVars["DB_PASSWORD_URL"]},
				Companies: []Company{{
					Slug: "acme", Name: "Acme GmbH",
					Sync:          Overrides{Employees: Inherit, Jobs: Inherit},
					SyncEmployees: true, SyncJobs: true,
					Locations: []Location{berlin},
				}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.dir), func(t *testing.T) {
			cfg, diags := testLoader.Load(tt.dir)
			if len(diags) > 0 {
				t.Fatalf("unexpected diagnostics:\n%s", diagText(cfg, diags))
			}
			opts := cmp.Options{
				cmpopts.IgnoreTypes(hcl.Range{}),
				cmpopts.IgnoreFields(Config{}, "Files"),
				cmpopts.IgnoreUnexported(Location{}, FieldRef{}),
			}
			if d := cmp.Diff(tt.want, *cfg, opts); d != "" {
				t.Errorf("config mismatch (-want +got):\n%s", d)
			}
			entries, _ := filepath.Glob(filepath.Join(tt.dir, "*.hcl"))
			if len(cfg.Files) != len(entries) {
				t.Errorf("Files has %d entries, want %d", len(cfg.Files), len(entries))
			}
			for _, e := range entries {
				if cfg.Files[filepath.Base(e)] == nil {
					t.Errorf("Files lacks %s", filepath.Base(e))
				}
			}
		})
	}
}

// TestEnabled checks the effective toggles of the full fixture: an on/off
// override wins, inherit takes the account default.
func TestEnabled(t *testing.T) {
	cfg, diags := testLoader.Load("testdata/valid/full")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	tests := []struct {
		company string
		kind    Kind
		want    bool
	}{
		{"acme", Employees, false}, // off
		{"acme", Jobs, false},      // inherit, account default jobs = false
		{"beta", Employees, true},  // inherit, account default
		{"beta", Jobs, false},      // inherit, account default
		{"zeta", Employees, true},  // inherit
		{"zeta", Jobs, true},       // on beats the account default
	}
	for _, tt := range tests {
		t.Run(tt.company+"/"+string(tt.kind), func(t *testing.T) {
			co, ok := cfg.Company(tt.company)
			if !ok {
				t.Fatalf("company %q not loaded", tt.company)
			}
			if got := co.Enabled(tt.kind); got != tt.want {
				t.Errorf("Enabled(%s) = %v, want %v", tt.kind, got, tt.want)
			}
		})
	}
}

// TestLoadRanges checks that decoded values remember where they were
// written, in the file they were written in.
func TestLoadRanges(t *testing.T) {
	cfg, diags := testLoader.Load("testdata/valid/full")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	acme, _ := cfg.Company("acme")
	beta, _ := cfg.Company("beta")
	tests := []struct {
		name string
		got  hcl.Range
		file string
		line int
	}{
		{"personio block", cfg.Personio.DeclRange, "personio.hcl", 1},
		{"credentials", cfg.Personio.CredentialsRange, "personio.hcl", 3},
		{"employee field position", cfg.Personio.EmployeeFields["position"].Range, "personio.hcl", 19},
		{"target block", cfg.Target.DeclRange, "personio.hcl", 24},
		{"company acme", acme.DeclRange, "companies.hcl", 14},
		{"office of berlin-hq", acme.Locations[0].OfficeRange, "companies.hcl", 24},
		{"office_id of munich", acme.Locations[1].OfficeRange, "companies.hcl", 29},
		{"location hamburg", beta.Locations[0].DeclRange, "more-companies.hcl", 4},
		{"statuses", cfg.Personio.StatusesRange, "personio.hcl", 7},
		{"account default employees", cfg.Personio.Sync.Range(Employees), "personio.hcl", 14},
		{"account default jobs", cfg.Personio.Sync.Range(Jobs), "personio.hcl", 15},
		{"acme employees override", rangeOf(acme.Sync.Of(Employees)), "companies.hcl", 18},
		{"acme jobs override", rangeOf(acme.Sync.Of(Jobs)), "companies.hcl", 19},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got.Filename != tt.file || tt.got.Start.Line != tt.line {
				t.Errorf("range %s, want %s:%d", tt.got, tt.file, tt.line)
			}
		})
	}
	if got := acme.Locations[2].Mapped(); got {
		t.Error("remote is unmapped, Mapped() = true")
	}
	// What was not written has no range.
	if _, r := beta.Sync.Of(Jobs); r != (hcl.Range{}) {
		t.Errorf("beta does not override jobs, but the override has range %s", r)
	}
}

// rangeOf is the range of an Overrides.Of result.
func rangeOf(_ Override, r hcl.Range) hcl.Range { return r }

func TestValidSlug(t *testing.T) {
	for s, want := range map[string]bool{
		"acme": true, "berlin-hq": true, "a": true, "a1-b2": true,
		"": false, "1acme": false, "acme-": false, "Acme": false, "z_rich": false, "m\u00fcnchen": false,
		strings.Repeat("a", 63): true, strings.Repeat("a", 64): false,
	} {
		if got := ValidSlug(s); got != want {
			t.Errorf("ValidSlug(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestLoadFilesInMemory(t *testing.T) {
	files := map[string][]byte{
		"b.hcl": []byte("company \"acme\" {\n  name = \"Acme\"\n  location \"x\" {\n    name = \"X\"\n    office_id = 1\n  }\n}\n"),
		"a.hcl": []byte("personio {\n  tenant = \"acme\"\n  credentials = sops_file(\"../secrets/p.yaml\")\n}\n"),
	}
	cfg, diags := Loader{}.LoadFiles("/srv/config", files)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	if want := "/srv/secrets/p.yaml"; cfg.Personio.Credentials != want {
		t.Errorf("Credentials = %q, want %q", cfg.Personio.Credentials, want)
	}
	if cfg.Dir != "/srv/config" {
		t.Errorf("Dir = %q", cfg.Dir)
	}
	if len(cfg.Files) != 2 || cfg.Files["a.hcl"] == nil || cfg.Files["b.hcl"] == nil {
		t.Errorf("Files = %v", cfg.Files)
	}
}

// TestEnvFromLoader checks that env() reads the Loader's Getenv, not the
// process environment.
func TestEnvFromLoader(t *testing.T) {
	src := []byte(`personio {
  tenant      = env("TENANT")
  credentials = "c.yaml"
}
`)
	tests := []struct {
		name    string
		getenv  func(string) string
		want    string
		wantErr string
	}{
		{"set", func(n string) string { return map[string]string{"TENANT": "acme"}[n] }, "acme", ""},
		{"unset", func(string) string { return "" }, "", "TENANT"},
		{"nil getenv", nil, "", "TENANT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, diags := Loader{Getenv: tt.getenv}.LoadFiles(t.TempDir(), map[string][]byte{"main.hcl": src})
			if tt.wantErr == "" {
				if diags.HasErrors() {
					t.Fatal(diags)
				}
				if cfg.Personio.Tenant != tt.want {
					t.Errorf("Tenant = %q, want %q", cfg.Personio.Tenant, tt.want)
				}
				return
			}
			if len(diags) != 1 || !strings.Contains(diags[0].Detail, tt.wantErr) {
				t.Fatalf("want one diagnostic naming %s, got %v", tt.wantErr, diags)
			}
			// The whole call is the subject, not just "env(".
			if r := diags[0].Subject; r == nil || r.Start.Column != 17 || r.End.Column != 30 {
				t.Errorf("subject %v, want main.hcl:2,17-30", r)
			}
		})
	}
}

func TestLoadDirProblems(t *testing.T) {
	empty := t.TempDir()
	if err := os.WriteFile(filepath.Join(empty, "README.md"), []byte("no config here"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, dir, summary string
	}{
		{"no hcl files", empty, "No configuration files"},
		{"missing directory", filepath.Join(empty, "nope"), "Cannot read configuration directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, diags := testLoader.Load(tt.dir)
			if cfg == nil || cfg.Files == nil {
				t.Fatal("Load must return a Config with a Files map even on errors")
			}
			if len(diags) != 1 || diags[0].Summary != tt.summary || diags[0].Severity != hcl.DiagError {
				t.Fatalf("diags = %v, want one error %q", diags, tt.summary)
			}
		})
	}
}

// TestLoadSkipsNonConfigFiles checks which directory entries are read.
func TestLoadSkipsNonConfigFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("main.hcl", "personio {\n  tenant = \"acme\"\n  credentials = \"c.yaml\"\n}\n")
	write(".hidden.hcl", "broken {")
	write("#main.hcl#", "broken {")
	write("sub/nested.hcl", "broken {")
	write("notes.txt", "broken {")
	cfg, diags := testLoader.Load(dir)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	if len(cfg.Files) != 1 {
		t.Errorf("loaded %d files, want only main.hcl", len(cfg.Files))
	}
}

// TestIsConfigFile pins the rule Load and gridsync fmt share.
func TestIsConfigFile(t *testing.T) {
	for name, want := range map[string]bool{
		"main.hcl":     true,
		"a.b.hcl":      true,
		".hidden.hcl":  false,
		"#main.hcl":    false,
		".#main.hcl":   false,
		"#main.hcl#":   false,
		"main.hcl~":    false,
		"main.tf":      false,
		"main.hcl.bak": false,
	} {
		if got := IsConfigFile(name); got != want {
			t.Errorf("IsConfigFile(%q) = %v, want %v", name, got, want)
		}
	}
	for name, want := range map[string]bool{".git": true, "#tmp": true, "sub": false, "a.b": false} {
		if got := HiddenName(name); got != want {
			t.Errorf("HiddenName(%q) = %v, want %v", name, got, want)
		}
	}
}
