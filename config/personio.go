package config

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

const (
	defaultAPIURL       = "https://api.personio.de"
	defaultJobsLanguage = "en"

	// Personio's documented limit on its API: 300 requests a minute in
	// bursts of 15.
	defaultRequestsPerMinute = 300
	defaultBurst             = 15
)

// knownStatuses are the Personio employee statuses; defaultStatuses are the
// ones synced unless the configuration says otherwise.
var (
	knownStatuses   = []string{"active", "onboarding", "leave", "inactive"}
	defaultStatuses = []string{"active", "onboarding", "leave"}
)

// employeeFieldNames are the Gridwork employee fields an employee_fields
// block may map to Personio attributes.
var employeeFieldNames = []string{"first_name", "last_name", "gender", "position", "email", "status", "profile_image_url"}

// Examples for the messages about a missing argument or one of the wrong
// type.
const (
	tenantExample      = `tenant = "acme"`
	credentialsExample = `credentials = sops_file("secrets/personio.enc.yaml")`
)

// subdomainRE matches a bare DNS label, which is what a Personio tenant is.
var subdomainRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// personio decodes the personio block, filling in the documented defaults.
func (d *decoder) personio(block *hcl.Block) Personio {
	p := Personio{
		APIURL:         defaultAPIURL,
		JobsLanguage:   defaultJobsLanguage,
		Sync:           SyncDefaults{Employees: true, Jobs: true},
		Statuses:       append([]string(nil), defaultStatuses...),
		EmployeeFields: map[string]FieldRef{},

		RequestsPerMinute: defaultRequestsPerMinute,
		Burst:             defaultBurst,
		DeclRange:         block.DefRange,
	}
	c := d.content(block.Body, personioSchema)

	if a := d.required(block, c, "tenant", tenantExample+"   # for acme.personio.de"); a != nil {
		p.Tenant = d.tenant(a)
	}
	// The credentials path, sops_file(...) or a plain string, is resolved
	// against the configuration directory.
	if a := d.required(block, c, "credentials", credentialsExample); a != nil {
		if t, ok := d.nonEmpty(a, eg(credentialsExample)); ok {
			p.Credentials = resolve(d.dir, t.s)
		}
		p.CredentialsRange = a.Expr.Range()
	}
	if a := c.Attributes["api_url"]; a != nil {
		p.APIURL = d.baseURL(a, `api_url = "https://api.personio.de"`)
	}
	if a := c.Attributes["jobs_url"]; a != nil {
		p.JobsURL, p.JobsURLSet = d.baseURL(a, `jobs_url = "https://acme.jobs.personio.de"`), true
	} else if p.Tenant != "" {
		p.JobsURL = "https://" + p.Tenant + ".jobs.personio.de"
	}
	if a := c.Attributes["jobs_language"]; a != nil {
		lang, _ := d.nonEmpty(a, eg(`jobs_language = "en"`))
		p.JobsLanguage = lang.s
	}
	if a := c.Attributes["statuses"]; a != nil {
		p.Statuses, p.StatusesRange = d.statuses(a), a.Range
	}
	if a := c.Attributes["requests_per_minute"]; a != nil {
		p.RequestsPerMinute = d.limit(a, "300, Personio's documented limit", eg("requests_per_minute = 300"))
	}
	if a := c.Attributes["burst"]; a != nil {
		p.Burst = d.limit(a, "15, Personio's documented burst", eg("burst = 15"))
	}
	if b := d.single(c.Blocks.OfType("sync"), "a personio block"); b != nil {
		p.Sync = d.syncDefaults(b)
	}
	if b := d.single(c.Blocks.OfType("employee_fields"), "a personio block"); b != nil {
		p.EmployeeFields = d.employeeFields(b)
	}
	return p
}

// tenant decodes and checks the tenant: a bare lowercase subdomain. Users
// often paste the whole URL or host, so the hint derives the subdomain
// (unless the value was read by env(): the hint would show part of it).
func (d *decoder) tenant(a *hcl.Attribute) string {
	t, ok := d.nonEmpty(a, eg(tenantExample))
	if !ok || subdomainRE.MatchString(t.s) {
		return t.s
	}
	detail := fmt.Sprintf("%s is not a bare Personio subdomain. The tenant is the part before .personio.de, in lower case, without scheme or path", t.quoted())
	if s := guessSubdomain(t.s); s != "" && !t.fromEnv() {
		detail += fmt.Sprintf(": use the subdomain only: %s", s)
	}
	d.errorAt(a.Expr.Range(), "Invalid tenant", detail+".")
	return ""
}

// guessSubdomain extracts the probable subdomain from a URL, host name or
// mis-cased name: https://acme.personio.de, acme.jobs.personio.de and Acme
// all give acme. It returns "" when nothing sensible remains.
func guessSubdomain(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if _, rest, ok := strings.Cut(s, "://"); ok {
		s = rest
	}
	s, _, _ = strings.Cut(s, "/")
	s, _, _ = strings.Cut(s, ":")
	s, _, _ = strings.Cut(s, ".")
	if subdomainRE.MatchString(s) {
		return s
	}
	return ""
}

