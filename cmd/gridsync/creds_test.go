package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gridwork/gridsync/internal/personio/personiosim"
)

// credsFixture writes a config directory whose credentials are the
// quickstart example's SOPS file (the simulator's demo credentials,
// encrypted for the example's public demo key) and points the SOPS
// environment at that key.
func credsFixture(t *testing.T, apiURL, jobsURL string) string {
	t.Helper()
	example := filepath.Join("..", "..", "examples", "quickstart")
	enc, err := os.ReadFile(filepath.Join(example, "secrets", "personio.enc.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	key, err := filepath.Abs(filepath.Join(example, "demo-age-key.txt"))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOPS_AGE_KEY_FILE", key)
	t.Setenv("SOPS_AGE_KEY", "")

	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "secrets"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "secrets", "personio.enc.yaml"), enc, 0o600); err != nil {
		t.Fatal(err)
	}
	hcl := fmt.Sprintf(`personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
  api_url     = %q
  jobs_url    = %q
}

target {
  database_url = "postgres://127.0.0.1/gridwork"
}

company "acme" {
  name = "Acme GmbH"
  location "berlin" {
    name   = "Berlin"
    office = "Berlin"
  }
}
`, apiURL, jobsURL)
	if err := os.WriteFile(filepath.Join(dir, "gridsync.hcl"), []byte(hcl), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func runCreds(t *testing.T, dir string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"creds", "validate", "-chdir", dir},
		streams{In: strings.NewReader(""), Out: &out, Err: &errb}, func(string) string { return "" })
	return code, out.String(), errb.String()
}

// timing matches the duration printed at the end of a check line.
var timing = regexp.MustCompile(`  [0-9.]+(ns|µs|ms|s)$`)

// credsLines are the check lines of stdout, timings stripped; a PASS line
// without a timing is an error.
func credsLines(t *testing.T, out string) []string {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if l == "" {
			continue
		}
		if strings.HasPrefix(l, "PASS ") && !timing.MatchString(l) {
			t.Errorf("check line without a timing: %q", l)
		}
		lines = append(lines, timing.ReplaceAllString(l, ""))
	}
	return lines
}

