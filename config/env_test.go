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
		{"DB_PASS", true},
		{"PASS", true},
		{"SMTP_PASS_WORD", true},
		{"DB_PWD", true},
		{"MAPS_APIKEY", true},
		{"SENTRY_DSN", true},
		{"PG_URL", true},
		{"POSTGRES_URL", true},
		{"DB_URL", true},
		{"ANALYTICS_DB_URL", true},
		{"mysql_url", true},

		{"PERSONIO_API_URL", false},
		{"PERSONIO_JOBS_URL", false},
		{"TENANT", false},
		{"BETA_NAME", false},
		{"KEYCLOAK_REALM", false},
		{"MONKEY_NAME", false},
		{"HOTKEYS", false},
		{"SOPS", false},            // no underscore: not the SOPS_ prefix
		{"PASSENGER_NAME", false},  // PASS only as a word counts
		{"COMPASS_HEADING", false}, // likewise
		{"PERSONIO_BASE_URL", false},
		{"DB_NAME", false}, // DB counts only in a name ending in _URL
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
// without a default; and that target.database_url may read it, and that
// what it read stays out of diagnostics when the expression then fails.
func TestEnvRefusesSecretsOutsideDatabaseURL(t *testing.T) {
	const secret = "AGE-SECRET-KEY-1PLANTEDPLANTEDPLANTED"
	const refused = "Secret environment variable"
	tests := []struct {
		name    string
		src     string
		want    string // summary of the error on line 5; "" for none
		wantURL string
	}{
		{"company name", `company "acme" { name = env("SOPS_AGE_KEY") }`, refused, ""},
		{"with a default", `company "acme" { name = env("SOPS_AGE_KEY", "Acme") }`, refused, ""},
		{"in a template", `company "acme" { name = "Acme ${env("SOPS_AGE_KEY")}" }`, refused, ""},
		{"database url", `target { database_url = env("SOPS_AGE_KEY") }`, "", secret},
		{"database url reads GRIDWORK_DATABASE_URL", `target { database_url = "${env("GRIDWORK_DATABASE_URL")}?x=1" }`, "", secret + "?x=1"},
		// Read, then rejected: hcl's own message quotes the duplicate key.
		{"database url read and rejected", `target { database_url = {for k in [env("SOPS_AGE_KEY"), env("SOPS_AGE_KEY")] : k => k} }`, "Duplicate object key", ""},
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
			if text := diagText(cfg, diags); strings.Contains(text, secret) {
				t.Errorf("diagnostics repeat the value:\n%s", text)
			}
			if tt.want == "" {
				if diags.HasErrors() {
					t.Fatalf("unexpected diagnostics:\n%s", diagText(cfg, diags))
				}
				if cfg.Target.DatabaseURL != tt.wantURL {
					t.Errorf("DatabaseURL = %q, want %q", cfg.Target.DatabaseURL, tt.wantURL)
				}
				return
			}
			if tt.want == refused && len(looked) > 0 {
				t.Errorf("env() looked up %v; a refused variable must not be read", looked)
			}
			if tt.want != refused && len(looked) == 0 {
				t.Errorf("env() read nothing; the case must read the value it then rejects")
			}
			var found bool
			for _, d := range diags {
				if d.Summary == tt.want && strings.Contains(d.Detail, `env("SOPS_AGE_KEY")`) &&
					d.Subject != nil && d.Subject.Start.Line == 5 {
					found = true
				}
			}
			if !found {
				t.Errorf("want a %s error naming env(\"SOPS_AGE_KEY\") on main.hcl:5, got:\n%s", tt.want, diagText(cfg, diags))
			}
		})
	}
}

