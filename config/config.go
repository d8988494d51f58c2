package config

import (
	"strconv"

	"github.com/hashicorp/hcl/v2"
)

// Config is the decoded, validated content of one configuration directory,
// with every default resolved: after a load without errors no consumer
// derives a URL, a toggle or a status list from other settings. It carries
// source ranges so that later stages (the plan engine resolving office
// names against Personio, for example) can report diagnostics at the exact
// HCL position.
type Config struct {
	// Dir is the configuration directory as given (absolute after Load).
	Dir string
	// Files maps each loaded file name to its parsed form; diagnostics use it
	// to print source snippets.
	Files map[string]*hcl.File

	Personio  Personio
	Target    Target
	Companies []Company // sorted by Slug
}

// Personio is the account-level block: tenant, credentials and defaults.
type Personio struct {
	Tenant string
	// Credentials is the absolute path of the SOPS-encrypted credentials file
	// named by sops_file(...). It is never decrypted by the loader.
	Credentials      string
	CredentialsRange hcl.Range
	// APIURL defaults to https://api.personio.de, JobsURL to
	// https://{tenant}.jobs.personio.de, JobsLanguage to "en"; none has a
	// trailing slash.
	APIURL  string
	JobsURL string
	// JobsURLSet is true when jobs_url was written, false when JobsURL was
	// derived from the tenant (an unknown feed then points at different
	// settings).
	JobsURLSet   bool
	JobsLanguage string
	// Sync holds the account defaults as written (both true unless set).
	// Consumers read the effective toggles of each company instead
	// (Company.Enabled), which the loader resolves from them.
	Sync SyncDefaults
	// Statuses lists the Personio employee statuses that are synced
	// (default: active, onboarding, leave); never empty after a load
	// without errors.
	Statuses []string
	// StatusesRange is where statuses was written; the zero Range when the
	// default applies.
	StatusesRange hcl.Range
	// RequestsPerMinute and Burst are the API rate limit the client paces
	// itself under: Personio's documented 300 a minute in bursts of 15
	// unless the account has agreed other limits with Personio.
	RequestsPerMinute int
	Burst             int
	// EmployeeFields maps a Gridwork employee field (first_name, last_name,
	// gender, position, email, status, profile_image_url) to the Personio
	// attribute key that feeds it, overriding the default.
	EmployeeFields map[string]FieldRef
	DeclRange      hcl.Range
}

// FieldRef is a Personio attribute key with the position it was written at.
type FieldRef struct {
	Key   string
	Range hcl.Range
	// src names the env() calls that read Key, if any. Messages refer to
	// such a key by the calls (see KeyRef).
	src source
}

// KeyRef is how a message names the key: quoted as the configuration
// writes it, or by the env() call that read it (the value of
// env("POSITION_ATTRIBUTE")), never by a value read from the environment.
func (f FieldRef) KeyRef() string { return f.src.show(strconv.Quote(f.Key)) }

// KeyFromEnv reports whether env() read the key. Messages then leave out
// hints derived from it too, such as the attributes closest to it.
func (f FieldRef) KeyFromEnv() bool { return f.src.fromEnv() }

// SyncDefaults are the account-level toggles.
type SyncDefaults struct {
	Employees bool
	Jobs      bool
	// EmployeesRange and JobsRange are where each was written; the zero
	// Range when the default (true) applies.
	EmployeesRange hcl.Range
	JobsRange      hcl.Range
}

// Range returns where the account default for kind was written; the zero
// Range when the default applies.
func (s SyncDefaults) Range(kind Kind) hcl.Range {
	if kind == Jobs {
		return s.JobsRange
	}
	return s.EmployeesRange
}

// Target describes the Gridwork database.
type Target struct {
	// DatabaseURL is empty when there is no target block or no
	// database_url, and when DatabaseURLDiags is set.
	DatabaseURL string
	// DatabaseURLDiags holds the "Environment variable not set" diagnostics
	// of database_url when those were its only problems. They are kept out
	// of the load diagnostics so that validate passes without the database
	// secret; DatabaseURLErr turns them into the error a command that
	// connects to the database reports.
	DatabaseURLDiags hcl.Diagnostics
	DeclRange        hcl.Range
}

// Override is a per-company sync override.
type Override string

const (
	Inherit Override = "inherit"
	On      Override = "on"
	Off     Override = "off"
)

// Kind is a synced record kind.
type Kind string

const (
	Employees Kind = "employees"
	Jobs      Kind = "jobs"
)

// Company is one company block.
type Company struct {
	Slug string
	Name string
	// Sync holds the overrides as written; SyncEmployees and SyncJobs are
	// what they resolve to.
	Sync Overrides
	// SyncEmployees and SyncJobs are the effective toggles, resolved by the
	// loader: an on/off override wins, inherit takes the account default.
	SyncEmployees bool
	SyncJobs      bool
	Locations     []Location // in declaration order
	DeclRange     hcl.Range
}

// Overrides holds a company's per-kind overrides; empty means inherit.
type Overrides struct {
	Employees Override
	Jobs      Override
	// EmployeesRange and JobsRange are where each was written; the zero
	// Range when the company does not set it (inherit).
	EmployeesRange hcl.Range
	JobsRange      hcl.Range
}

// Of returns the override for kind and where it was written (the zero
// Range when it was not).
func (o Overrides) Of(kind Kind) (Override, hcl.Range) {
	if kind == Jobs {
		return o.Jobs, o.JobsRange
	}
	return o.Employees, o.EmployeesRange
}

// Location is one location block. At most one of Office and OfficeID is set;
// neither means the location is unmapped and skipped on every sync.
type Location struct {
	Slug        string
	Name        string
	Office      string // Personio office name
	OfficeID    int64  // Personio office id; 0 when unset
	OfficeRange hcl.Range
	DeclRange   hcl.Range

	// officeSrc names the env() calls that read Office or OfficeID, such
	// as env("HQ_OFFICE"), if any. Messages refer to such a value by the
	// calls, never by the value (see OfficeRef).
	officeSrc source
}

// Mapped reports whether the location is linked to a Personio office.
func (l Location) Mapped() bool { return l.Office != "" || l.OfficeID != 0 }

// Enabled reports the effective toggle for kind (see SyncEmployees).
func (c Company) Enabled(kind Kind) bool {
	if kind == Jobs {
		return c.SyncJobs
	}
	return c.SyncEmployees
}

// effective resolves one override: on or off wins, inherit (or unset)
// takes the account default.
func effective(o Override, def bool) bool {
	if o == On || o == Off {
		return o == On
	}
	return def
}

// Company returns the company with the given slug.
func (c *Config) Company(slug string) (*Company, bool) {
	for i := range c.Companies {
		if c.Companies[i].Slug == slug {
			return &c.Companies[i], true
		}
	}
	return nil, false
}
