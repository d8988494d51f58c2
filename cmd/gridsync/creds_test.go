package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
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

func TestCredsValidate(t *testing.T) {
	tests := []struct {
		name       string
		opts       personiosim.Options
		wantCode   int
		wantOut    []string // check lines, timings stripped
		wantErr    string   // the ✗ line (prefix), with URL replaced by the server's
		badKeyFile bool
	}{
		{
			name: "valid",
			opts: personiosim.Options{Dataset: personiosim.Generate(personiosim.GenerateOptions{Seed: 1, Employees: 1240, Offices: 3, Jobs: 12})},
			wantOut: []string{
				"✓ credentials decrypted (secrets/personio.enc.yaml)",
				"✓ authenticated as client gridsync-demo",
				"✓ employees readable: 1,240 employees",
				"✓ job feed readable: 12 positions",
				"Personio credentials are valid.",
			},
		},
		{
			name:     "wrong secret",
			opts:     personiosim.Options{ClientSecret: "rotated-in-personio"},
			wantCode: 1,
			wantOut:  []string{"✓ credentials decrypted (secrets/personio.enc.yaml)"},
			wantErr:  `✗ authentication failed: Personio rejected the credentials (401, Personio says "Wrong credentials"): check client_id / client_secret in secrets/personio.enc.yaml`,
		},
		{
			name:     "scope missing",
			opts:     personiosim.Options{Faults: personiosim.Faults{Forbidden: true}},
			wantCode: 1,
			wantOut:  []string{"✓ credentials decrypted (secrets/personio.enc.yaml)", "✓ authenticated as client gridsync-demo"},
			wantErr:  "✗ employees not readable: employees page at offset 0: Personio refused /v1/company/employees (403): Forbidden: the API credentials lack the scope employees:read",
		},
		{
			name:     "unknown tenant",
			opts:     personiosim.Options{Faults: personiosim.Faults{UnknownTenant: true}},
			wantCode: 1,
			wantOut:  []string{"✓ credentials decrypted (secrets/personio.enc.yaml)", "✓ authenticated as client gridsync-demo", "✓ employees readable: 0 employees"},
			wantErr:  "✗ job feed not readable: no Personio job feed at URL (it answered 301); check personio.jobs_url",
		},
		{
			name:       "no key",
			badKeyFile: true,
			wantCode:   1,
			wantErr:    "✗ credentials could not be decrypted: ",
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
			var lines []string
			for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
				if l == "" {
					continue
				}
				if strings.HasPrefix(l, "✓") && !timing.MatchString(l) {
					t.Errorf("check line without a timing: %q", l)
				}
				lines = append(lines, timing.ReplaceAllString(l, ""))
			}
			if strings.Join(lines, "\n") != strings.Join(tt.wantOut, "\n") {
				t.Errorf("stdout:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(tt.wantOut, "\n"))
			}
			if want := strings.ReplaceAll(tt.wantErr, "URL", srv.URL); !strings.HasPrefix(errOut, want) || (want == "" && errOut != "") {
				t.Errorf("stderr:\n%s\nwant prefix:\n%s", errOut, want)
			}
			if strings.Contains(out+errOut, personiosim.DefaultClientSecret) {
				t.Error("the output reveals the client secret")
			}
		})
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
