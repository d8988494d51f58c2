package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
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
// locations its office maps to and with which toggle, what Gridwork holds
// and what the next plan does with it.
//
// It is also the document of `gridsync explain -json`, which adds
// format_version and the story: the JSON names are that format, described
// in the README, so change them only on purpose. Positions in the
// configuration are "file:line", nil (null) for a default.
type Explanation struct {
	Type plan.Type `json:"type"`
	ID   int64     `json:"id"`
	// Found is false when Personio does not know the record: no employee
	// with the id, no position with it in the job feed. Personio is then
	// nil.
	Found    bool            `json:"found"`
	Personio *PersonioRecord `json:"personio"`
	// Mappings are the locations that map the record's office; a job
	// takes, per company, the first of its offices that one maps.
	Mappings []Mapping `json:"mappings"`
	// StatusFilter is nil for jobs and unknown employees.
	StatusFilter *StatusFilter `json:"status_filter"`
	Gridwork     struct {
		Read  bool    `json:"read"`
		Error *string `json:"error"` // why it was not read
		// Rows are the rows linked to the record, and unlinked employees
		// with its email.
		Rows []Row `json:"rows"`
	} `json:"gridwork"`
	Plan struct {
		AssumesNoRow bool `json:"assumes_no_row"` // Gridwork was not read
		// Errors stop the plan: PlanErrors, then Hidden, a line each.
		Errors  []string `json:"errors"`
		Changes []Change `json:"changes"`
	} `json:"plan"`
	// Addresses are the record's plan addresses: in the companies that map
	// its office, and where Gridwork links it or the next plan acts on it.
	Addresses []string `json:"addresses"`

	// PlanErrors are configuration problems that stop the next plan, as
	// the plan reports them.
	PlanErrors hcl.Diagnostics `json:"-"`
	// Hidden, when set, says that Personio withholds attributes gridsync
	// syncs from the credential: plan and apply fail until they are
	// allowed.
	Hidden error `json:"-"`
	// OfficeNamesRead is set when a job's office had to be matched with
	// locations mapped by office_id: the employee listing was read to
	// learn the names of those offices.
	OfficeNamesRead bool `json:"-"`
}

// PersonioRecord is what Personio says about a record.
type PersonioRecord struct {
	Name   string  `json:"name"`   // an employee's first and last name, a position's title
	Email  *string `json:"email"`  // employees only
	Status *string `json:"status"` // employees only
	// Office is the employee's office, or the office a job's feed entry
	// names (no id); nil when none.
	Office            *Office  `json:"office"`
	AdditionalOffices []string `json:"additional_offices"` // a job's
}

// Office is a Personio office; ID is nil when unknown.
type Office struct {
	ID   *int64 `json:"id"`
	Name string `json:"name"`
}

// Mapping is a configured location that maps the record's office (for a
// job, Office may be one of its additional offices).
type Mapping struct {
	Company    string  `json:"company"`
	Location   string  `json:"location"`
	Address    string  `json:"address"` // the record's, such as employee.acme[1042]
	Office     string  `json:"office"`
	DeclaredAt *string `json:"declared_at"` // of office or office_id
	Toggle     Toggle  `json:"toggle"`
}

// Toggle is a company's effective toggle for the record's kind.
type Toggle struct {
	Kind    config.Kind `json:"kind"`
	Enabled bool        `json:"enabled"`
	// From is "company" when the company's override (on or off) decides
	// the toggle, "account" when the account default does.
	From       string          `json:"from"`
	Override   config.Override `json:"override"` // inherit when not written
	OverrideAt *string         `json:"override_at"`
	// AccountDefault is personio.sync's toggle for the kind.
	AccountDefault   bool    `json:"account_default"`
	AccountDefaultAt *string `json:"account_default_at"`
}

