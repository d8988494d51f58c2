// Package config loads a gridsync configuration directory: every *.hcl file
// directly in it (sorted by name, not recursive), decoded together into a
// Config, with every problem reported as an hcl.Diagnostic that points at the
// offending file, line and column and says what to do.
//
// # Language
//
//	personio {                                   # exactly one, in any file
//	  tenant        = "acme"                     # required; bare subdomain of acme.personio.de
//	  credentials   = sops_file("secrets/personio.enc.yaml") # required; or a plain path
//	  api_url       = "https://api.personio.de"  # default shown
//	  jobs_url      = "https://acme.jobs.personio.de" # default: https://{tenant}.jobs.personio.de
//	  jobs_language = "en"                       # default shown
//	  statuses      = ["active", "onboarding", "leave"] # default shown; also "inactive"
//	  requests_per_minute = 300                  # API pace, default: Personio's documented limit
//	  burst               = 15                   # default: Personio's documented burst
//	  sync {                                     # account defaults, both true by default
//	    employees = true
//	    jobs      = true
//	  }
//	  employee_fields {                          # optional; Gridwork field = Personio attribute key
//	    position = "dynamic_1234"                # first_name, last_name, gender, position,
//	  }                                          # email, status, profile_image_url
//	}
//
//	target {                                     # optional, at most one
//	  database_url = env("GRIDWORK_DATABASE_URL") # GRIDWORK_DATABASE_URL in the environment overrides it
//	}
//
//	company "acme" {                             # slug: ^[a-z][a-z0-9-]{0,62}$, no trailing hyphen
//	  name = "Acme GmbH"                         # required
//	  sync {                                     # optional; each "inherit" (default), "on" or "off"
//	    employees = "inherit"
//	    jobs      = "off"
//	  }
//	  location "berlin-hq" {                     # slug as for companies, unique per company
//	    name   = "Berlin HQ"                     # required
//	    office = "Berlin"                        # Personio office by name, or office_id = 123;
//	  }                                          # neither: unmapped, skipped on every sync
//	}
//
// Expressions may call two functions and nothing else: env(name) or
// env(name, default) reads an environment variable through Loader.Getenv
// (unset or empty without a default is an error naming the variable), and
// sops_file(path) returns path resolved against the configuration directory.
// There are no variables.
//
// # Secrets and env()
//
// Values read from the configuration end up in plans, plan files and
// pull-request comments. So env() refuses, with an error at the call that
// names the variable and never reads it, every variable whose name suggests
// a secret (compared in upper case): names starting with SOPS_, names
// containing SECRET, PASSWORD, PASSWD, PWD, TOKEN (GITHUB_TOKEN, GH_TOKEN,
// ACTIONS_*TOKEN*), PRIVATE, CREDENTIAL, AGE_KEY, APIKEY, DSN or
// DATABASE_URL (so GRIDWORK_DATABASE_URL), names with KEY or PASS as an
// underscore-separated word (API_KEY, MY_KEY_ID, DB_PASS), and names ending
// in _URL with a database word (PG_URL, POSTGRES_URL, DB_URL,
// ANALYTICS_DB_URL, MYSQL_URL; not PERSONIO_API_URL). A default does not
// help: the refusal does not depend on whether the variable is set, so
// validate answers the same on a fork without secrets.
//
// A name is only a hint, so no value env() reads ever appears in a
// diagnostic (validate output lands in CI logs and PR comments): env()
// marks what it reads, and messages about such a value name the call
// instead (`the value of env("PG_CONN") is not a bare Personio subdomain`)
// and leave out hints derived from it. hcl's own diagnostics raised while
// evaluating an expression have the values it read replaced the same way.
// Values written in the files are quoted as usual.
//
// target.database_url is the one exception: it never reaches a plan or a
// diagnostic, so it is evaluated with its own function set (envPolicy
// databaseEnv) whose env() reads any variable. It is also evaluated lazily
// in one respect: a variable it reads that is not set is no load error
// (validate must pass without the database secret, and
// GRIDWORK_DATABASE_URL overrides the argument anyway). The diagnostic is
// kept in Target.DatabaseURLDiags instead, and Target.DatabaseURLErr turns
// it into the error that commands connecting to the database report. Every
// other problem with database_url is a load error as usual.
//
// # Checks
//
// Errors: unknown blocks and arguments (with "did you mean"), missing
// required arguments, wrong value types (the detail shows the right form,
// from the value when the file wrote it: statuses = ["active"] for
// statuses = "active", employees = true for "on" in personio { sync { … } },
// office = "Berlin" for office_id = "Berlin"), a second personio or target block,
// a company declared twice (across files too; the detail names the first
// position), a location declared twice in a company, one office (same name
// or same id) mapped by two locations, of one company or of two (each
// Personio office feeds one location of one company), office and office_id
// both set, sync overrides other than inherit/on/off, bad slugs, a tenant that is
// not a bare lower-case subdomain (the detail suggests one: "use the
// subdomain only: acme"), unknown statuses or employee fields, bad URLs, an
// unset env() variable (outside target.database_url), env() of a variable
// that may hold a secret, unknown functions, variable references, and syntax
// errors (which stop decoding). Warning: a company with no mapped location.
// Whether office names exist in Personio, and whether an office written by
// name in one place and by id in another is one office, is checked later,
// by the plan engine, which has Personio's data; it runs the same check
// (OfficesMappedOnce) on the resolved offices.
//
// # Resolved defaults
//
// Load resolves every default into the Config it returns, so that no
// consumer derives one setting from another: api_url, jobs_url (from the
// tenant, with JobsURLSet saying whether it was written), jobs_language,
// statuses, the rate limit, and each company's effective sync toggles
// (Company.SyncEmployees and SyncJobs: an on/off override wins, inherit
// takes the account default).
// Where each toggle and override and the statuses were written is kept
// (SyncDefaults.Range, Overrides.Of, Personio.StatusesRange; the zero
// Range for a default), so that a command can say where a setting comes
// from.
//
// # Boundaries
//
// The package does no I/O beyond reading the directory, and never decrypts
// or even opens secrets: sops_file only records the path, so validate and
// fmt work without keys (a pull request from a fork has none). Format, used
// by `gridsync fmt`, and the diagnostic writers (WriteDiagnostics for text,
// NewJSONValidation for JSON), used by every command that reports
// configuration problems, live here too.
package config
