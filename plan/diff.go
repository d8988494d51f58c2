package plan

import (
	"cmp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// DiffOptions tune Diff.
type DiffOptions struct {
	// AllCompanies is true when no -company filter was given; only then are
	// records of companies that left the configuration unlinked.
	AllCompanies bool
	// Now stamps the plan (the engine reads no clock).
	Now time.Time
}

// Diff compares the desired state with the target's current state and
// returns the plan that makes the target match. It never fails: every
// difference becomes a Change, and answers that look wrong become
// Plan.Suspicious for the deletion guard.
func Diff(d *DesiredState, cur State, opts DiffOptions) *Plan {
	p := &Plan{
		AllCompanies:    opts.AllCompanies,
		CreatedAt:       opts.Now.UTC(),
		Warnings:        append([]string(nil), d.Warnings...),
		JobsUnavailable: d.JobsUnavailable,
	}
	curCompanies := make(map[string]*CompanyState, len(cur.Companies))
	for i := range cur.Companies {
		curCompanies[cur.Companies[i].Slug] = &cur.Companies[i]
	}
	groups := map[Type]map[string]*companyRecords{TypeEmployee: groupRecords(cur.Employees), TypeJob: groupRecords(cur.Jobs)}
	// The changes go into one slice, kind after kind, each kind sorted in
	// place: companies, locations, employees, jobs.
	var chs []Change
	for i := range d.Companies {
		dc := &d.Companies[i]
		p.Scope = append(p.Scope, Scope{Company: dc.Slug, Employees: dc.SyncEmployees, Jobs: dc.SyncJobs})
		ch := Change{Address: "company." + dc.Slug, Type: TypeCompany, Company: dc.Slug, Key: dc.Slug, After: NewAttrs(FieldName, dc.Name)}
		switch cs := curCompanies[dc.Slug]; {
		case cs == nil:
			ch.Action = Create
		case cs.Name != dc.Name:
			ch.Action, ch.Before = Update, NewAttrs(FieldName, cs.Name)
		default:
			continue
		}
		chs = append(chs, ch)
	}
	locStart := len(chs)
	for i := range d.Companies {
		chs = appendLocationChanges(chs, &d.Companies[i], curCompanies[d.Companies[i].Slug])
	}
	for i := range cur.Companies {
		if cs := &cur.Companies[i]; opts.AllCompanies && !slices.Contains(d.Configured, cs.Slug) {
			for j := range cs.Locations {
				chs = appendClearMapping(chs, cs.Slug, &cs.Locations[j], "company "+cs.Slug+" left the configuration")
			}
		}
	}
	slices.SortStableFunc(chs[locStart:], func(a, b Change) int {
		return cmp.Or(cmp.Compare(a.Company, b.Company), cmp.Compare(a.Key, b.Key))
	})
	chs = slices.Grow(chs, countChanges(d, groups, opts.AllCompanies))
	for _, typ := range d.kinds() {
		start := len(chs)
		for i := range d.Companies {
			if dc := &d.Companies[i]; dc.syncs(typ) {
				chs = diffRecords(chs, typ, dc, groups[typ][dc.Slug], d.personio[typ])
			}
		}
		if opts.AllCompanies {
			chs = appendLeftCompanies(chs, typ, groups[typ], d.Configured)
		}
		sortChanges(chs[start:])
	}

	if chs == nil {
		chs = []Change{} // a plan always has a (possibly empty) list
	}
	p.Changes = slices.Clip(chs)
	p.Summary = summarize(p.Changes)
	p.Suspicious = suspicious(d, groups, curCompanies)
	p.absent = deletedEmployees(p.Changes, func(id int64) bool {
		_, listed := d.personio[TypeEmployee](id)
		return !listed
	})
	p.Digests = Digests{Personio: digestDesired(d), Target: DigestState(cur)}
	return p
}

// countChanges is how many employee and job changes Diff makes.
func countChanges(d *DesiredState, groups map[Type]map[string]*companyRecords, all bool) int {
	n := 0
	for _, typ := range d.kinds() {
		for i := range d.Companies {
			if dc := &d.Companies[i]; dc.syncs(typ) {
				n += recordChanges(typ, dc.records(typ), groups[typ][dc.Slug])
			}
		}
		for company, g := range groups[typ] {
			if all && !slices.Contains(d.Configured, company) {
				n += len(g.order)
			}
		}
	}
	return n
}

// companyRecords are one company's current rows of one kind.
type companyRecords struct {
	order []*Record // linked rows in State order, each external id once
	// linked finds a linked row by Personio id: its index in order. A row
	// whose external id is no Personio id is in order only (nothing
	// Personio sends matches it).
	linked map[int64]int
	// unlinked are adoption candidates by lower-cased email, lowest target
	// id first.
	unlinked map[string][]*Record
}

func groupRecords(recs []Record) map[string]*companyRecords {
	out := map[string]*companyRecords{}
	odd := map[[2]string]bool{} // company and external id of the rows in order whose external id is no Personio id
	for i := range recs {
		r := &recs[i]
		g := out[r.Company]
		if g == nil {
			g = &companyRecords{linked: map[int64]int{}, unlinked: map[string][]*Record{}}
			out[r.Company] = g
		}
		if r.Linked {
			id, err := strconv.ParseInt(r.ExternalID, 10, 64)
			_, dup := g.linked[id]
			switch key := [2]string{r.Company, r.ExternalID}; {
			case err == nil && !dup:
				g.linked[id] = len(g.order)
				g.order = append(g.order, r)
			case err != nil && !odd[key]:
				odd[key] = true
				g.order = append(g.order, r)
			}
			continue
		}
		if email := strings.ToLower(strings.TrimSpace(r.Attrs.Get(FieldEmail))); email != "" {
			g.unlinked[email] = append(g.unlinked[email], r)
		}
	}
	for _, g := range out {
		for _, c := range g.unlinked {
			sort.Slice(c, func(i, j int) bool { return c[i].TargetID < c[j].TargetID })
		}
	}
	return out
}

// appendLocationChanges creates or updates the declared locations. A
// location that is no longer declared is never deleted, but a stale office
// mapping on it is cleared: the configuration is the only source of
// mappings, and the Gridwork UI must not show one that no longer syncs.
// Diff sorts the changes.
func appendLocationChanges(out []Change, dc *DesiredCompany, cs *CompanyState) []Change {
	curLocs := locationsOf(cs)
	for _, dl := range dc.Locations {
		ch := Change{Address: "location." + dc.Slug + "." + dl.Slug, Type: TypeLocation, Company: dc.Slug, Key: dl.Slug, After: dl.Attrs()}
		cl := curLocs[dl.Slug]
		delete(curLocs, dl.Slug)
		switch {
		case cl == nil:
			ch.Action = Create
		case cl.Name != dl.Name || cl.OfficeID != dl.OfficeID || cl.OfficeName != dl.OfficeName:
			ch.Action, ch.Before = Update, locationAttrs(cl)
			if cl.OfficeID != dl.OfficeID || cl.OfficeName != dl.OfficeName {
				ch.Reason = officeReason(ch.Before, ch.After)
			}
		default:
			continue
		}
		out = append(out, ch)
	}
	if cs != nil {
		for i := range cs.Locations {
			if cl := &cs.Locations[i]; curLocs[cl.Slug] != nil {
				out = appendClearMapping(out, dc.Slug, cl, "location is no longer in the configuration: its office mapping is cleared")
			}
		}
	}
	return out
}

// appendClearMapping clears the office mapping of cl, if it has one. The
// location itself stays; gridsync never deletes companies or locations.
func appendClearMapping(out []Change, company string, cl *LocationState, reason string) []Change {
	if cl.OfficeID == 0 && cl.OfficeName == "" {
		return out
	}
	return append(out, Change{
		Address: "location." + company + "." + cl.Slug, Type: TypeLocation, Company: company, Key: cl.Slug,
		Action: Update, Before: locationAttrs(cl), After: NewAttrs(FieldName, cl.Name), Reason: reason,
	})
}

func locationAttrs(cl *LocationState) Attrs {
	return DesiredLocation{Name: cl.Name, OfficeID: cl.OfficeID, OfficeName: cl.OfficeName}.Attrs()
}

func officeReason(before, after Attrs) string {
	switch {
	case after.Get(FieldOfficeName) == "":
		return "office " + before.Get(FieldOfficeName) + " is unmapped"
	case before.Get(FieldOfficeName) == "":
		return "office " + after.Get(FieldOfficeName) + " is mapped"
	case before.Get(FieldOfficeID) != "" && before.Get(FieldOfficeID) == after.Get(FieldOfficeID):
		// The same office under a new name: Personio renamed it, the
		// mapping itself stays.
		return "office " + after.Get(FieldOfficeID) + " was renamed in Personio from " + before.Get(FieldOfficeName) + " to " + after.Get(FieldOfficeName)
	default:
		return "office mapping changes from " + before.Get(FieldOfficeName) + " to " + after.Get(FieldOfficeName)
	}
}

// diffRecords diffs one company's records of one kind. sources are every
// Personio record of the kind, to tell why a linked row is not desired.
func diffRecords(out []Change, typ Type, dc *DesiredCompany, g *companyRecords, sources sources) []Change {
	want := dc.records(typ)
	if g == nil {
		g = &companyRecords{}
	}
	fields := typeFields[typ]
	on := setOf(fields)
	seen := make([]bool, len(g.order))
	var v attrValues
	for k := range want {
		w := &want[k]
		w.values(&v)
		i, linked := g.linked[w.ID]
		if linked {
			seen[i] = true
			if g.order[i].Attrs.equalValues(&v, on) {
				continue
			}
		}
		key := strconv.FormatInt(w.ID, 10)
		ch := Change{Address: address(typ, dc.Slug, key), Type: typ, Company: dc.Slug, Key: key, Action: Create, After: v.attrs()}
		var r *Record // the row updated or adopted
		if linked {
			r, ch.Action = g.order[i], Update
		} else if typ == TypeEmployee {
			if r = g.adopt(v[idxEmail]); r != nil {
				ch.Action, ch.Reason = Adopt, "an unlinked Gridwork employee has the email "+r.Attrs.Get(FieldEmail)
			}
		}
		if r != nil {
			ch.TargetID, ch.Before = r.TargetID, restrict(r.Attrs, fields)
		}
		out = append(out, ch)
	}
	for i, r := range g.order {
		if !seen[i] {
			action, reason := gone(typ, dc.Slug, r.ExternalID, sources)
			out = append(out, rowChange(typ, dc.Slug, r, action, reason))
		}
	}
	return out
}

// rowChange is the change that unlinks or deletes the linked row r.
func rowChange(typ Type, company string, r *Record, action Action, reason string) Change {
	return Change{
		Address: address(typ, company, r.ExternalID), Type: typ, Company: company, Key: r.ExternalID,
		Action: action, TargetID: r.TargetID, Before: restrict(r.Attrs, typeFields[typ]), Reason: reason,
	}
}

// recordChanges counts the changes diffRecords makes of want against g,
// so that the plan's changes are allocated once, at their size: growing a
// slice of 100,000 changes by appending allocates it several times over.
func recordChanges(typ Type, want []DesiredRecord, g *companyRecords) int {
	if g == nil {
		return len(want)
	}
	on := setOf(typeFields[typ])
	n, matched := 0, 0
	var v attrValues
	for k := range want {
		w := &want[k]
		if i, ok := g.linked[w.ID]; ok {
			matched++
			if w.values(&v); g.order[i].Attrs.equalValues(&v, on) {
				continue
			}
		}
		n++
	}
	return n + len(g.order) - matched
}

// deletedEmployees returns the Personio ids of the employees chs delete
// for which keep holds, sorted, each once.
func deletedEmployees(chs []Change, keep func(id int64) bool) []int64 {
	var ids []int64
	for i := range chs {
		if c := &chs[i]; c.Type == TypeEmployee && c.Action == Delete {
			if id, err := strconv.ParseInt(c.Key, 10, 64); err == nil && keep(id) {
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// adopt takes the first unlinked candidate with the email, at most once.
func (g *companyRecords) adopt(email string) *Record {
	email = strings.ToLower(strings.TrimSpace(email))
	c := g.unlinked[email] // holds no empty email
	if len(c) == 0 {
		return nil
	}
	g.unlinked[email] = c[1:]
	return c[0]
}

// gone decides what happens to a linked row that is not desired: its
// Personio source disappeared or was filtered out (delete), or it still
// exists outside this company's mapped offices (unlink).
func gone(typ Type, company, externalID string, sources sources) (Action, string) {
	id, err := strconv.ParseInt(externalID, 10, 64)
	s, ok := sources(id)
	if err != nil || !ok {
		if typ == TypeJob {
			return Delete, "no longer published"
		}
		return Delete, "no longer in Personio"
	}
	if !s.synced {
		return Delete, "status " + cmp.Or(s.status, "(none)") + " is not synced"
	}
	if s.office == "" {
		return Unlink, "no office in Personio"
	}
	return Unlink, "office " + s.office + " is not mapped to a location of " + company
}

// appendLeftCompanies unlinks the linked rows of companies that are no
// longer configured.
func appendLeftCompanies(out []Change, typ Type, groups map[string]*companyRecords, configured []string) []Change {
	for company, g := range groups {
		if slices.Contains(configured, company) {
			continue
		}
		for _, r := range g.order {
			out = append(out, rowChange(typ, company, r, Unlink, "company "+company+" is no longer in the configuration"))
		}
	}
	return out
}

func address(typ Type, company, key string) string {
	return string(typ) + "." + company + "[" + key + "]"
}

// typeFields are the synced fields of each type in display order; none
// for a type it does not know.
var typeFields = map[Type][]string{
	TypeCompany:  {FieldName},
	TypeLocation: {FieldName, FieldOfficeID, FieldOfficeName},
	TypeEmployee: employeeFields,
	TypeJob:      jobFields,
}

// restrict returns the synced fields of a: never none, so that a change's
// Before reads {} rather than null when the row had no value at all.
func restrict(a Attrs, fields []string) Attrs {
	r := a.Only(fields)
	if r.IsNone() {
		return noAttrs
	}
	return r
}

// sortChanges orders records by company, then numeric id (non-numeric ids
// after numeric ones, by text), then target id. It sorts in place: a plan
// of 100,000 changes is not copied to be sorted.
func sortChanges(chs []Change) {
	keys := make([]changeKey, len(chs))
	for i := range chs {
		n, err := strconv.ParseInt(chs[i].Key, 10, 64)
		keys[i] = changeKey{n, err == nil}
	}
	sort.Sort(changeOrder{chs, keys})
}

// changeKey is a change's key parsed as a Personio id, when it is one.
type changeKey struct {
	num int64
	ok  bool
}

// changeOrder sorts changes together with their parsed keys.
type changeOrder struct {
	chs  []Change
	keys []changeKey
}

func (o changeOrder) Len() int { return len(o.chs) }

func (o changeOrder) Swap(i, j int) {
	o.chs[i], o.chs[j] = o.chs[j], o.chs[i]
	o.keys[i], o.keys[j] = o.keys[j], o.keys[i]
}

func (o changeOrder) Less(i, j int) bool {
	a, b := &o.chs[i], &o.chs[j]
	ka, kb := o.keys[i], o.keys[j]
	switch {
	case a.Company != b.Company:
		return a.Company < b.Company
	case ka.ok != kb.ok:
		return ka.ok
	case ka.ok && ka.num != kb.num:
		return ka.num < kb.num
	case !ka.ok && a.Key != b.Key:
		return a.Key < b.Key
	}
	return a.TargetID < b.TargetID
}

func summarize(chs []Change) Summary {
	var s Summary
	for _, c := range chs {
		s.count(c.Action)
	}
	return s
}
