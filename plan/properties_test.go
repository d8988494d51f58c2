package plan

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/gridwork/gridsync/config"
)

// worldOffices are the offices of random worlds; two share a name, so
// that mappings by name and by id both occur.
var worldOffices = []Office{{1, "Berlin"}, {2, "Hamburg"}, {3, "Munich"}, {4, "Oslo"}, {5, "Berlin"}}

// randomWorld is a configuration of one to three companies mapping random
// offices (each once), a Personio answer with employees of every status in
// random offices (some without one, some without a position) and positions
// with additional offices, the feed unavailable now and then, and a target
// holding linked and unlinked rows of configured companies and of one that
// left, most of them out of date.
func randomWorld(r *rand.Rand) (*config.Config, *Source, State) {
	cfg := baseConfig()
	cfg.Companies = nil
	slugs := []string{"acme", "globex", "initech"}
	used := map[int64]bool{}
	for _, slug := range slugs[:1+r.IntN(3)] {
		c := config.Company{Slug: slug, Name: "Co " + slug, SyncEmployees: r.IntN(4) > 0, SyncJobs: r.IntN(3) > 0}
		for li := range 3 {
			loc := config.Location{Slug: fmt.Sprintf("l%d", li), Name: fmt.Sprintf("Loc %d", li), OfficeRange: rng(slug+".hcl", li+1, 1)}
			o := worldOffices[r.IntN(len(worldOffices))]
			if !used[o.ID] && r.IntN(3) > 0 {
				used[o.ID] = true
				if o.ID == 1 || o.ID == 5 || r.IntN(2) == 0 {
					loc.OfficeID = o.ID
				} else {
					loc.Office = o.Name
				}
			}
			c.Locations = append(c.Locations, loc)
		}
		cfg.Companies = append(cfg.Companies, c)
	}
	src := &Source{}
	statuses := []string{"active", "onboarding", "leave", "inactive"}
	for id := int64(1); id <= 40; id++ {
		if r.IntN(5) == 0 {
			continue
		}
		var off *Office
		if r.IntN(8) > 0 {
			o := worldOffices[r.IntN(len(worldOffices))]
			off = &o
		}
		e := emp(id, "F"+strconv.Itoa(r.IntN(3)), "L", fmt.Sprintf("e%d@x.test", r.IntN(30)), statuses[r.IntN(4)], off)
		if r.IntN(3) == 0 {
			e.Position = ""
		}
		src.Employees = append(src.Employees, e)
	}
	for id := int64(100); id < 115; id++ {
		if r.IntN(4) == 0 {
			continue
		}
		j := job(id, "J"+strconv.Itoa(r.IntN(3)), worldOffices[r.IntN(4)].Name)
		if r.IntN(3) == 0 {
			j.AdditionalOffices = []string{worldOffices[r.IntN(4)].Name}
		}
		src.Jobs = append(src.Jobs, j)
	}
	if r.IntN(5) == 0 {
		src.Jobs = nil
		src.JobsUnavailable = "x answered 404"
	}
	src.CollectOffices()
	// The target: rows in any company, linked or not.
	var st State
	tid := int64(1)
	for _, slug := range slugs {
		if r.IntN(2) == 0 {
			continue
		}
		cs := CompanyState{Slug: slug, Name: "Old " + slug}
		for li := range 2 {
			ls := LocationState{Slug: fmt.Sprintf("l%d", li), Name: "x"}
			if r.IntN(2) == 0 {
				o := worldOffices[r.IntN(len(worldOffices))]
				ls.OfficeID, ls.OfficeName = o.ID, o.Name
			}
			cs.Locations = append(cs.Locations, ls)
		}
		st.Companies = append(st.Companies, cs)
		for id := int64(1); id <= 45; id++ {
			if r.IntN(4) != 0 {
				continue
			}
			linked := r.IntN(3) > 0
			a := NewAttrs(FieldFirstName, "F"+strconv.Itoa(r.IntN(3)), FieldLastName, "L", FieldEmail, fmt.Sprintf("E%d@x.test", r.IntN(30)), FieldPosition, "Engineer", FieldLocation, fmt.Sprintf("l%d", r.IntN(3)))
			rec := Record{Type: TypeEmployee, Company: slug, TargetID: tid, Linked: linked, Attrs: a}
			if linked {
				rec.ExternalID = strconv.FormatInt(id, 10)
			}
			tid++
			st.Employees = append(st.Employees, rec)
		}
		for id := int64(98); id < 116; id++ {
			if r.IntN(4) != 0 {
				continue
			}
			st.Jobs = append(st.Jobs, Record{Type: TypeJob, Company: slug, ExternalID: strconv.FormatInt(id, 10), TargetID: tid, Linked: true, Attrs: NewAttrs(FieldTitle, "J")})
			tid++
		}
	}
	return cfg, src, st
}

