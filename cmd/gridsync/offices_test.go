package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/personio/personiosim"
	"github.com/gridwork/gridsync/schema"
)

// officesDoc is `gridsync offices -json` as a test reads it.
type officesDoc struct {
	FormatVersion string       `json:"format_version"`
	Offices       []officesRow `json:"offices"`
}

type officesRow struct {
	ID        *int64         `json:"id"`
	Name      string         `json:"name"`
	Employees map[string]int `json:"employees"`
	OpenJobs  *int           `json:"open_jobs"`
	Locations []string       `json:"locations"`
}

// wantOffices computes, independently of the engine, what offices -json
// must list for the simulator's data and the e2e configuration: employee
// counts by status per office id, positions per office name (office or
// additional office, each position once), an office only the feed names
// without id, and the locations of e2eCompanies.
func wantOffices(sim *personiosim.Server, feed bool) []officesRow {
	names := map[int64]string{}
	for _, o := range sim.Dataset().Offices {
		names[o.ID] = o.Name
	}
	byName := map[string]*officesRow{}
	counts := func(name string, id *int64) *officesRow {
		r := byName[name]
		if r == nil {
			r = &officesRow{ID: id, Name: name, Employees: map[string]int{"active": 0, "onboarding": 0, "leave": 0, "inactive": 0}, Locations: []string{}}
			byName[name] = r
		}
		return r
	}
	for _, e := range sim.Employees() {
		if e.OfficeID == 0 {
			continue
		}
		id := e.OfficeID
		counts(names[id], &id).Employees[e.Status]++
	}
	if feed {
		for _, j := range sim.Jobs() {
			seen := map[string]bool{}
			for _, n := range append([]string{j.Office}, j.AdditionalOffices...) {
				if n == "" || seen[n] {
					continue
				}
				seen[n] = true
				r := counts(n, nil)
				if r.OpenJobs == nil {
					r.OpenJobs = new(int)
				}
				*r.OpenJobs++
			}
		}
		for _, r := range byName {
			if r.OpenJobs == nil {
				r.OpenJobs = new(int)
			}
		}
	}
	locations := map[string][]string{
		"Berlin":  {"location.acme.berlin-hq"},
		"Munich":  {"location.acme.munich"},
		"Hamburg": {"location.globex.hamburg"},
	}
	var out []officesRow
	for name, r := range byName {
		if l, ok := locations[name]; ok {
			r.Locations = l
		}
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b officesRow) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func officesSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.OfficesSchema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(schema.OfficesSchemaURL, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(schema.OfficesSchemaURL)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// officesJSON runs offices -json, validates it against the schema and
// decodes it.
func (h *e2e) officesJSON(sch *jsonschema.Schema) (officesDoc, string) {
	h.t.Helper()
	out, errOut := h.mustGS(0, "offices", "-json")
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		h.t.Fatalf("offices -json is not JSON: %v\n%s", err, out)
	}
	if err := sch.Validate(inst); err != nil {
		h.t.Errorf("offices -json does not match schema/offices.schema.json:\n%v\n%s", err, out)
	}
	var doc officesDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		h.t.Fatal(err)
	}
	return doc, errOut
}

