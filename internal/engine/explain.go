package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/personio"
	"github.com/gridwork/gridsync/plan"
)

// ExplainOptions say which record to explain and where Gridwork is.
type ExplainOptions struct {
	Type plan.Type // plan.TypeEmployee or plan.TypeJob
	ID   int64
	// Store is the Gridwork database; nil when it could not be opened,
	// and StoreErr then says why (no URL, connection refused, schema out
	// of date). The Gridwork side is then left out of the story.
	Store    Target
	StoreErr error
}

// Explanation is one record's story: what Personio says about it, which
// location its office maps to and with which toggle, what Gridwork holds
// and what the next plan does with it.
type Explanation struct {
	Type plan.Type
	ID   int64

	// Found is false when Personio does not know the record: no employee
	// with the id, no position with it in the job feed.
	Found bool
	// Name is the employee's first and last name, or the position's title.
	Name  string
	Email string // employees only
	// Status is the employee's Personio status; "" for jobs.
	Status string
	// Office is the employee's office, nil when it has none; for a job,
	// the office the feed names (ID 0), nil when none.
	Office *plan.Office
	// AdditionalOffices are a job's further offices, by name.
	AdditionalOffices []string

	// Mappings are the configured locations the record's office maps to:
	// at most one for an employee; for a job, one per company whose
	// location maps its office or, failing that, one of its additional
	// offices. Empty when unmapped.
	Mappings []Mapping
	// Statuses are the synced statuses, StatusesAt where they were
	// written (zero for the default) and StatusSynced whether the
	// employee's status is among them. Employees only.
	Statuses     []string
	StatusesAt   hcl.Range
	StatusSynced bool

	// GridworkRead says whether the Gridwork database was read;
	// GridworkError says why not.
	GridworkRead  bool
	GridworkError string
	// Rows are the Gridwork rows the record concerns: rows linked to it,
	// and unlinked employees with its email.
	Rows []Row

	// Changes are what the next plan does with the record (none: nothing
	// to do). Without the database they assume Gridwork has no row for it.
	Changes []plan.Change
	// PlanErrors are configuration problems that stop the next plan, as
	// the plan reports them.
	PlanErrors hcl.Diagnostics
	// Hidden, when set, says that Personio withholds attributes gridsync
	// syncs from the credential: plan and apply fail until they are
	// allowed.
	Hidden error
	// OfficeNamesRead is set when a job's office had to be matched with
	// locations mapped by office_id: the employee listing was read to
	// learn the names of those offices.
	OfficeNamesRead bool
}

// Mapping is a configured location that maps the record's office.
type Mapping struct {
	Company  string
	Location string
	// Office is the office the location maps: the record's own or, for
	// a job, one of its additional offices.
	Office string
	At     hcl.Range // the office or office_id argument
	Toggle Toggle
}

// Address is the record's plan address in the mapping's company, such as
// employee.acme[1042].
func (m Mapping) Address(typ plan.Type, id int64) string {
	return fmt.Sprintf("%s.%s[%d]", typ, m.Company, id)
}

// Toggle is a company's effective toggle for a kind and where it comes
// from.
type Toggle struct {
	Kind    config.Kind
	Enabled bool
	// Override is the company's override (inherit when not written),
	// OverrideAt where it was written.
	Override   config.Override
	OverrideAt hcl.Range
	// Default is the account default (personio.sync), DefaultAt where it
	// was written (zero: the default, true).
	Default   bool
	DefaultAt hcl.Range
}

// FromCompany reports whether the company's override decides the toggle
// (on or off) rather than the account default.
func (t Toggle) FromCompany() bool { return t.Override == config.On || t.Override == config.Off }

// RowState is what a Gridwork row is to the record.
type RowState string

const (
	// RowLinked: the row carries the record's Personio id.
	RowLinked RowState = "linked"
	// RowAdoptable: an unlinked employee of the mapped company with the
	// record's email, which the next plan adopts.
	RowAdoptable RowState = "adoptable"
	// RowUnlinked: an unlinked employee with the record's email that the
	// next plan leaves alone.
	RowUnlinked RowState = "unlinked"
)

