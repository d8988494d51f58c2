package plan

import (
	"cmp"
	"html"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/gridwork/gridsync/config"
)

// DesiredOptions narrow and inform Desired.
type DesiredOptions struct {
	// Companies is the -company filter: the slugs to plan for. Empty means
	// every configured company.
	Companies []string
	// KnownOffices are offices the target already has mapped (from State).
	// A location whose office Personio no longer shows at all still resolves
	// to its known id, so that an office suddenly without employees shows up
	// as a suspicious answer instead of a configuration error.
	KnownOffices []Office
}

// DesiredState is what Gridwork should hold for the companies in scope,
// according to the configuration and Personio.
type DesiredState struct {
	// Companies are the configured companies in scope, sorted by slug.
	Companies []DesiredCompany
	// Configured lists every configured company slug, in scope or not, so
	// Diff can tell companies outside the -company filter (left alone) from
	// companies that left the configuration (unlinked).
	Configured []string
	// PersonioEmployees is how many employees Personio answered with in
	// total, whatever their office or status.
	PersonioEmployees int
	// PersonioPositions is how many positions the job feed listed in
	// total, whatever their office.
	PersonioPositions int
	// Warnings are notes for the plan reader.
	Warnings []string
	// JobsUnavailable is Source.JobsUnavailable: the job feed could not be
	// read, so no company has desired jobs and Diff touches no job.
	JobsUnavailable string

	// personio finds every Personio record of a kind by id, so Diff can
	// say why a linked record is no longer desired (gone, filtered,
	// unmapped).
	personio map[Type]sources
}

// kinds are the kinds of records Diff plans: employees, and jobs unless
// the feed could not be read. Without a feed nothing is known about jobs:
// none is created, updated, unlinked or removed, in any company.
func (d *DesiredState) kinds() []Type {
	if d.JobsUnavailable != "" {
		return []Type{TypeEmployee}
	}
	return []Type{TypeEmployee, TypeJob}
}

// sources finds the Personio record with an id.
type sources func(id int64) (source, bool)

// source is what Diff needs to know about a Personio record that a linked
// Gridwork row points at.
type source struct {
	status string // employees only
	synced bool   // the status is synced (always true for jobs)
	office string // office name, "" when none
}

// DesiredCompany is one configured company in scope.
type DesiredCompany struct {
	Slug string
	Name string
	// SyncEmployees and SyncJobs are the effective toggles.
	SyncEmployees bool
	SyncJobs      bool
	Locations     []DesiredLocation // sorted by slug
	// Employees and Jobs are the records to sync, sorted by Personio id;
	// nil when the kind is off.
	Employees []DesiredRecord
	Jobs      []DesiredRecord
}

// syncs reports whether the company syncs records of typ.
func (dc *DesiredCompany) syncs(typ Type) bool {
	if typ == TypeJob {
		return dc.SyncJobs
	}
	return dc.SyncEmployees
}

// records returns the company's desired records of typ.
func (dc *DesiredCompany) records(typ Type) []DesiredRecord {
	if typ == TypeJob {
		return dc.Jobs
	}
	return dc.Employees
}

// DesiredLocation is one declared location with its resolved office.
type DesiredLocation struct {
	Slug       string
	Name       string
	Mapped     bool
	OfficeID   int64  // 0 when unmapped or when the office is known only from the job feed
	OfficeName string // "" when unmapped
	// PersonioEmployees counts Personio employees (any status) in the office.
	PersonioEmployees int
	// PersonioPositions counts feed positions that name the office, as
	// their office or as an additional one.
	PersonioPositions int
}

// Attrs returns the location's synced attributes.
func (l DesiredLocation) Attrs() Attrs {
	v := attrValues{idxName: l.Name, idxOfficeName: l.OfficeName}
	if l.OfficeID != 0 {
		v[idxOfficeID] = strconv.FormatInt(l.OfficeID, 10)
	}
	return v.attrs()
}

// DesiredRecord is one employee or job that should exist, by Personio id.
//
// An employee's attributes are not stored: they are read off its Source
// record when asked for, so that a plan of 100,000 employees that are
// already in sync does not hold every value a second time.
type DesiredRecord struct {
	ID    int64
	attrs Attrs            // a job's attributes
	emp   *SourceEmployee  // an employee's record
	to    *employeeMapping // where an employee goes
}