// TestEnvValuesNeverInDiagnostics checks that a value env() read from a
// variable whose name looks harmless, and that an argument then rejects,
// appears in no diagnostic: the message names the env() call instead and
// leaves out hints derived from the value. Literal values are still quoted.
func TestEnvValuesNeverInDiagnostics(t *testing.T) {
	const secret = "hunter2"
	env := map[string]string{
		"PG_CONN":   "postgres://u:" + secret + "@h/db",
		"TENANT":    "Acme" + secret,
		"STATUS":    "onbording" + secret,
		"TYPO":      "onbordin", // a "did you mean" would show it
		"OVERRIDE":  "Off" + secret,
		"BOOL":      "true",
		"OFFICE":    "Berlin " + secret,
		"OFFICE_ID": "4242",
		"API":       "ftp://" + secret,
		"ACTIVE":    "active",
	}
	const head = "personio {\n  credentials = \"c.yaml\"\n"
	tests := []struct {
		name       string
		src        string
		summary    string
		detail     string // what the message says instead
		notDetail  string // a hint that must be left out
		secretText string // a part of the value that must not appear; default secret
	}{
		{"tenant from a URL", head + "  tenant = env(\"PG_CONN\")\n}\n", "Invalid tenant",
			`the value of env("PG_CONN") is not a bare Personio subdomain`, "use the subdomain only", ""},
		{"tenant in a template", head + "  tenant = \"${env(\"TENANT\")}.personio.de\"\n}\n", "Invalid tenant",
			`the value of env("TENANT") is not`, "use the subdomain only", ""},
		{"status", head + "  tenant = \"acme\"\n  statuses = [env(\"STATUS\")]\n}\n", "Unknown employee status",
			`the value of env("STATUS") is not a Personio employee status`, "", ""},
		{"status typo", head + "  tenant = \"acme\"\n  statuses = [env(\"TYPO\")]\n}\n", "Unknown employee status",
			`the value of env("TYPO")`, "Did you mean", "onbordin"},
		{"duplicate status", head + "  tenant = \"acme\"\n  statuses = [\"active\", env(\"ACTIVE\")]\n}\n", "Duplicate employee status",
			`The status the value of env("ACTIVE") is listed twice`, `"active"`, ""},
		{"sync override", head + "  tenant = \"acme\"\n}\ncompany \"acme\" {\n  name = \"Acme\"\n  sync {\n    jobs = env(\"OVERRIDE\")\n  }\n}\n", "Invalid sync override",
			`the value of env("OVERRIDE") is not a sync override`, "Did you mean", ""},
		{"sync override true", head + "  tenant = \"acme\"\n}\ncompany \"acme\" {\n  name = \"Acme\"\n  sync {\n    jobs = env(\"BOOL\")\n  }\n}\n", "Invalid sync override",
			`the value of env("BOOL") is not a sync override`, "true and false", "\"true\""},
		{"office mapped twice", head + "  tenant = \"acme\"\n}\ncompany \"acme\" {\n  name = \"Acme\"\n  location \"a\" {\n    name = \"A\"\n    office = env(\"OFFICE\")\n  }\n  location \"b\" {\n    name = \"B\"\n    office = env(\"OFFICE\")\n  }\n}\n", "Office mapped twice",
			`(office = env("OFFICE"), at main.hcl:9) and by location.acme.b (office = env("OFFICE"), at main.hcl:13)`, "", ""},
		{"office_id mapped twice", head + "  tenant = \"acme\"\n}\ncompany \"acme\" {\n  name = \"Acme\"\n  location \"a\" {\n    name = \"A\"\n    office_id = env(\"OFFICE_ID\")\n  }\n  location \"b\" {\n    name = \"B\"\n    office_id = env(\"OFFICE_ID\")\n  }\n}\n", "Office mapped twice",
			`(office_id = env("OFFICE_ID"), at main.hcl:9)`, "", "4242"},
		{"hcl's own message", head + "  tenant = {for k in [env(\"API\"), env(\"API\")] : k => 1}\n}\n", "Duplicate object key",
			`the value of env("API")`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, diags := Loader{Getenv: func(n string) string { return env[n] }}.LoadFiles("/cfg", map[string][]byte{"main.hcl": []byte(tt.src)})
			text := diagText(cfg, diags)
			hidden := tt.secretText
			if hidden == "" {
				hidden = secret
			}
			if strings.Contains(text, hidden) {
				t.Errorf("diagnostics show the value read by env() (%q):\n%s", hidden, text)
			}
			var found bool
			for _, d := range diags {
				if d.Summary != tt.summary {
					continue
				}
				found = true
				if !strings.Contains(d.Detail, tt.detail) {
					t.Errorf("detail %q does not say %q", d.Detail, tt.detail)
				}
				if tt.notDetail != "" && strings.Contains(d.Detail, tt.notDetail) {
					t.Errorf("detail %q has a hint derived from the value (%q)", d.Detail, tt.notDetail)
				}
			}
			if !found {
				t.Errorf("no %q diagnostic:\n%s", tt.summary, text)
			}
		})
	}
}

// TestLiteralValuesStillQuoted checks that values written in the file are
// still shown, with their hints, and that a value read by env() does not
// hide a literal that equals it elsewhere.
func TestLiteralValuesStillQuoted(t *testing.T) {
	src := "personio {\n  credentials = \"c.yaml\"\n  tenant = \"https://acme.personio.de\"\n  jobs_language = env(\"LANG_CODE\")\n  statuses = [\"onbording\"]\n}\n"
	cfg, diags := Loader{Getenv: func(n string) string { return map[string]string{"LANG_CODE": "onbording"}[n] }}.LoadFiles("/cfg", map[string][]byte{"main.hcl": []byte(src)})
	text := diagText(cfg, diags)
	for _, want := range []string{`"https://acme.personio.de" is not a bare Personio subdomain`, "use the subdomain only: acme", `"onbording" is not a Personio employee status`, `Did you mean "onboarding"?`} {
		if !strings.Contains(text, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, text)
		}
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