// Row is one Gridwork row the record concerns.
type Row struct {
	Company  string
	TargetID int64
	State    RowState
	Location string // its location slug, "" when none
}

// kind is the toggle kind of a record type.
func kind(typ plan.Type) config.Kind {
	if typ == plan.TypeJob {
		return config.Jobs
	}
	return config.Employees
}

// NotFoundError says that Personio does not know the record explained.
type NotFoundError struct {
	Type plan.Type
	ID   int64
}

func (e *NotFoundError) Error() string {
	if e.Type == plan.TypeJob {
		return fmt.Sprintf("Personio's job feed has no position %d (the feed lists published positions only)", e.ID)
	}
	return fmt.Sprintf("Personio has no employee %d", e.ID)
}

// Explain tells one record's story. It reads the record alone from
// Personio (the employee by id, one request; a job from the feed), never
// the whole listing except to learn the names of offices that locations
// map by id when a job must be matched with them and Gridwork does not
// know them. What the next plan does is computed by the plan build itself,
// on a Source holding the record and a State holding its rows. A record
// Personio does not know is still explained (Gridwork may link it), and
// the returned error is then a *NotFoundError.
func (r *Runner) Explain(ctx context.Context, cfg *config.Config, opts ExplainOptions) (*Explanation, error) {
	if opts.Type != plan.TypeEmployee && opts.Type != plan.TypeJob {
		return nil, fmt.Errorf("explain: %q is not employee or job", opts.Type)
	}
	ex := &Explanation{Type: opts.Type, ID: opts.ID}
	client, done, err := r.connect(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer done()

	var cur plan.State
	if opts.Store == nil {
		ex.GridworkError = "the database could not be opened"
		if opts.StoreErr != nil {
			ex.GridworkError = opts.StoreErr.Error()
		}
	} else if cur, err = opts.Store.ReadState(ctx, Query(cfg, nil)); err != nil {
		ex.GridworkError = err.Error()
		cur = plan.State{}
	} else {
		ex.GridworkRead = true
	}

	var src *plan.Source
	if opts.Type == plan.TypeEmployee {
		src, err = r.explainEmployee(ctx, cfg, client, ex)
	} else {
		src, err = r.explainJob(ctx, cfg, client, ex, cur)
	}
	if err != nil {
		return nil, err
	}
	ex.Statuses, ex.StatusesAt = cfg.Personio.Statuses, cfg.Personio.StatusesRange
	ex.StatusSynced = slices.Contains(cfg.Personio.Statuses, ex.Status)

	narrowed := narrowConfig(cfg, ex)
	cur = recordState(cur, ex)
	planned, diags, err := r.build(ctx, narrowed, src, nil, cur, nil)
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				ex.PlanErrors = append(ex.PlanErrors, d)
			}
		}
	} else {
		key := strconv.FormatInt(ex.ID, 10)
		for _, c := range planned.Plan.Changes {
			if c.Type == ex.Type && c.Key == key {
				ex.Changes = append(ex.Changes, c)
			}
		}
	}
	ex.Rows = recordRows(cur, ex)
	if !ex.Found {
		return ex, &NotFoundError{Type: ex.Type, ID: ex.ID}
	}
	return ex, nil
}

// explainEmployee reads the employee by id and the attribute list, and
// returns the plan's Source holding the employee alone.
func (r *Runner) explainEmployee(ctx context.Context, cfg *config.Config, client *personio.Client, ex *Explanation) (*plan.Source, error) {
	e, found, err := client.Employee(ctx, ex.ID)
	if err != nil {
		return nil, err
	}
	src := &plan.Source{}
	if len(cfg.Personio.EmployeeFields) > 0 {
		// The plan checks employee_fields keys against the list; without
		// it a key this employee lacks would read as unknown.
		attrs, err := client.Attributes(ctx)
		if err != nil {
			return nil, err
		}
		src.AttributeKeys = make([]string, len(attrs))
		for i, a := range attrs {
			src.AttributeKeys[i] = a.Key
		}
	}
	if err := client.CheckAttributes(ctx, RequiredAttributes(cfg)); err != nil {
		var he *personio.HiddenAttributesError
		if !errors.As(err, &he) {
			return nil, err
		}
		ex.Hidden = AttributesError(cfg, err)
	}
	if !found {
		return src, nil
	}
	ex.Found = true
	ex.Name = strings.TrimSpace(e.FirstName + " " + e.LastName)
	ex.Email, ex.Status = e.Email, e.Status
	se := personio.SourceEmployee(&e, employeeFieldAttributes(cfg))
	src.AddEmployees(se)
	if se.Office != nil {
		ex.Office = se.Office
		for _, c := range cfg.Companies {
			for _, loc := range c.Locations {
				if (loc.OfficeID != 0 && loc.OfficeID == se.Office.ID) || (loc.Office != "" && loc.Office == se.Office.Name) {
					ex.Mappings = append(ex.Mappings, newMapping(cfg, &c, loc, se.Office.Name, ex.Type))
				}
			}
		}
	}
	return src, nil
}