func TestCredsValidate(t *testing.T) {
	const (
		decrypted     = "PASS credentials decrypted (secrets/personio.enc.yaml)"
		authenticated = "PASS authenticated as client gridsync-demo"
		attributes    = "PASS synced attributes readable: first_name, last_name, email, profile_picture, gender, position, status, office"
		feed          = "PASS job feed answers: 12 positions (URL)"
		ready         = "Personio is ready: every check passed."
	)
	dataset := personiosim.Generate(personiosim.GenerateOptions{Seed: 1, Employees: 1240, Offices: 3, Jobs: 12})
	// The failures read a smaller tenant: pages are paced as for Personio.
	small := personiosim.Generate(personiosim.GenerateOptions{Seed: 1, Employees: 240, Offices: 3, Jobs: 12})
	tests := []struct {
		name       string
		opts       personiosim.Options
		wantCode   int
		wantOut    []string // check lines, timings stripped, URL for the server's
		wantErr    string   // stderr prefix
		badKeyFile bool
	}{
		{
			name: "valid",
			opts: personiosim.Options{Dataset: dataset},
			wantOut: []string{
				decrypted, authenticated, attributes, feed,
				"PASS employees readable: 1,240 employees in 3 offices",
				"PASS every mapped office exists in Personio (1 location)",
				ready,
			},
		},
		{
			name:     "wrong secret",
			opts:     personiosim.Options{ClientSecret: "rotated-in-personio"},
			wantCode: 1,
			wantOut: []string{decrypted,
				`FAIL authentication failed: Personio rejected the credentials (401, Personio says "Wrong credentials"): check client_id / client_secret in secrets/personio.enc.yaml`},
			wantErr: "Error: 1 of 2 checks failed",
		},
		{
			name:     "scope missing",
			opts:     personiosim.Options{Dataset: small, Faults: personiosim.Faults{Forbidden: true}},
			wantCode: 1,
			wantOut: []string{decrypted, authenticated,
				"FAIL synced attributes not readable: reading the employee attributes: Personio refused /v1/company/employees/attributes (403): Forbidden: the API credentials lack the scope employees:read; allow it for the API credential in Personio (Settings → Integrations → API credentials)",
				feed,
				"FAIL employees not readable: employees page at offset 0: Personio refused /v1/company/employees (403): Forbidden: the API credentials lack the scope employees:read; allow it for the API credential in Personio (Settings → Integrations → API credentials)",
				"SKIP mapped offices not checked: the employees could not be read"},
			wantErr: "Error: 2 of 5 checks failed",
		},
		{
			name:     "unknown tenant",
			opts:     personiosim.Options{Dataset: small, Faults: personiosim.Faults{UnknownTenant: true}},
			wantCode: 1,
			wantOut: []string{decrypted, authenticated, attributes,
				"FAIL job feed not readable, and jobs sync is on for acme: no Personio job feed at URL (it answered 301); check personio.jobs_url",
				"PASS employees readable: 240 employees in 3 offices",
				"PASS every mapped office exists in Personio (1 location)"},
			wantErr: "Error: 1 of 6 checks failed",
		},
		{
			name:     "feed switched off",
			opts:     personiosim.Options{Dataset: small, Faults: personiosim.Faults{FeedMissing: true}},
			wantCode: 1,
			wantOut: []string{decrypted, authenticated, attributes,
				"FAIL job feed not readable, and jobs sync is on for acme: URL/xml?language=en answered 404 Not Found; the career page may be switched off in Personio",
				"PASS employees readable: 240 employees in 3 offices",
				"PASS every mapped office exists in Personio (1 location)"},
			wantErr: "Error: 1 of 6 checks failed",
		},
		{
			name:     "hidden attribute",
			opts:     personiosim.Options{Dataset: small, Faults: personiosim.Faults{HiddenAttributes: []string{"gender"}}},
			wantCode: 1,
			wantOut: []string{decrypted, authenticated,
				`FAIL synced attributes not readable: Personio does not let the API credential read the attribute that gridsync syncs: "gender" ("Gender", not in the credential's attribute list). Personio leaves out what a credential may not read, so these values are unknown, not empty, and nothing was written. Allow them in Personio: Settings → Integrations → API credentials, open this credential and add them to its readable employee attributes; or stop syncing them in the configuration.`,
				feed,
				"PASS employees readable: 240 employees in 3 offices",
				"PASS every mapped office exists in Personio (1 location)"},
			wantErr: "Error: 1 of 6 checks failed",
		},
		{
			name:       "no key",
			badKeyFile: true,
			wantCode:   1,
			wantOut:    []string{"FAIL credentials could not be decrypted: "},
			wantErr:    "Error: 1 of 1 checks failed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(personiosim.New(tt.opts))
			defer srv.Close()
			dir := credsFixture(t, srv.URL, srv.URL)
			if tt.badKeyFile {
				t.Setenv("SOPS_AGE_KEY_FILE", filepath.Join(t.TempDir(), "missing.txt"))
			}
			code, out, errOut := runCreds(t, dir)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, out, errOut)
			}
			got := credsLines(t, out)
			want := make([]string, len(tt.wantOut))
			for i, w := range tt.wantOut {
				want[i] = strings.ReplaceAll(w, "URL", srv.URL)
			}
			if tt.badKeyFile && len(got) > 0 {
				got = got[:1] // the decryption error explains itself over several lines
			}
			if len(got) != len(want) {
				t.Fatalf("stdout:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			for i := range want {
				if got[i] != want[i] && !(strings.HasSuffix(want[i], ": ") && strings.HasPrefix(got[i], want[i])) {
					t.Errorf("line %d:\n%s\nwant:\n%s", i+1, got[i], want[i])
				}
			}
			if !strings.HasPrefix(errOut, tt.wantErr) || (tt.wantErr == "" && errOut != "") {
				t.Errorf("stderr:\n%s\nwant prefix:\n%s", errOut, tt.wantErr)
			}
			if strings.Contains(out+errOut, personiosim.DefaultClientSecret) {
				t.Error("the output reveals the client secret")
			}
		})
	}
}