// employeeMapping is what maps a Source employee to Gridwork attributes
// besides the record itself: its location and the employee_fields
// overrides (Gridwork field → Personio key).
type employeeMapping struct {
	location string
	fields   []fieldKey
}

// fieldKey is an employee_fields override: a field (by index) and the
// Personio attribute it is read from.
type fieldKey struct {
	field int
	key   string
}

// Attrs returns the record's attributes.
func (r *DesiredRecord) Attrs() Attrs {
	var v attrValues
	r.values(&v)
	return v.attrs()
}

// values sets v to the record's attributes.
func (r *DesiredRecord) values(v *attrValues) {
	e := r.emp
	if e == nil {
		*v = r.attrs.values()
		return
	}
	*v = attrValues{
		idxFirstName: e.FirstName, idxLastName: e.LastName, idxGender: e.Gender, idxPosition: e.Position,
		idxEmail: e.Email, idxStatus: e.Status, idxProfileImageURL: e.ProfileImageURL, idxLocation: r.to.location,
	}
	for _, o := range r.to.fields {
		v[o.field] = e.Attributes[o.key]
	}
}

// Desired builds the desired state of the companies in scope from the
// configuration and Personio's answer (a Source). Offices and employee_fields keys
// that Personio does not know become error diagnostics at their HCL range;
// when diags has errors the returned state is incomplete and must not be
// diffed.
func Desired(cfg *config.Config, snap *Source, opts DesiredOptions) (*DesiredState, hcl.Diagnostics) {
	inScope, diags := companiesInScope(cfg, opts.Companies)
	diags = append(diags, checkEmployeeFields(cfg, snap)...)
	if len(cfg.Personio.Statuses) == 0 {
		// The loader always resolves the default; a Config built elsewhere
		// without statuses must not read as "sync nobody" and remove
		// everyone.
		return nil, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "No synced employee statuses",
			Detail:   "The configuration names no employee status to sync; set personio.statuses, or remove it for the default [\"active\", \"onboarding\", \"leave\"].",
		})
	}

	offices := newOfficeIndex(snap, opts.KnownOffices)
	ds := &DesiredState{
		PersonioEmployees: len(snap.Employees),
		PersonioPositions: len(snap.Jobs),
		JobsUnavailable:   snap.JobsUnavailable,
	}
	if ds.JobsUnavailable != "" {
		ds.PersonioPositions = 0
	}
	for _, c := range cfg.Companies {
		ds.Configured = append(ds.Configured, c.Slug)
	}
	sort.Strings(ds.Configured)
	synced := func(status string) bool { return slices.Contains(cfg.Personio.Statuses, status) }
	// Employees are sorted by id: they are looked up where they are
	// rather than indexed again (a 100,000-entry map costs megabytes).
	emps := snap.Employees
	byID := func(a, b SourceEmployee) int { return cmp.Compare(a.ID, b.ID) }
	if !slices.IsSortedFunc(emps, byID) {
		// The Source promises order; a caller that broke it must not turn
		// a listed employee into a missing one.
		slices.SortFunc(emps, byID)
	}
	employees := func(id int64) (source, bool) {
		i, ok := slices.BinarySearchFunc(emps, id, func(e SourceEmployee, id int64) int { return cmp.Compare(e.ID, id) })
		if !ok {
			return source{}, false
		}
		e := &emps[i]
		s := source{status: e.Status, synced: synced(e.Status)}
		if e.Office != nil {
			s.office = e.Office.Name
		}
		return s, true
	}
	jobs := make(map[int64]source, len(snap.Jobs)) // read only when the feed was
	for _, j := range snap.Jobs {
		jobs[j.ID] = source{synced: true, office: j.Office}
	}
	ds.personio = map[Type]sources{TypeEmployee: employees, TypeJob: func(id int64) (source, bool) {
		s, ok := jobs[id]
		return s, ok
	}}

	resolved, d := resolveOffices(cfg, inScope, offices, &ds.Warnings)
	diags = append(diags, d...)
	fields := employeeFieldKeys(cfg.Personio.EmployeeFields)
	// Where each mapped office's employees go: a company (index into
	// ds.Companies) and a location.
	type target struct {
		company int
		mapping *employeeMapping
	}
	byOffice := map[int64]target{}
	for _, c := range inScope {
		dc := DesiredCompany{Slug: c.Slug, Name: c.Name, SyncEmployees: c.SyncEmployees, SyncJobs: c.SyncJobs}
		byOfficeName := map[string]string{}
		for _, loc := range c.Locations {
			dl := DesiredLocation{Slug: loc.Slug, Name: loc.Name}
			if o, ok := resolved[locationKey{c.Slug, loc.Slug}]; ok {
				dl.Mapped, dl.OfficeID, dl.OfficeName = true, o.ID, o.Name
				dl.PersonioEmployees = offices.employees[o.ID]
				dl.PersonioPositions = offices.positions[o.Name]
				if _, dup := byOffice[o.ID]; !dup && o.ID != 0 && c.SyncEmployees {
					byOffice[o.ID] = target{len(ds.Companies), &employeeMapping{location: loc.Slug, fields: fields}}
				}
				// Two offices may share a name (then mapped by id);
				// positions name their office, so the first wins.
				if _, dup := byOfficeName[o.Name]; !dup && o.Name != "" {
					byOfficeName[o.Name] = loc.Slug
				}
			}
			dc.Locations = append(dc.Locations, dl)
		}
		sort.Slice(dc.Locations, func(i, j int) bool { return dc.Locations[i].Slug < dc.Locations[j].Slug })

		if dc.SyncJobs && ds.JobsUnavailable == "" {
			dc.Jobs = desiredJobs(snap.Jobs, byOfficeName)
		}
		ds.Companies = append(ds.Companies, dc)
	}
	// Employees go to the company that maps their office: one pass over
	// the listing (sorted by id, so each company's are too) counts them,
	// a second fills slices allocated at their size.
	mapped := func(e *SourceEmployee) (target, bool) {
		if e.Office == nil || e.Office.ID == 0 || !synced(e.Status) {
			return target{}, false
		}
		t, ok := byOffice[e.Office.ID]
		return t, ok
	}
	counts := make([]int, len(ds.Companies))
	for i := range emps {
		if t, ok := mapped(&emps[i]); ok {
			counts[t.company]++
		}
	}
	for i, n := range counts {
		if n > 0 {
			ds.Companies[i].Employees = make([]DesiredRecord, 0, n)
		}
	}
	for i := range emps {
		if t, ok := mapped(&emps[i]); ok {
			dc := &ds.Companies[t.company]
			dc.Employees = append(dc.Employees, DesiredRecord{ID: emps[i].ID, emp: &emps[i], to: t.mapping})
		}
	}
	return ds, diags
}