// StatusFilter is personio.statuses: the synced statuses, whether the
// employee's status is among them, and where they were written.
type StatusFilter struct {
	Statuses   []string `json:"statuses"`
	Synced     bool     `json:"synced"`
	DeclaredAt *string  `json:"declared_at"`
}

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
	Company  string   `json:"company"`
	TargetID int64    `json:"target_id"`
	State    RowState `json:"state"`
	Location string   `json:"location"` // its location slug, "" when none
}

// Change is what the next plan does to the record at one address.
type Change struct {
	Address string      `json:"address"`
	Action  plan.Action `json:"action"`
	Reason  string      `json:"reason"`
	Fields  []string    `json:"fields"` // those a create or update sets, sorted
}

// Explain tells one record's story. It reads the record alone from
// Personio (the employee by id, one request; a job from the feed), never
// the whole listing except to learn the names of offices that locations
// map by id when a job must be matched with them and Gridwork does not
// know them. What the next plan does is computed by the plan build itself,
// on a Source holding the record and a State holding its rows. A record
// Personio does not know is still explained (Gridwork may link it).
func (r *Runner) Explain(ctx context.Context, cfg *config.Config, opts ExplainOptions) (*Explanation, error) {
	if opts.Type != plan.TypeEmployee && opts.Type != plan.TypeJob {
		return nil, fmt.Errorf("explain: %q is not employee or job", opts.Type)
	}
	client, done, err := r.connect(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer done()

	ex := &Explanation{Type: opts.Type, ID: opts.ID, Mappings: []Mapping{}, Addresses: []string{}}
	ex.Gridwork.Read, ex.Gridwork.Rows = true, []Row{}
	ex.Plan.Errors, ex.Plan.Changes = []string{}, []Change{}
	var cur plan.State
	if opts.Store == nil {
		opts.StoreErr = cmp.Or(opts.StoreErr, errors.New("the database could not be opened"))
	} else {
		cur, opts.StoreErr = opts.Store.ReadState(ctx, Query(cfg, nil))
	}
	if opts.StoreErr != nil {
		cur = plan.State{}
		ex.Gridwork.Read, ex.Gridwork.Error, ex.Plan.AssumesNoRow = false, new(opts.StoreErr.Error()), true
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

	// The plan sees the record's rows alone; companies and locations stay.
	rows := ex.rows(cur)
	cur = plan.State{Companies: cur.Companies}
	if ex.Type == plan.TypeJob {
		cur.Jobs = rows
	} else {
		cur.Employees = rows
	}
	// Nothing is confirmed with Personio: the plan sees the record alone.
	p, diags := plan.Build(narrowConfig(cfg, ex), src, cur, plan.BuildOptions{Now: r.now()})
	adopted := map[int64]bool{} // the rows the plan adopts
	if diags.HasErrors() {
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				ex.PlanErrors = append(ex.PlanErrors, d)
				ex.Plan.Errors = append(ex.Plan.Errors, diagText(d))
			}
		}
	} else {
		key := strconv.FormatInt(ex.ID, 10)
		for _, c := range p.Changes {
			if c.Type == ex.Type && c.Key == key {
				ex.Plan.Changes = append(ex.Plan.Changes, Change{Address: c.Address, Action: c.Action, Reason: c.Reason, Fields: changedFields(c)})
				if c.Action == plan.Adopt {
					adopted[c.TargetID] = true
				}
			}
		}
	}
	if ex.Hidden != nil {
		ex.Plan.Errors = append(ex.Plan.Errors, ex.Hidden.Error())
	}
	ex.setRows(rows, adopted)
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
		if src.AttributeKeys, err = attributeKeys(ctx, client); err != nil {
			return nil, err
		}
	}
	if err := client.CheckAttributes(ctx, RequiredAttributes(cfg)); err != nil {
		if !errors.As(err, new(*personio.HiddenAttributesError)) {
			return nil, err
		}
		ex.Hidden = AttributesError(cfg, err)
	}
	if !found {
		return src, nil
	}
	se := personio.SourceEmployee(&e)
	src.AddEmployees(se)
	ex.Found = true
	ex.Personio = &PersonioRecord{Name: strings.TrimSpace(e.FirstName + " " + e.LastName),
		Email: new(e.Email), Status: new(e.Status), AdditionalOffices: []string{}}
	ex.StatusFilter = &StatusFilter{Statuses: cfg.Personio.Statuses, DeclaredAt: at(cfg.Personio.StatusesRange),
		Synced: slices.Contains(cfg.Personio.Statuses, e.Status)}
	if o := se.Office; o != nil {
		ex.Personio.Office = &Office{Name: o.Name}
		if o.ID != 0 {
			ex.Personio.Office.ID = new(o.ID)
		}
		ex.mapOffices(cfg, []string{o.Name}, map[int64]string{o.ID: o.Name})
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
	i, found := slices.BinarySearchFunc(jobs, ex.ID, func(j personio.Job, id int64) int { return cmp.Compare(j.ID, id) })
	if !found {
		return &plan.Source{}, nil
	}
	j := jobs[i]
	src := &plan.Source{Jobs: personio.SourceJobs(jobs[i : i+1])}
	ex.Found = true
	ex.Personio = &PersonioRecord{Name: j.Name, AdditionalOffices: append([]string{}, j.AdditionalOffices...)}
	if j.Office != "" {
		ex.Personio.Office = &Office{Name: j.Office}
	}

	ids, err := r.officeNames(ctx, cfg, client, cur, ex)
	if err != nil {
		return nil, err
	}
	// The job's offices as the plan would see them: by name, with the id
	// when a location maps that office by id; every id, in order, when
	// offices share the name (the whole listing would show each).
	src.CollectOffices()
	var offices []plan.Office
	sorted := slices.Sorted(maps.Keys(ids))
	for _, o := range src.Offices {
		n := len(offices)
		for _, id := range sorted {
			if ids[id] == o.Name {
				offices = append(offices, plan.Office{ID: id, Name: o.Name})
			}
		}
		if len(offices) == n {
			offices = append(offices, o)
		}
	}
	src.Offices = offices
	names := slices.DeleteFunc(append([]string{j.Office}, j.AdditionalOffices...), func(n string) bool { return n == "" })
	ex.mapOffices(cfg, names, ids)
	return src, nil
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
	for _, c := range cfg.Companies {
		for _, loc := range c.Locations {
			if _, ok := ids[loc.OfficeID]; loc.OfficeID == 0 || ok {
				continue
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
	}
	return ids, nil
}

// mapOffices sets ex.Mappings: the locations mapping one of the record's
// offices, by name or, through ids, by office_id. An employee has one
// office and every location mapping it counts; a job takes, per company,
// the first of its offices that one of its locations maps (desired jobs
// go by the same rule).
func (ex *Explanation) mapOffices(cfg *config.Config, names []string, ids map[int64]string) {
	k, def := config.Employees, cfg.Personio.Sync.Employees
	if ex.Type == plan.TypeJob {
		k, def = config.Jobs, cfg.Personio.Sync.Jobs
	}
	for ci := range cfg.Companies {
		c := &cfg.Companies[ci]
		override, overrideAt := c.Sync.Of(k)
		m := Mapping{Company: c.Slug, Address: ex.address(c.Slug), Toggle: Toggle{Kind: k, Enabled: c.Enabled(k), From: "account",
			Override: cmp.Or(override, config.Inherit), OverrideAt: at(overrideAt), AccountDefault: def, AccountDefaultAt: at(cfg.Personio.Sync.Range(k))}}
		if override == config.On || override == config.Off {
			m.Toggle.From = "company"
		}
	names:
		for _, name := range names {
			for _, loc := range c.Locations {
				if id, ok := ids[loc.OfficeID]; (loc.Office != "" && loc.Office == name) || (loc.OfficeID != 0 && ok && id == name) {
					m.Location, m.Office, m.DeclaredAt = loc.Slug, name, at(loc.OfficeRange)
					ex.Mappings = append(ex.Mappings, m)
					if ex.Type == plan.TypeJob {
						break names
					}
				}
			}
		}
	}
}

// address is the record's plan address in company, such as
// employee.acme[1042].
func (ex *Explanation) address(company string) string {
	return fmt.Sprintf("%s.%s[%d]", ex.Type, company, ex.ID)
}

// narrowConfig returns cfg with only the office mappings of ex's
// locations: every other location is left unmapped, so that the plan,
// which sees no other office, does not report theirs as unknown. What the
// plan does with the record depends on its own mapping alone.
func narrowConfig(cfg *config.Config, ex *Explanation) *config.Config {
	out := *cfg
	out.Companies = make([]config.Company, len(cfg.Companies))
	for i, c := range cfg.Companies {
		c.Locations = slices.Clone(c.Locations)
		for j, loc := range c.Locations {
			if !slices.ContainsFunc(ex.Mappings, func(m Mapping) bool { return m.Company == c.Slug && m.Location == loc.Slug }) {
				c.Locations[j].Office, c.Locations[j].OfficeID = "", 0
			}
		}
		out.Companies[i] = c
	}
	return &out
}

// rows returns the rows of cur the record concerns: the rows linked to it
// and, for an employee, the unlinked employees with its email (the
// candidates for adoption).
func (ex *Explanation) rows(cur plan.State) []plan.Record {
	key, email := strconv.FormatInt(ex.ID, 10), ""
	if ex.Personio != nil && ex.Personio.Email != nil {
		email = strings.ToLower(strings.TrimSpace(*ex.Personio.Email))
	}
	rows := cur.Employees
	if ex.Type == plan.TypeJob {
		rows = cur.Jobs
	}
	var out []plan.Record
	for _, r := range rows {
		if r.Linked && r.ExternalID == key || !r.Linked && email != "" && strings.ToLower(strings.TrimSpace(r.Attrs.Get(plan.FieldEmail))) == email {
			out = append(out, r)
		}
	}
	return out
}

// setRows sets the record's rows, knowing those the next plan adopts,
// and then its addresses.
func (ex *Explanation) setRows(rows []plan.Record, adopted map[int64]bool) {
	for _, r := range rows {
		row := Row{Company: r.Company, TargetID: r.TargetID, Location: r.Attrs.Get(plan.FieldLocation), State: RowUnlinked}
		if r.Linked {
			row.State = RowLinked
		} else if adopted[r.TargetID] {
			row.State = RowAdoptable
		}
		ex.Gridwork.Rows = append(ex.Gridwork.Rows, row)
	}
	add := func(a string) {
		if !slices.Contains(ex.Addresses, a) {
			ex.Addresses = append(ex.Addresses, a)
		}
	}
	for _, m := range ex.Mappings {
		add(m.Address)
	}
	for _, c := range ex.Plan.Changes {
		add(c.Address)
	}
	for _, r := range ex.Gridwork.Rows {
		if r.State == RowLinked {
			add(ex.address(r.Company))
		}
	}
}

// changedFields are the synced fields a create or update sets: those
// whose value differs from before (all of them for a create), sorted;
// none for an unlink or a destroy.
func changedFields(c plan.Change) []string {
	out := []string{}
	if c.Action == plan.Unlink || c.Action == plan.Delete {
		return out
	}
	for k, v := range c.After.All() {
		if c.Before.Get(k) != v {
			out = append(out, k)
		}
	}
	for k := range c.Before.All() {
		if !c.After.Has(k) && !c.After.IsNone() {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// at is a position as "file:line", nil for the zero Range (a default).
func at(r hcl.Range) *string {
	if r == (hcl.Range{}) {
		return nil
	}
	return new(fmt.Sprintf("%s:%d", r.Filename, r.Start.Line))
}

// diagText is a diagnostic in one line: position, summary, detail.
func diagText(d *hcl.Diagnostic) string {
	s := d.Summary
	if d.Detail != "" {
		s += ": " + d.Detail
	}
	if d.Subject != nil {
		s = fmt.Sprintf("%s:%d: %s", d.Subject.Filename, d.Subject.Start.Line, s)
	}
	return s
}