// applyTo returns st with p's changes made, as the store makes them.
func applyTo(st State, p *Plan) State {
	var out State
	comps := map[string]*CompanyState{}
	for _, c := range st.Companies {
		c2 := c
		c2.Locations = slices.Clone(c.Locations)
		out.Companies = append(out.Companies, c2)
	}
	idx := func() {
		clear(comps)
		for i := range out.Companies {
			comps[out.Companies[i].Slug] = &out.Companies[i]
		}
	}
	idx()
	recs := map[Type][]Record{TypeEmployee: slices.Clone(st.Employees), TypeJob: slices.Clone(st.Jobs)}
	next := int64(100000)
	for _, c := range p.Changes {
		switch c.Type {
		case TypeCompany:
			if c.Action == Create {
				out.Companies = append(out.Companies, CompanyState{Slug: c.Company, Name: c.After.Get(FieldName)})
				idx()
			} else {
				comps[c.Company].Name = c.After.Get(FieldName)
			}
		case TypeLocation:
			cs := comps[c.Company]
			id, _ := strconv.ParseInt(c.After.Get(FieldOfficeID), 10, 64)
			ls := LocationState{Slug: c.Key, Name: c.After.Get(FieldName), OfficeID: id, OfficeName: c.After.Get(FieldOfficeName)}
			if c.Action == Create {
				cs.Locations = append(cs.Locations, ls)
			} else {
				for i := range cs.Locations {
					if cs.Locations[i].Slug == c.Key {
						cs.Locations[i] = ls
					}
				}
			}
		default:
			rs := recs[c.Type]
			switch c.Action {
			case Create:
				rs = append(rs, Record{Type: c.Type, Company: c.Company, ExternalID: c.Key, TargetID: next, Linked: true, Attrs: c.After})
				next++
			case Update, Adopt:
				for i := range rs {
					if rs[i].TargetID == c.TargetID {
						rs[i].Attrs, rs[i].Linked, rs[i].ExternalID = c.After, true, c.Key
					}
				}
			case Unlink:
				for i := range rs {
					if rs[i].TargetID == c.TargetID {
						rs[i].Linked, rs[i].ExternalID = false, ""
					}
				}
			case Delete:
				rs = slices.DeleteFunc(rs, func(r Record) bool { return r.TargetID == c.TargetID })
			}
			recs[c.Type] = rs
		}
	}
	out.Employees, out.Jobs = recs[TypeEmployee], recs[TypeJob]
	return out
}

// TestPlanProperties checks, over random worlds, what every plan must
// hold: changes only within the -company filter and no job change while
// the feed is unavailable; the changes counted before they are allocated
// are the changes made; the guard refuses a plan as a whole exactly when
// it refuses some company, and what it leaves of a plan passes; and a plan
// applied leaves nothing to plan.
func TestPlanProperties(t *testing.T) {
	for seed := range uint64(400) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) { checkWorld(t, rand.New(rand.NewPCG(seed, 7))) })
	}
}

// checkWorld plans a random world and checks what TestPlanProperties says.
func checkWorld(t *testing.T, r *rand.Rand) {
	cfg, src, st := randomWorld(r)
	var filter []string
	if r.IntN(4) == 0 {
		filter = []string{cfg.Companies[0].Slug}
	}
	p, diags := Build(cfg, src, st, BuildOptions{Companies: filter})
	if diags.HasErrors() {
		return
	}
	for _, c := range p.Changes {
		if filter != nil && c.Company != filter[0] {
			t.Errorf("a change outside the -company filter: %s", c.Address)
		}
		if c.Type == TypeJob && src.JobsUnavailable != "" {
			t.Errorf("a job change while the feed is unavailable: %s", c.Address)
		}
	}
	checkCounted(t, cfg, src, st, filter, p)
	for _, opts := range []GuardOptions{{}, {MaxShare: 0.01, MinAllowed: 1}} {
		err := p.CheckMassDelete(st, opts)
		refs := p.Refusals(st, opts)
		if (err == nil) != (len(refs) == 0) {
			t.Errorf("CheckMassDelete says %v, Refusals %+v", err, refs)
		}
		var cs []string
		for _, rf := range refs {
			cs = append(cs, rf.Company)
		}
		if q := p.Without(cs); q.CheckMassDelete(st, opts) != nil {
			t.Errorf("without the refused companies, still refused: %v", q.CheckMassDelete(st, opts))
		}
	}
	st2 := applyTo(st, p)
	p2, diags := Build(cfg, src, st2, BuildOptions{Companies: filter})
	if diags.HasErrors() {
		t.Fatalf("second build: %s", diags.Error())
	}
	if len(p2.Changes) != 0 {
		t.Errorf("after applying\n  %q\nthe plan is still\n  %q", changeLines(p), changeLines(p2))
	}
}