// locationKey names a location across companies.
type locationKey struct{ company, location string }

// resolveOffices resolves the office of every mapped location of every
// configured company, and checks that no two locations, in one company or
// in two, resolve to the same office (config.OfficesMappedOnce: validate
// compares the offices as written, only Personio's answer shows that
// office = "Berlin" and office_id = 1001 are one). Companies outside the
// -company filter are resolved for that check only: their unknown offices
// and warnings are left to a plan that covers them. It returns the offices
// of the locations that resolved, by location.
func resolveOffices(cfg *config.Config, inScope []config.Company, offices *officeIndex, warnings *[]string) (map[locationKey]Office, hcl.Diagnostics) {
	scoped := func(slug string) bool {
		return slices.ContainsFunc(inScope, func(c config.Company) bool { return c.Slug == slug })
	}
	var (
		diags    hcl.Diagnostics
		mappings []config.OfficeMapping
	)
	resolved := map[locationKey]Office{}
	for _, c := range cfg.Companies {
		for _, loc := range c.Locations {
			if !loc.Mapped() {
				continue
			}
			o, warn, d := offices.resolve(c.Slug, loc)
			if scoped(c.Slug) && d != nil {
				diags = append(diags, d)
			}
			if scoped(c.Slug) && warn != "" {
				*warnings = append(*warnings, warn)
			}
			if d != nil {
				continue
			}
			resolved[locationKey{c.Slug, loc.Slug}] = o
			key := config.OfficeKey{ID: o.ID}
			if o.ID == 0 {
				key.Name = o.Name // an office only the job feed names has no id
			}
			label := "" // env() read loc's office: the office's name or id would show its value
			if !loc.OfficeFromEnv() {
				label = officeName(o)
			}
			mappings = append(mappings, config.OfficeMapping{Company: c.Slug, Location: loc, Office: key, Label: label})
		}
	}
	return resolved, append(diags, config.OfficesMappedOnce(mappings)...)
}