// TestCredsValidateOffices: a mistyped office fails its own check, naming
// the closest offices Personio knows, and the other checks still run; a
// name only the job feed has passes; an office_id Personio does not know
// fails with the ids it does.
func TestCredsValidateOffices(t *testing.T) {
	srv := httptest.NewServer(personiosim.New(personiosim.Options{
		Dataset: personiosim.Generate(personiosim.GenerateOptions{Seed: 1, Employees: 200, Offices: 3, Jobs: 12}),
	}))
	defer srv.Close()
	dir := credsFixture(t, srv.URL, srv.URL)
	extra := `
company "globex" {
  name = "Globex AG"
  location "munich" {
    name   = "Munich"
    office = "Munchen"
  }
  location "hamburg" {
    name      = "Hamburg"
    office_id = 1033
  }
  location "vienna" {
    name   = "Vienna"
    office = "Vienna"
  }
}
`
	f, err := os.OpenFile(filepath.Join(dir, "gridsync.hcl"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(extra); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, out, errOut := runCreds(t, dir)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	lines := credsLines(t, out)
	want := []string{
		`FAIL location.globex.munich (gridsync.hcl:24): Unknown Personio office "Munchen". No Personio employee or job names this office. Offices Personio knows, closest first: "Munich" (id 1002), "Berlin" (id 1001), "Hamburg" (id 1003), "Vienna" (job feed only).`,
		`FAIL location.globex.hamburg (gridsync.hcl:28): Unknown Personio office id 1033. No Personio employee or job names this office. Offices Personio knows, closest first: "Hamburg" (id 1003), "Berlin" (id 1001), "Munich" (id 1002).`,
	}
	for _, w := range want {
		if !slices.Contains(lines, w) {
			t.Errorf("stdout lacks\n%s\ngot:\n%s", w, strings.Join(lines, "\n"))
		}
	}
	if !slices.Contains(lines, "PASS job feed answers: 12 positions ("+srv.URL+")") {
		t.Errorf("the feed was not checked after the office failures:\n%s", out)
	}
	if !strings.HasPrefix(errOut, "Error: 2 of 7 checks failed") {
		t.Errorf("stderr: %s", errOut)
	}
}

func TestCredsValidateNeverPrintsTheSecretVerbose(t *testing.T) {
	srv := httptest.NewServer(personiosim.New(personiosim.Options{ClientSecret: "something-else"}))
	defer srv.Close()
	dir := credsFixture(t, srv.URL, srv.URL)
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"creds", "validate", "-v", "-chdir", dir},
		streams{In: strings.NewReader(""), Out: &out, Err: &errb}, func(string) string { return "" })
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if strings.Contains(out.String()+errb.String(), personiosim.DefaultClientSecret) {
		t.Errorf("the output reveals the client secret:\n%s%s", out.String(), errb.String())
	}
}

// TestCredsValidateFeedNotNeeded: while jobs sync is off everywhere, a
// feed that does not answer is noted, not failed.
func TestCredsValidateFeedNotNeeded(t *testing.T) {
	srv := httptest.NewServer(personiosim.New(personiosim.Options{
		Dataset: personiosim.Generate(personiosim.GenerateOptions{Seed: 1, Employees: 50, Offices: 3, Jobs: 12}),
		Faults:  personiosim.Faults{FeedMissing: true},
	}))
	defer srv.Close()
	dir := credsFixture(t, srv.URL, srv.URL)
	path := filepath.Join(dir, "gridsync.hcl")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b = []byte(strings.Replace(string(b), "\n}\n\ntarget", "\n  sync {\n    jobs = false\n  }\n}\n\ntarget", 1))
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCreds(t, dir)
	if code != 0 {
		t.Errorf("exit %d, want 0\n%s%s", code, out, errOut)
	}
	want := "SKIP job feed not readable (the job feed is unavailable: " + srv.URL + "/xml?language=en answered 404 Not Found; the career page may be switched off in Personio); not needed while jobs sync is off for every company"
	if !slices.Contains(credsLines(t, out), want) {
		t.Errorf("stdout lacks\n%s\ngot:\n%s", want, out)
	}
}

// TestCredsValidateChecklist: the checks run in order and stop at a failed
// authentication; the last line says how many failed, and the exit code
// follows. Off a terminal the marks are words.
func TestCredsValidateChecklist(t *testing.T) {
	for _, tt := range []struct {
		name   string
		secret string
		code   int
		want   []string
		stderr string
	}{
		{"ready", "", 0, []string{
			"PASS credentials decrypted (secrets/personio.enc.yaml)",
			"PASS authenticated as client " + personiosim.DefaultClientID,
			"PASS synced attributes readable: ",
			"PASS job feed answers: 3 positions (",
			"PASS employees readable: 10 employees in 4 offices",
			"PASS every mapped office exists in Personio (1 location)",
			"Personio is ready: every check passed.",
		}, ""},
		{"wrong secret", "wrong", 1, []string{
			"PASS credentials decrypted (secrets/personio.enc.yaml)",
			"FAIL authentication failed: ",
		}, "Error: 1 of 2 checks failed; fix what the failed lines say and run gridsync creds validate again\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, unitCompanies)
			w.secret = tt.secret
			out, stderr, code := w.run("creds", "validate")
			lines := credsLines(t, out)
			if code != tt.code || len(lines) != len(tt.want) || stderr != tt.stderr {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
			}
			for i, want := range tt.want {
				if !strings.HasPrefix(lines[i], want) {
					t.Errorf("line %d = %q, want %q…", i, lines[i], want)
				}
			}
			if w.opened != 0 {
				t.Error("creds validate opened the database")
			}
		})
	}
}
