package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func TestSecretEnvReason(t *testing.T) {
	tests := []struct {
		name   string
		secret bool
	}{
		{"SOPS_AGE_KEY", true},
		{"SOPS_AGE_KEY_FILE", true},
		{"sops_kms_arn", true},
		{"GITHUB_TOKEN", true},
		{"GH_TOKEN", true},
		{"ACTIONS_RUNTIME_TOKEN", true},
		{"ACTIONS_ID_TOKEN_REQUEST_TOKEN", true},
		{"MY_API_TOKEN", true},
		{"PERSONIO_CLIENT_SECRET", true},
		{"DB_PASSWORD", true},
		{"db_passwd", true},
		{"SSH_PRIVATE_KEY_PATH", true},
		{"GOOGLE_APPLICATION_CREDENTIALS", true},
		{"API_KEY", true},
		{"MAPS_API_KEY_V2", true},
		{"KEY", true},
		{"AGE_KEY", true},
		{"MYAGE_KEYS", true}, // AGE_KEY anywhere
		{"GRIDWORK_DATABASE_URL", true},
		{"DATABASE_URL", true},

		{"PERSONIO_API_URL", false},
		{"PERSONIO_JOBS_URL", false},
		{"TENANT", false},
		{"BETA_NAME", false},
		{"KEYCLOAK_REALM", false},
		{"MONKEY_NAME", false},
		{"HOTKEYS", false},
		{"SOPS", false}, // no underscore: not the SOPS_ prefix
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := secretEnvReason(tt.name) != ""; got != tt.secret {
				t.Errorf("secretEnvReason(%q) = %q, want secret = %v", tt.name, secretEnvReason(tt.name), tt.secret)
			}
		})
	}
}

// TestEnvRefusesSecretsOutsideDatabaseURL checks that a refused variable is
// never even looked up, so its value cannot reach a diagnostic, with or
// without a default; and that target.database_url may read it.
func TestEnvRefusesSecretsOutsideDatabaseURL(t *testing.T) {
	const secret = "AGE-SECRET-KEY-1PLANTEDPLANTEDPLANTED"
	tests := []struct {
		name    string
		src     string
		wantErr bool
		wantURL string
	}{
		{"company name", `company "acme" { name = env("SOPS_AGE_KEY") }`, true, ""},
		{"with a default", `company "acme" { name = env("SOPS_AGE_KEY", "Acme") }`, true, ""},
		{"in a template", `company "acme" { name = "Acme ${env("SOPS_AGE_KEY")}" }`, true, ""},
		{"database url", `target { database_url = env("SOPS_AGE_KEY") }`, false, secret},
		{"database url reads GRIDWORK_DATABASE_URL", `target { database_url = "${env("GRIDWORK_DATABASE_URL")}?x=1" }`, false, secret + "?x=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var looked []string
			getenv := func(n string) string {
				looked = append(looked, n)
				return secret
			}
			src := "personio {\n  tenant = \"acme\"\n  credentials = \"c.yaml\"\n}\n" + tt.src + "\n"
			cfg, diags := Loader{Getenv: getenv}.LoadFiles("/cfg", map[string][]byte{"main.hcl": []byte(src)})
			for _, d := range diags {
				if strings.Contains(d.Summary+d.Detail, secret) {
					t.Errorf("diagnostic repeats the value: %s", diagLine(d))
				}
			}
			if !tt.wantErr {
				if diags.HasErrors() {
					t.Fatalf("unexpected diagnostics:\n%s", diagText(cfg, diags))
				}
				if cfg.Target.DatabaseURL != tt.wantURL {
					t.Errorf("DatabaseURL = %q, want %q", cfg.Target.DatabaseURL, tt.wantURL)
				}
				return
			}
			if len(looked) > 0 {
				t.Errorf("env() looked up %v; a refused variable must not be read", looked)
			}
			var found bool
			for _, d := range diags {
				if d.Summary == "Secret environment variable" && strings.Contains(d.Detail, `env("SOPS_AGE_KEY")`) &&
					d.Subject != nil && d.Subject.Start.Line == 5 {
					found = true
				}
			}
			if !found {
				t.Errorf("want a Secret environment variable error on main.hcl:5, got:\n%s", diagText(cfg, diags))
			}
		})
	}
}