// explainJob reads the job feed for the position and returns the plan's
// Source holding it alone, with its offices by name, and by id where a
// location maps one of them by office_id.
func (r *Runner) explainJob(ctx context.Context, cfg *config.Config, client *personio.Client, ex *Explanation, cur plan.State) (*plan.Source, error) {
	jobs, err := client.Jobs(ctx)
	if err != nil {
		return nil, err
	}
	src := &plan.Source{}
	i, found := slices.BinarySearchFunc(jobs, ex.ID, func(j personio.Job, id int64) int { return cmp.Compare(j.ID, id) })
	if !found {
		return src, nil
	}
	j := jobs[i]
	ex.Found, ex.Name = true, j.Name
	if j.Office != "" {
		ex.Office = &plan.Office{Name: j.Office}
	}
	ex.AdditionalOffices = j.AdditionalOffices
	src.Jobs = []plan.SourceJob{{
		ID: j.ID, Name: j.Name, Office: j.Office, AdditionalOffices: j.AdditionalOffices,
		Department: j.Department, EmploymentType: j.EmploymentType, Schedule: j.Schedule,
		ApplicationURL: j.ApplicationURL,
	}}
	for _, d := range j.Descriptions {
		src.Jobs[0].Descriptions = append(src.Jobs[0].Descriptions, plan.JobDescription{Name: d.Name, Value: d.Value})
	}

	names := jobOfficeNames(j)
	ids, err := r.officeNames(ctx, cfg, client, cur, ex)
	if err != nil {
		return nil, err
	}
	// Each name of the job as the plan would see it: with its id when a
	// location maps that office by id, else as the feed names it.
	for _, name := range names {
		o := plan.Office{Name: name}
		for id, n := range ids {
			if n == name {
				o.ID = id
			}
		}
		src.Offices = append(src.Offices, o)
	}
	slices.SortFunc(src.Offices, func(a, b plan.Office) int { return strings.Compare(a.Name, b.Name) })
	// Per company, the first of the job's offices that one of its
	// locations maps (desired jobs go by the same rule).
	for ci := range cfg.Companies {
		c := &cfg.Companies[ci]
	names:
		for _, name := range names {
			for _, loc := range c.Locations {
				if loc.Office == name || (loc.OfficeID != 0 && ids[loc.OfficeID] == name) {
					ex.Mappings = append(ex.Mappings, newMapping(cfg, c, loc, name, ex.Type))
					break names
				}
			}
		}
	}
	return src, nil
}

