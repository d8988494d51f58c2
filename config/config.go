package config

import (
	"github.com/hashicorp/hcl/v2"
)

// Config is the decoded, validated content of one configuration directory.
// It carries source ranges so that later stages (the plan engine resolving
// office names against Personio, for example) can report diagnostics at the
// exact HCL position.
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
	// https://{tenant}.jobs.personio.de, JobsLanguage to "en".
	APIURL  string
	JobsURL string
	// JobsURLSet is true when jobs_url was written, false when JobsURL was
	// derived from the tenant (an unknown feed then points at different
	// settings).
	JobsURLSet   bool
	JobsLanguage string
	Sync         SyncDefaults
	// Statuses lists the Personio employee statuses that are synced
	// (default: active, onboarding, leave).
	Statuses []string
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
}

// SyncDefaults are the account-level toggles.
type SyncDefaults struct {
	Employees bool
	Jobs      bool
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
	Slug      string
	Name      string
	Sync      Overrides
	Locations []Location // in declaration order
	DeclRange hcl.Range
}

// Overrides holds a company's per-kind overrides; empty means inherit.
type Overrides struct {
	Employees Override
	Jobs      Override
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
}

// Mapped reports whether the location is linked to a Personio office.
func (l Location) Mapped() bool { return l.Office != "" || l.OfficeID != 0 }

// Enabled reports the effective toggle for kind: an on/off override wins,
// inherit (or unset) takes the account default.
func (c Company) Enabled(kind Kind, defaults SyncDefaults) bool {
	o, def := c.Sync.Employees, defaults.Employees
	if kind == Jobs {
		o, def = c.Sync.Jobs, defaults.Jobs
	}
	switch o {
	case On:
		return true
	case Off:
		return false
	default:
		return def
	}
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