// TestDatabaseURLUnsetEnv checks that target.database_url reading an unset
// variable is no load error but is kept for the commands that connect, and
// that its genuine errors are still reported.
func TestDatabaseURLUnsetEnv(t *testing.T) {
	env := map[string]string{"SET_DB": "postgres://127.0.0.1/set"}
	tests := []struct {
		name     string
		expr     string
		wantURL  string
		wantErr  string // DatabaseURLErr; "" for nil
		wantDiag string // summary of a load error; "" for none
	}{
		{"set", `env("SET_DB")`, "postgres://127.0.0.1/set", "", ""},
		{"literal", `"postgres://127.0.0.1/lit"`, "postgres://127.0.0.1/lit", "", ""},
		{"default", `env("UNSET_DB", "postgres://127.0.0.1/def")`, "postgres://127.0.0.1/def", "", ""},
		{"GRIDWORK_DATABASE_URL unset", `env("GRIDWORK_DATABASE_URL")`, "",
			"target.database_url (main.hcl:6) needs the environment variable GRIDWORK_DATABASE_URL, which is not set: set it to the Gridwork database URL", ""},
		{"other variable unset", `env("OTHER_DB")`, "",
			"target.database_url (main.hcl:6) needs the environment variable OTHER_DB, which is not set: set it, or set GRIDWORK_DATABASE_URL, which overrides target.database_url", ""},
		{"two variables unset", `"postgres://${env("DB_HOST")}/${env("DB_NAME")}"`, "",
			"needs the environment variables DB_HOST, DB_NAME, which are not set: set them", ""},
		{"wrong type", `["postgres://127.0.0.1/x"]`, "", "", "Incorrect attribute value type"},
		{"unknown function", `file("db.txt")`, "", "", "Call to unknown function"},
		{"too many arguments", `env("A", "b", "c")`, "", "", "Invalid function argument"},
		{"variable", `db_url`, "", "", "Variables not supported"},
		{"unset and a genuine error", `"${env("OTHER_DB")}${file("x")}"`, "", "", "Call to unknown function"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fmt.Sprintf("personio {\n  tenant = \"acme\"\n  credentials = \"c.yaml\"\n}\ntarget {\n  database_url = %s\n}\n", tt.expr)
			cfg, diags := Loader{Getenv: func(n string) string { return env[n] }}.LoadFiles("/cfg", map[string][]byte{"main.hcl": []byte(src)})
			if tt.wantDiag == "" {
				if len(diags) > 0 {
					t.Fatalf("unexpected diagnostics:\n%s", diagText(cfg, diags))
				}
			} else {
				if !hasSummary(diags, tt.wantDiag) {
					t.Fatalf("want a %q error, got:\n%s", tt.wantDiag, diagText(cfg, diags))
				}
				if len(cfg.Target.DatabaseURLDiags) > 0 {
					t.Errorf("DatabaseURLDiags = %v, want none when the problem is reported", cfg.Target.DatabaseURLDiags)
				}
			}
			if cfg.Target.DatabaseURL != tt.wantURL {
				t.Errorf("DatabaseURL = %q, want %q", cfg.Target.DatabaseURL, tt.wantURL)
			}
			err := cfg.Target.DatabaseURLErr()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("DatabaseURLErr() = %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("DatabaseURLErr() = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func hasSummary(diags hcl.Diagnostics, summary string) bool {
	for _, d := range diags {
		if d.Severity == hcl.DiagError && d.Summary == summary {
			return true
		}
	}
	return false
}