// companiesInScope returns the configured companies named by filter (all
// when empty), sorted by slug, and a diagnostic for each unknown slug.
// CheckCompanies reports every -company slug that names no configured
// company, so that a typo is caught before Personio is read.
func CheckCompanies(cfg *config.Config, filter []string) hcl.Diagnostics {
	_, diags := companiesInScope(cfg, filter)
	return diags
}

func companiesInScope(cfg *config.Config, filter []string) ([]config.Company, hcl.Diagnostics) {
	all := slices.SortedFunc(slices.Values(cfg.Companies), func(a, b config.Company) int { return strings.Compare(a.Slug, b.Slug) })
	if len(filter) == 0 {
		return all, nil
	}
	var out []config.Company
	slugs := make([]string, len(all))
	for i, c := range all {
		slugs[i] = c.Slug
		if slices.Contains(filter, c.Slug) {
			out = append(out, c)
		}
	}
	var diags hcl.Diagnostics
	for i, s := range filter {
		if slices.Contains(slugs, s) || slices.Contains(filter[:i], s) {
			continue // configured, or reported already
		}
		detail := "No company block has this slug."
		if len(slugs) > 0 {
			detail += " Configured companies, closest first: " + strings.Join(config.Closest(s, slugs, maxSuggestions), ", ") + "."
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unknown company " + strconv.Quote(s) + " in -company",
			Detail:   detail,
		})
	}
	return out, diags
}

// desiredJobs selects the feed positions whose office (or, failing that,
// the first mapped additional office) is mapped in the company.
func desiredJobs(jobs []SourceJob, byOfficeName map[string]string) []DesiredRecord {
	var out []DesiredRecord
	for i := range jobs {
		j := &jobs[i]
		// byOfficeName holds no office without a name.
		slug, ok := byOfficeName[j.Office]
		for _, o := range j.AdditionalOffices {
			if ok {
				break
			}
			slug, ok = byOfficeName[o]
		}
		if !ok {
			continue
		}
		v := attrValues{
			idxTitle: j.Name, idxDescription: jobDescription(j.Descriptions), idxEmploymentType: j.EmploymentType,
			idxSchedule: j.Schedule, idxDepartment: j.Department, idxLocation: slug, idxApplicationURL: j.ApplicationURL,
			idxStatus: "published", // the feed lists published positions only
		}
		out = append(out, DesiredRecord{ID: j.ID, attrs: v.attrs()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// jobDescription joins a position's sections into one HTML text: each
// section's name as an <h3> heading followed by its HTML value.
func jobDescription(sections []JobDescription) string {
	var b strings.Builder
	for i, s := range sections {
		if i > 0 {
			b.WriteByte('\n')
		}
		if s.Name != "" {
			b.WriteString("<h3>" + html.EscapeString(s.Name) + "</h3>")
		}
		b.WriteString(s.Value)
	}
	return b.String()
}

// employeeFieldKeys returns the employee_fields overrides as Gridwork field
// → Personio key, limited to the fields an override may feed, by field.
func employeeFieldKeys(m map[string]config.FieldRef) []fieldKey {
	var out []fieldKey
	for field, ref := range m {
		if field == FieldLocation || ref.Key == "" {
			continue
		}
		out = append(out, fieldKey{mustIndex(field), ref.Key})
	}
	slices.SortFunc(out, func(a, b fieldKey) int { return cmp.Compare(a.field, b.field) })
	return out
}
