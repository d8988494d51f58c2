package config

import (
	"fmt"
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
func (d *decoder) personio(block *hcl.Block) (Personio, hcl.Diagnostics) {
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
	c, diags := content(block.Body, personioSchema)
	var ds hcl.Diagnostics

	if a := c.Attributes["tenant"]; a != nil {
		p.Tenant, ds = d.tenant(a)
		diags = append(diags, ds...)
	} else {
		diags = append(diags, missingArg(block, "tenant", tenantExample+"   # for acme.personio.de"))
	}
	if a := c.Attributes["credentials"]; a != nil {
		p.Credentials, ds = d.credentials(a)
		p.CredentialsRange = a.Expr.Range()
		diags = append(diags, ds...)
	} else {
		diags = append(diags, missingArg(block, "credentials", credentialsExample))
	}
	if a := c.Attributes["api_url"]; a != nil {
		p.APIURL, ds = d.baseURL(a, `api_url = "https://api.personio.de"`)
		diags = append(diags, ds...)
	}
	if a := c.Attributes["jobs_url"]; a != nil {
		p.JobsURL, ds = d.baseURL(a, `jobs_url = "https://acme.jobs.personio.de"`)
		p.JobsURLSet = true
		diags = append(diags, ds...)
	} else if p.Tenant != "" {
		p.JobsURL = "https://" + p.Tenant + ".jobs.personio.de"
	}
	if a := c.Attributes["jobs_language"]; a != nil {
		var lang text
		lang, ds = d.eval.nonEmpty(a, eg(`jobs_language = "en"`))
		p.JobsLanguage = lang.s
		diags = append(diags, ds...)
	}
	if a := c.Attributes["statuses"]; a != nil {
		p.Statuses, ds = d.statuses(a)
		p.StatusesRange = a.Range
		diags = append(diags, ds...)
	}
	if a := c.Attributes["requests_per_minute"]; a != nil {
		p.RequestsPerMinute, ds = d.limit(a, "300, Personio's documented limit", eg("requests_per_minute = 300"))
		diags = append(diags, ds...)
	}
	if a := c.Attributes["burst"]; a != nil {
		p.Burst, ds = d.limit(a, "15, Personio's documented burst", eg("burst = 15"))
		diags = append(diags, ds...)
	}

	syncBlock, ds := single(c.Blocks.OfType("sync"), "a personio block")
	diags = append(diags, ds...)
	if syncBlock != nil {
		p.Sync, ds = d.syncDefaults(syncBlock)
		diags = append(diags, ds...)
	}
	fieldsBlock, ds := single(c.Blocks.OfType("employee_fields"), "a personio block")
	diags = append(diags, ds...)
	if fieldsBlock != nil {
		p.EmployeeFields, ds = d.employeeFields(fieldsBlock)
		diags = append(diags, ds...)
	}
	return p, diags
}

// tenant decodes and checks the tenant: a bare lowercase subdomain. Users
// often paste the whole URL or host, so the hint derives the subdomain
// (unless the value was read by env(): the hint would show part of it).
func (d *decoder) tenant(a *hcl.Attribute) (string, hcl.Diagnostics) {
	t, diags := d.eval.nonEmpty(a, eg(tenantExample))
	if diags.HasErrors() || subdomainRE.MatchString(t.s) {
		return t.s, diags
	}
	detail := fmt.Sprintf("%s is not a bare Personio subdomain. The tenant is the part before .personio.de, in lower case, without scheme or path", t.quoted())
	if s := guessSubdomain(t.s); s != "" && !t.fromEnv() {
		detail += fmt.Sprintf(": use the subdomain only: %s", s)
	}
	detail += "."
	return "", append(diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Invalid tenant",
		Detail:   detail,
		Subject:  a.Expr.Range().Ptr(),
	})
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

// credentials decodes the credentials path: sops_file(...) or a plain
// string, both resolved against the configuration directory.
func (d *decoder) credentials(a *hcl.Attribute) (string, hcl.Diagnostics) {
	p, diags := d.eval.nonEmpty(a, eg(credentialsExample))
	if diags.HasErrors() {
		return "", diags
	}
	return d.resolve(p.s), diags
}

// baseURL decodes an http(s) URL without a trailing slash, so that paths can
// be appended to it. example is the argument written right.
func (d *decoder) baseURL(a *hcl.Attribute, example string) (string, hcl.Diagnostics) {
	t, diags := d.eval.nonEmpty(a, eg(example))
	if diags.HasErrors() {
		return "", diags
	}
	s := t.s
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid URL",
			Detail:   fmt.Sprintf("The argument %q must be an http or https URL such as \"http://127.0.0.1:8089\".", a.Name),
			Subject:  a.Expr.Range().Ptr(),
		})
	}
	return strings.TrimRight(s, "/"), diags
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
func (d *decoder) statuses(a *hcl.Attribute) ([]string, hcl.Diagnostics) {
	list, ranges, diags := d.eval.strList(a, statusesForm)
	if diags.HasErrors() {
		return nil, diags
	}
	if len(list) == 0 {
		return nil, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "No statuses",
			Detail:   `At least one employee status must be synced; remove the argument for the default ["active", "onboarding", "leave"].`,
			Subject:  a.Expr.Range().Ptr(),
		})
	}
	seen := map[string]bool{}
	var out []string
	for i, t := range list {
		switch {
		case !slices.Contains(knownStatuses, t.s):
			var hint string
			if !t.fromEnv() {
				hint = didYouMean(t.s, knownStatuses)
			}
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unknown employee status",
				Detail:   fmt.Sprintf("%s is not a Personio employee status; use active, onboarding, leave or inactive.%s", t.quoted(), hint),
				Subject:  ranges[i].Ptr(),
			})
		case seen[t.s]:
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Duplicate employee status",
				Detail:   fmt.Sprintf("The status %s is listed twice; remove one.", t.quoted()),
				Subject:  ranges[i].Ptr(),
			})
		default:
			seen[t.s] = true
			out = append(out, t.s)
		}
	}
	return out, diags
}