// TestOffices lists the simulator's offices: counts per office equal the
// simulator's data, mapped offices name their locations, unmapped ones
// have none, and the office only the job feed names has no id.
func TestOffices(t *testing.T) {
	h := newE2E(t, e2eOptions{Employees: 300, Jobs: 25, NoMigrate: true})
	sch := officesSchema(t)
	doc, errOut := h.officesJSON(sch)
	if doc.FormatVersion != "1" {
		t.Errorf("format_version %q, want 1", doc.FormatVersion)
	}
	want := wantOffices(h.sim, true)
	if d := cmp.Diff(want, doc.Offices); d != "" {
		t.Errorf("offices -json (-want +got):\n%s", d)
	}
	feedOnly := 0
	for _, o := range doc.Offices {
		if o.ID == nil {
			feedOnly++
			if o.Name != "Zurich" || len(o.Locations) != 0 || *o.OpenJobs == 0 {
				t.Errorf("the office only the feed names: %+v", o)
			}
		}
	}
	if feedOnly != 1 {
		t.Errorf("%d offices without id, want 1 (Zurich, named only by the job feed)", feedOnly)
	}
	if errOut != "" {
		t.Errorf("stderr: %s", errOut)
	}

	out, _ := h.mustGS(0, "offices")
	lines := strings.Split(out, "\n")
	header := lines[0]
	for _, col := range []string{"ID", "OFFICE", "ACTIVE", "ONBOARDING", "ON LEAVE", "INACTIVE", "OPEN JOBS", "LOCATIONS"} {
		if !strings.Contains(header, col) {
			t.Errorf("the header lacks %s: %q", col, header)
		}
	}
	locCol := strings.Index(header, "LOCATIONS")
	rows := map[string]string{}
	for _, l := range lines[1 : 1+len(want)] {
		if len([]rune(l)) <= locCol {
			t.Fatalf("row shorter than the header: %q", l)
		}
		// Columns are aligned: every row's locations start under the header.
		locs := string([]rune(l)[locCol:])
		fields := strings.Fields(l)
		rows[fields[1]] = locs
		if fields[1] == "Zurich" && fields[0] != "?" {
			t.Errorf("Zurich has id %q, want ? (named only by the feed)", fields[0])
		}
	}
	for name, wantLocs := range map[string]string{
		"Berlin": "location.acme.berlin-hq", "Munich": "location.acme.munich", "Hamburg": "location.globex.hamburg",
		"Vienna": "(unmapped)", "Zurich": "(unmapped)",
	} {
		if rows[name] != wantLocs {
			t.Errorf("%s: locations column %q, want %q\n%s", name, rows[name], wantLocs, out)
		}
	}
	for _, s := range []string{"5 offices: 3 mapped, 2 unmapped. 300 employees", "gridsync offices -chdir " + h.dir + " -hcl SLUG > SLUG.hcl"} {
		if !strings.Contains(out, s) {
			t.Errorf("the text output lacks %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour codes in output that is not a terminal")
	}
}

// TestOfficesFeedMissing: without a job feed the offices come from the
// employees alone, open_jobs is null, and stderr says why.
func TestOfficesFeedMissing(t *testing.T) {
	h := newE2E(t, e2eOptions{NoMigrate: true})
	h.sim.SetFaults(personiosim.Faults{FeedMissing: true})
	doc, errOut := h.officesJSON(officesSchema(t))
	if d := cmp.Diff(wantOffices(h.sim, false), doc.Offices); d != "" {
		t.Errorf("offices -json without a feed (-want +got):\n%s", d)
	}
	if !strings.Contains(errOut, "Warning: the job feed could not be read: "+h.url+"/xml?language=en answered 404") {
		t.Errorf("stderr does not say the feed could not be read:\n%s", errOut)
	}
	out, _ := h.mustGS(0, "offices")
	if strings.Contains(out, "open position") {
		t.Errorf("the summary counts positions of a feed it could not read:\n%s", out)
	}
}

// TestOfficesWarnsAboutMappings: offices says which mappings the next plan
// stops at, with the closest offices, and still lists.
func TestOfficesWarnsAboutMappings(t *testing.T) {
	w := newWorld(t, strings.Replace(e2eCompanies, `office = "Munich"`, `office = "Munchen"`, 1))
	out, errOut := w.mustRun(0, "offices")
	for _, want := range []string{"Warning: Unknown Personio office \"Munchen\"", `closest first: "Munich" (id 1002)`, "plan stops at this until it is fixed"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if !strings.Contains(out, "Munich") {
		t.Errorf("Munich is not listed:\n%s", out)
	}
}

// TestOfficesHCL: -hcl prints a company block for the unmapped offices
// that is fmt-clean and, added to the configuration as a file, validates
// and plans.
func TestOfficesHCL(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	out, errOut := h.mustGS(0, "offices", "-hcl", "newco")
	for _, want := range []string{
		`company "newco" {`,
		`location "vienna" {`, `office = "Vienna"`,
		`location "zurich" {`, `office = "Zurich"`,
		"# named only by the job feed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the block lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Berlin") || strings.Contains(out, "1003") {
		t.Errorf("the block maps an office a company maps already:\n%s", out)
	}
	if !strings.Contains(errOut, "Save the block as newco.hcl") {
		t.Errorf("stderr does not say what to do with the block:\n%s", errOut)
	}
	formatted, diags := config.Format([]byte(out), "newco.hcl")
	if diags.HasErrors() || string(formatted) != out {
		t.Errorf("the block is not fmt-clean (%v):\n%s", diags, out)
	}
	if err := os.WriteFile(filepath.Join(h.dir, "newco.hcl"), []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	h.mustGS(0, "validate")
	h.mustGS(0, "fmt", "-check")
	p := h.plan()
	planned := map[string]string{}
	for _, c := range p.Changes {
		planned[c.Address] = c.Action
	}
	for _, addr := range []string{"company.newco", "location.newco.vienna", "location.newco.zurich"} {
		if planned[addr] != "create" {
			t.Errorf("the plan with the block does not create %s", addr)
		}
	}
	// Now every office is mapped: nothing left to add.
	out, errOut = h.mustGS(0, "offices", "-hcl", "other")
	if out != "" || !strings.Contains(errOut, "nothing to add") {
		t.Errorf("with every office mapped: stdout %q, stderr %q", out, errOut)
	}
}

func TestOfficesHCLRefuses(t *testing.T) {
	w := newWorld(t, e2eCompanies)
	for slug, want := range map[string]string{
		"acme":      `company "acme" is already configured (gridsync.hcl:`,
		"New Co":    `"New Co" is not a valid company slug`,
		"9lives":    `"9lives" is not a valid company slug`,
		"trailing-": `"trailing-" is not a valid company slug`,
	} {
		out, errOut := w.mustRun(1, "offices", "-hcl", slug)
		if out != "" || !strings.Contains(errOut, want) {
			t.Errorf("-hcl %q: stdout %q, stderr %q; want %s", slug, out, errOut, want)
		}
	}
	if _, errOut := w.mustRun(1, "offices", "-hcl", "newco", "-json"); !strings.Contains(errOut, "cannot be combined") {
		t.Errorf("-hcl with -json: %s", errOut)
	}
	// The slug is checked before Personio is read.
	if n := w.sim.Stats().Total(personiosim.EndpointEmployees); n != 0 {
		t.Errorf("%d employee pages read for a refused slug", n)
	}
}

// TestOfficesViews: the table, the -json document and the -hcl block
// render the same report, and only -hcl's advice goes to stderr.
func TestOfficesViews(t *testing.T) {
	w := newWorld(t, unitCompanies)
	out, errOut := w.mustRun(0, "offices")
	for _, want := range []string{
		"  ID  OFFICE   ACTIVE  ONBOARDING  ON LEAVE  INACTIVE  OPEN JOBS  LOCATIONS\n",
		"1001  Berlin ", "location.acme.berlin-hq\n", "(unmapped)\n",
		"\n4 offices: 1 mapped, 3 unmapped. 10 employees, 3 open positions.\n",
		"To map the unmapped offices in a new company, run: gridsync offices -chdir " + w.dir + " -hcl SLUG > SLUG.hcl\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}
	if errOut != "" {
		t.Errorf("stderr: %s", errOut)
	}

	out, _ = w.mustRun(0, "offices", "-json")
	var doc officesDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.FormatVersion != "1" || len(doc.Offices) != 4 || doc.Offices[0].Name != "Berlin" ||
		!slices.Equal(doc.Offices[0].Locations, []string{"location.acme.berlin-hq"}) {
		t.Errorf("offices -json: %v\n%s", err, out)
	}

	out, errOut = w.mustRun(0, "offices", "-hcl", "newco")
	if !strings.HasPrefix(out, `company "newco" {`) || strings.Contains(out, `"Berlin"`) ||
		!strings.Contains(errOut, "\n3 locations for the offices no company maps yet. Save the block as newco.hcl") ||
		!strings.Contains(errOut, "  gridsync validate -chdir "+w.dir+" && gridsync plan -chdir "+w.dir+"\n") {
		t.Errorf("offices -hcl:\nstdout:\n%s\nstderr:\n%s", out, errOut)
	}
}