// baseURL decodes an http(s) URL without a trailing slash, so that paths can
// be appended to it. example is the argument written right.
func (d *decoder) baseURL(a *hcl.Attribute, example string) string {
	t, ok := d.nonEmpty(a, eg(example))
	if !ok {
		return ""
	}
	if u, err := url.Parse(t.s); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		d.errorAt(a.Expr.Range(), "Invalid URL", fmt.Sprintf("The argument %q must be an http or https URL such as \"http://127.0.0.1:8089\".", a.Name))
		return ""
	}
	return strings.TrimRight(t.s, "/")
}

// statusesForm is how statuses is written. A single status written as a
// string is usually meant as a list of it.
var statusesForm = form{
	example: `statuses = ["active"]`,
	fix: func(got cty.Value) (string, string) {
		if got.Type() != cty.String {
			return "", ""
		}
		return "statuses = " + hclLiteral(cty.ListVal([]cty.Value{got})), ""
	},
}

// statuses decodes the list of synced employee statuses.
func (d *decoder) statuses(a *hcl.Attribute) []string {
	list, ranges, ok := d.strList(a, statusesForm)
	if !ok {
		return nil
	}
	if len(list) == 0 {
		d.errorAt(a.Expr.Range(), "No statuses",
			`At least one employee status must be synced; remove the argument for the default ["active", "onboarding", "leave"].`)
		return nil
	}
	var out []string
	for i, t := range list {
		switch {
		case !slices.Contains(knownStatuses, t.s):
			var hint string
			if !t.fromEnv() {
				hint = didYouMean(t.s, knownStatuses)
			}
			d.errorAt(ranges[i], "Unknown employee status",
				fmt.Sprintf("%s is not a Personio employee status; use active, onboarding, leave or inactive.%s", t.quoted(), hint))
		case slices.Contains(out, t.s):
			d.errorAt(ranges[i], "Duplicate employee status", fmt.Sprintf("The status %s is listed twice; remove one.", t.quoted()))
		default:
			out = append(out, t.s)
		}
	}
	return out
}

// limit decodes one number of the API rate limit: a whole number from 1 to
// 1,000,000. example and f are as for positiveInt.
func (d *decoder) limit(a *hcl.Attribute, example string, f form) int {
	n, _, ok := d.positiveInt(a, example, f)
	if ok && n > maxLimit {
		d.errorAt(a.Expr.Range(), "Invalid "+a.Name,
			fmt.Sprintf("The argument %q is at most %d; Personio's documented limit is 300 requests a minute in bursts of 15.", a.Name, maxLimit))
		return 0
	}
	return int(n)
}

// maxLimit bounds requests_per_minute and burst, far above any real
// account's limit, so that a typo does not turn pacing off.
const maxLimit = 1_000_000

// syncDefaults decodes the account-level sync block.
func (d *decoder) syncDefaults(block *hcl.Block) SyncDefaults {
	s := SyncDefaults{Employees: true, Jobs: true}
	c := d.content(block.Body, syncSchema)
	if a := c.Attributes["employees"]; a != nil {
		s.Employees, s.EmployeesRange = d.boolean(a, syncDefaultForm(a.Name)), a.Range
	}
	if a := c.Attributes["jobs"]; a != nil {
		s.Jobs, s.JobsRange = d.boolean(a, syncDefaultForm(a.Name)), a.Range
	}
	return s
}

// syncDefaultForm is how an account default in personio { sync { … } } is
// written. A company's override value there is usually meant as the
// corresponding boolean (the reverse of the hint in override).
func syncDefaultForm(name string) form {
	return form{
		example: name + " = true",
		fix: func(got cty.Value) (string, string) {
			if got.Type() != cty.String {
				return "", ""
			}
			switch v := Override(strings.ToLower(strings.TrimSpace(got.AsString()))); v {
			case On, Off, Inherit:
				return fmt.Sprintf("%s = %t", name, v != Off),
					` "on", "off" and "inherit" are for a company's sync block, which overrides these account defaults; personio { sync { … } } sets them with true and false.`
			}
			return "", ""
		},
	}
}

// employeeFields decodes the employee_fields block: Gridwork field names on
// the left, Personio attribute keys on the right, reported in source order.
func (d *decoder) employeeFields(block *hcl.Block) map[string]FieldRef {
	attrs, diags := block.Body.JustAttributes()
	d.add(diags...)
	fields := map[string]FieldRef{}
	for _, a := range slices.SortedFunc(maps.Values(attrs), func(a, b *hcl.Attribute) int { return byPos(a.Range, b.Range) }) {
		if !slices.Contains(employeeFieldNames, a.Name) {
			d.errorAt(a.NameRange, "Unknown employee field", fmt.Sprintf("%q is not a Gridwork employee field.%s Fields that can be mapped: %s.",
				a.Name, didYouMean(a.Name, employeeFieldNames), strings.Join(employeeFieldNames, ", ")))
		} else if key, ok := d.nonEmpty(a, eg(a.Name+` = "dynamic_1234"`)); ok {
			fields[a.Name] = FieldRef{Key: key.s, Range: a.Expr.Range(), src: key.source}
		}
	}
	return fields
}