// limit decodes one number of the API rate limit: a whole number from 1 to
// 1,000,000. example and f are as for positiveInt.
func (d *decoder) limit(a *hcl.Attribute, example string, f form) (int, hcl.Diagnostics) {
	n, _, diags := d.eval.positiveInt(a, example, f)
	if diags.HasErrors() {
		return 0, diags
	}
	if n > maxLimit {
		return 0, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  fmt.Sprintf("Invalid %s", a.Name),
			Detail:   fmt.Sprintf("The argument %q is at most %d; Personio's documented limit is 300 requests a minute in bursts of 15.", a.Name, maxLimit),
			Subject:  a.Expr.Range().Ptr(),
		})
	}
	return int(n), diags
}

// maxLimit bounds requests_per_minute and burst, far above any real
// account's limit, so that a typo does not turn pacing off.
const maxLimit = 1_000_000

// syncDefaults decodes the account-level sync block.
func (d *decoder) syncDefaults(block *hcl.Block) (SyncDefaults, hcl.Diagnostics) {
	s := SyncDefaults{Employees: true, Jobs: true}
	c, diags := content(block.Body, syncSchema)
	var ds hcl.Diagnostics
	if a := c.Attributes["employees"]; a != nil {
		s.Employees, ds = d.eval.boolean(a, syncDefaultForm(a.Name))
		s.EmployeesRange = a.Range
		diags = append(diags, ds...)
	}
	if a := c.Attributes["jobs"]; a != nil {
		s.Jobs, ds = d.eval.boolean(a, syncDefaultForm(a.Name))
		s.JobsRange = a.Range
		diags = append(diags, ds...)
	}
	return s, diags
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
			var example string
			switch Override(strings.ToLower(strings.TrimSpace(got.AsString()))) {
			case On, Inherit:
				example = name + " = true"
			case Off:
				example = name + " = false"
			default:
				return "", ""
			}
			return example, ` "on", "off" and "inherit" are for a company's sync block, which overrides these account defaults; personio { sync { … } } sets them with true and false.`
		},
	}
}

// employeeFields decodes the employee_fields block: Gridwork field names on
// the left, Personio attribute keys on the right.
func (d *decoder) employeeFields(block *hcl.Block) (map[string]FieldRef, hcl.Diagnostics) {
	attrs, diags := block.Body.JustAttributes()
	fields := map[string]FieldRef{}
	for _, a := range sortedAttrs(attrs) {
		if !slices.Contains(employeeFieldNames, a.Name) {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unknown employee field",
				Detail: fmt.Sprintf("%q is not a Gridwork employee field.%s Fields that can be mapped: %s.",
					a.Name, didYouMean(a.Name, employeeFieldNames), strings.Join(employeeFieldNames, ", ")),
				Subject: a.NameRange.Ptr(),
			})
			continue
		}
		key, ds := d.eval.nonEmpty(a, eg(a.Name+` = "dynamic_1234"`))
		diags = append(diags, ds...)
		if !ds.HasErrors() {
			fields[a.Name] = FieldRef{Key: key.s, Range: a.Expr.Range(), env: envCalls(key.env)}
		}
	}
	return fields, diags
}

// sortedAttrs orders attributes by position, so that diagnostics come out in
// source order rather than map order.
func sortedAttrs(attrs hcl.Attributes) []*hcl.Attribute {
	out := make([]*hcl.Attribute, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, a)
	}
	sortByPos(out, func(a *hcl.Attribute) hcl.Range { return a.Range })
	return out
}