// jobOfficeNames are the names of a position's office and additional
// offices, each once, in the feed's order.
func jobOfficeNames(j personio.Job) []string {
	var out []string
	for _, n := range append([]string{j.Office}, j.AdditionalOffices...) {
		if n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// officeNames returns the names of the offices that locations map by
// office_id: from Gridwork's locations where it knows them (the names
// they had when last synced), else from Personio's employee listing,
// which is then scanned (counted, not kept).
func (r *Runner) officeNames(ctx context.Context, cfg *config.Config, client *personio.Client, cur plan.State, ex *Explanation) (map[int64]string, error) {
	ids := map[int64]string{}
	for _, o := range plan.KnownOffices(cur) {
		ids[o.ID] = o.Name
	}
	missing := false
	for _, c := range cfg.Companies {
		for _, loc := range c.Locations {
			if _, ok := ids[loc.OfficeID]; loc.OfficeID != 0 && !ok {
				missing = true
			}
		}
	}
	if !missing {
		return ids, nil
	}
	rep, err := CountOffices(ctx, client)
	if err != nil {
		return nil, fmt.Errorf("reading Personio's employees to learn the names of the offices mapped by office_id: %w", err)
	}
	ex.OfficeNamesRead = true
	for _, o := range rep.Offices {
		if o.ID != 0 {
			ids[o.ID] = o.Name
		}
	}
	return ids, nil
}

// newMapping describes loc of company c mapping the record's office.
func newMapping(cfg *config.Config, c *config.Company, loc config.Location, office string, typ plan.Type) Mapping {
	k := kind(typ)
	t := Toggle{Kind: k, Enabled: c.Enabled(k), DefaultAt: cfg.Personio.Sync.Range(k)}
	t.Override, t.OverrideAt = c.Sync.Of(k)
	if t.Override == "" {
		t.Override = config.Inherit
	}
	if k == config.Jobs {
		t.Default = cfg.Personio.Sync.Jobs
	} else {
		t.Default = cfg.Personio.Sync.Employees
	}
	return Mapping{Company: c.Slug, Location: loc.Slug, Office: office, At: loc.OfficeRange, Toggle: t}
}

// narrowConfig returns cfg with only the office mappings of ex's
// locations: every other location is left unmapped, so that the plan,
// which sees no other office, does not report theirs as unknown. What the
// plan does with the record depends on its own mapping alone.
func narrowConfig(cfg *config.Config, ex *Explanation) *config.Config {
	keep := map[[2]string]bool{}
	for _, m := range ex.Mappings {
		keep[[2]string{m.Company, m.Location}] = true
	}
	out := *cfg
	out.Companies = make([]config.Company, len(cfg.Companies))
	for i, c := range cfg.Companies {
		c.Locations = slices.Clone(c.Locations)
		for j := range c.Locations {
			if !keep[[2]string{c.Slug, c.Locations[j].Slug}] {
				c.Locations[j].Office, c.Locations[j].OfficeID = "", 0
			}
		}
		out.Companies[i] = c
	}
	return &out
}

// recordState restricts cur to the rows of the record: the rows linked
// to it and, for an employee, the unlinked employees with its email (the
// candidates for adoption). Companies and locations stay.
func recordState(cur plan.State, ex *Explanation) plan.State {
	key := strconv.FormatInt(ex.ID, 10)
	email := strings.ToLower(strings.TrimSpace(ex.Email))
	mine := func(r plan.Record) bool {
		if r.Linked {
			return r.ExternalID == key
		}
		return email != "" && strings.ToLower(strings.TrimSpace(r.Attrs.Get(plan.FieldEmail))) == email
	}
	out := plan.State{Companies: cur.Companies}
	rows := cur.Employees
	if ex.Type == plan.TypeJob {
		rows = cur.Jobs
	}
	var kept []plan.Record
	for _, r := range rows {
		if mine(r) {
			kept = append(kept, r)
		}
	}
	if ex.Type == plan.TypeJob {
		out.Jobs = kept
	} else {
		out.Employees = kept
	}
	return out
}

// recordRows describes the record's rows of cur (already restricted by
// recordState), with what the plan in ex.Changes does to them.
func recordRows(cur plan.State, ex *Explanation) []Row {
	rows := cur.Employees
	if ex.Type == plan.TypeJob {
		rows = cur.Jobs
	}
	adopted := map[int64]bool{}
	for _, c := range ex.Changes {
		if c.Action == plan.Adopt {
			adopted[c.TargetID] = true
		}
	}
	var out []Row
	for _, r := range rows {
		row := Row{Company: r.Company, TargetID: r.TargetID, Location: r.Attrs.Get(plan.FieldLocation), State: RowLinked}
		switch {
		case r.Linked:
		case adopted[r.TargetID]:
			row.State = RowAdoptable
		default:
			row.State = RowUnlinked
		}
		out = append(out, row)
	}
	return out
}
