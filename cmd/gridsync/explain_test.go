package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gridwork/gridsync/internal/personio/personiosim"
	"github.com/gridwork/gridsync/plan"
)

// explainDoc is the part of `gridsync explain -json` the tests read.
type explainDoc struct {
	FormatVersion string `json:"format_version"`
	Type          string `json:"type"`
	ID            int64  `json:"id"`
	Found         bool   `json:"found"`
	Personio      *struct {
		Name   string  `json:"name"`
		Email  *string `json:"email"`
		Status *string `json:"status"`
		Office *struct {
			ID   *int64 `json:"id"`
			Name string `json:"name"`
		} `json:"office"`
	} `json:"personio"`
	Mappings []struct {
		Company    string  `json:"company"`
		Location   string  `json:"location"`
		Address    string  `json:"address"`
		DeclaredAt *string `json:"declared_at"`
		Toggle     struct {
			Kind       string  `json:"kind"`
			Enabled    bool    `json:"enabled"`
			From       string  `json:"from"`
			Override   string  `json:"override"`
			OverrideAt *string `json:"override_at"`
		} `json:"toggle"`
	} `json:"mappings"`
	StatusFilter *struct {
		Synced bool `json:"synced"`
	} `json:"status_filter"`
	Gridwork struct {
		Read  bool    `json:"read"`
		Error *string `json:"error"`
		Rows  []struct {
			Company  string `json:"company"`
			TargetID int64  `json:"target_id"`
			State    string `json:"state"`
		} `json:"rows"`
	} `json:"gridwork"`
	Plan struct {
		AssumesNoRow bool     `json:"assumes_no_row"`
		Errors       []string `json:"errors"`
		Changes      []struct {
			Address string   `json:"address"`
			Action  string   `json:"action"`
			Reason  string   `json:"reason"`
			Fields  []string `json:"fields"`
		} `json:"changes"`
	} `json:"plan"`
	Addresses []string `json:"addresses"`
	Story     []string `json:"story"`
}

// explain runs explain -json and decodes it; want is the exit code.
func (h *e2e) explain(want int, what string, id int64) explainDoc {
	h.t.Helper()
	out, _ := h.mustGS(want, "explain", "-json", what, strconv.FormatInt(id, 10))
	var doc explainDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		h.t.Fatalf("explain -json is not JSON: %v\n%s", err, out)
	}
	if doc.FormatVersion != "1" || doc.Type != what || doc.ID != id {
		h.t.Errorf("explain -json head: %q %q %d", doc.FormatVersion, doc.Type, doc.ID)
	}
	return doc
}

// story is the text explanation.
func (h *e2e) story(want int, what string, id int64) string {
	h.t.Helper()
	out, _ := h.mustGS(want, "explain", what, strconv.FormatInt(id, 10))
	return out
}

func assertSays(t *testing.T, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("the story lacks %q:\n%s", w, text)
		}
	}
}

// employeeIn returns the first simulated employee in office with status.
func (h *e2e) employeeIn(office int64, status string) personiosim.Employee {
	h.t.Helper()
	for _, e := range h.sim.Employees() {
		if e.OfficeID == office && e.Status == status {
			return e
		}
	}
	h.t.Fatalf("the dataset has no %s employee in office %d", status, office)
	return personiosim.Employee{}
}

// jobIn returns the first simulated position whose office is name.
func (h *e2e) jobIn(name string) personiosim.Job {
	h.t.Helper()
	for _, j := range h.sim.Jobs() {
		if j.Office == name {
			return j
		}
	}
	h.t.Fatalf("the dataset has no position in %s", name)
	return personiosim.Job{}
}

// TestExplainEmployee tells the story of employees in every situation:
// to be created, synced, adoptable, unmapped, filtered by status (new and
// linked), paused, and unknown to Personio (new and linked). Each costs
// one Personio request for the employee, never the listing.
func TestExplainEmployee(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	anna := h.employeeIn(officeBerlin, "active")
	vienna := h.employeeIn(officeVienna, "active")
	inactive := h.employeeIn(officeMunich, "inactive")
	leaver := h.employeeIn(officeMunich, "active")
	gone := h.employeeIn(officeHamburg, "active")

	// Before the first apply: the next plan creates the employee.
	doc := h.explain(0, "employee", anna.ID)
	addr := fmt.Sprintf("employee.acme[%d]", anna.ID)
	if !doc.Found || doc.Personio.Name != anna.FirstName+" "+anna.LastName || *doc.Personio.Status != "active" || *doc.Personio.Office.ID != officeBerlin {
		t.Errorf("what Personio says: %+v", doc.Personio)
	}
	if len(doc.Mappings) != 1 || doc.Mappings[0].Company != "acme" || doc.Mappings[0].Location != "berlin-hq" || !doc.Mappings[0].Toggle.Enabled || doc.Mappings[0].Toggle.From != "account" {
		t.Errorf("mappings: %+v", doc.Mappings)
	}
	if !doc.Gridwork.Read || len(doc.Gridwork.Rows) != 0 {
		t.Errorf("gridwork: %+v", doc.Gridwork)
	}
	if len(doc.Plan.Changes) != 1 || doc.Plan.Changes[0].Action != "create" || doc.Plan.Changes[0].Address != addr || !slices.Contains(doc.Plan.Changes[0].Fields, "first_name") {
		t.Errorf("plan: %+v", doc.Plan)
	}
	if !slices.Equal(doc.Addresses, []string{addr}) {
		t.Errorf("addresses %v, want [%s]", doc.Addresses, addr)
	}
	assertSays(t, h.story(0, "employee", anna.ID),
		fmt.Sprintf(`Personio: employee %d is %s %s <%s>, status active, and is in office "Berlin" (id 1001).`, anna.ID, anna.FirstName, anna.LastName, anna.Email),
		`Office "Berlin" maps to location.acme.berlin-hq (gridsync.hcl:22).`,
		"Employees sync is on for company acme: it does not override the account default personio.sync.employees = true (gridsync.hcl:8).",
		`Status "active" is synced: personio.statuses is ["active", "onboarding", "leave"] (the default).`,
		"Gridwork has no row for this employee.",
		"The next plan will create "+addr+".",
		"Address: "+addr+".")

	// An unlinked Gridwork employee with Ada's email is adopted.
	ada := personiosim.Employee{ID: 5001, FirstName: "Ada", LastName: "Adopted", Email: "ada@acme.example", Status: "onboarding", OfficeID: officeMunich}
	h.sim.UpsertEmployee(ada)
	h.apply()
	var handmade int64
	if err := h.db.QueryRow(t.Context(), `insert into employees (company_id, first_name, last_name, email)
		select id, 'Ada', 'Handmade', 'ADA@acme.example' from companies where slug = 'acme' returning id`).Scan(&handmade); err != nil {
		t.Fatal(err)
	}
	h.sim.UpsertEmployee(personiosim.Employee{ID: 5002, FirstName: "Ada", LastName: "Twin", Email: "ada@acme.example", Status: "active", OfficeID: officeBerlin})
	doc = h.explain(0, "employee", 5002)
	if len(doc.Gridwork.Rows) != 1 || doc.Gridwork.Rows[0].State != "adoptable" || doc.Gridwork.Rows[0].TargetID != handmade {
		t.Errorf("the handmade row is not adoptable: %+v", doc.Gridwork.Rows)
	}
	if len(doc.Plan.Changes) != 1 || doc.Plan.Changes[0].Action != "adopt" {
		t.Errorf("plan: %+v", doc.Plan.Changes)
	}
	assertSays(t, h.story(0, "employee", 5002), fmt.Sprintf("Gridwork: unlinked employee row %d of company acme has the email ada@acme.example: the next plan adopts it", handmade))
	h.sim.DeleteEmployee(5002)

	// Synced: linked, nothing to do.
	doc = h.explain(0, "employee", anna.ID)
	if len(doc.Gridwork.Rows) != 1 || doc.Gridwork.Rows[0].State != "linked" || len(doc.Plan.Changes) != 0 {
		t.Errorf("synced: rows %+v, changes %+v", doc.Gridwork.Rows, doc.Plan.Changes)
	}
	assertSays(t, h.story(0, "employee", anna.ID), "is linked to it.", "The next plan leaves it as it is: Gridwork matches Personio.")

	// Changed in Personio: the next plan updates the fields that differ.
	moved := anna
	moved.Position = "Head of Explaining"
	h.sim.UpsertEmployee(moved)
	doc = h.explain(0, "employee", anna.ID)
	if len(doc.Plan.Changes) != 1 || doc.Plan.Changes[0].Action != "update" || !slices.Equal(doc.Plan.Changes[0].Fields, []string{"position"}) {
		t.Errorf("update: %+v", doc.Plan.Changes)
	}
	assertSays(t, h.story(0, "employee", anna.ID), "The next plan will update "+addr+" (position).")
	h.sim.UpsertEmployee(anna)

	// Unmapped office: not synced, where a mapping would go, no address.
	doc = h.explain(0, "employee", vienna.ID)
	if len(doc.Mappings) != 0 || len(doc.Addresses) != 0 || len(doc.Plan.Changes) != 0 {
		t.Errorf("unmapped: %+v %v %+v", doc.Mappings, doc.Addresses, doc.Plan.Changes)
	}
	assertSays(t, h.story(0, "employee", vienna.ID),
		`No location maps office "Vienna" (id 1004), so this employee is not synced. To sync it, add office = "Vienna" (or office_id = 1004) to a location`,
		"gridsync offices -hcl SLUG",
		"The next plan does not sync it: its office is not mapped.",
		"It has no address: no company syncs it.")

	// Filtered by status: never linked.
	doc = h.explain(0, "employee", inactive.ID)
	if doc.StatusFilter == nil || doc.StatusFilter.Synced || len(doc.Plan.Changes) != 0 {
		t.Errorf("filtered: %+v %+v", doc.StatusFilter, doc.Plan.Changes)
	}
	assertSays(t, h.story(0, "employee", inactive.ID),
		`Status "inactive" is not synced: personio.statuses is ["active", "onboarding", "leave"] (the default), so the status filter leaves this employee out.`,
		"The next plan does not sync it: its status is not synced.")

	// Filtered by status once linked: removed.
	leaver.Status = "inactive"
	h.sim.UpsertEmployee(leaver)
	assertSays(t, h.story(0, "employee", leaver.ID), fmt.Sprintf("The next plan will destroy employee.acme[%d]: status inactive is not synced.", leaver.ID))

	// Unknown to Personio: exit 1, and what Gridwork still links.
	out, errOut := h.mustGS(1, "explain", "employee", "424242")
	assertSays(t, out, "Personio has no employee 424242.", "Gridwork has no row for this employee.", "It has no address")
	if !strings.Contains(errOut, "Error: Personio has no employee 424242") {
		t.Errorf("stderr: %s", errOut)
	}
	if doc := h.explain(1, "employee", 424242); doc.Found || doc.Personio != nil {
		t.Errorf("unknown employee found: %+v", doc)
	}
	h.sim.DeleteEmployee(gone.ID)
	assertSays(t, h.story(1, "employee", gone.ID),
		fmt.Sprintf("Personio has no employee %d.", gone.ID),
		fmt.Sprintf("Gridwork: employee row %d of company globex", h.targetID("globex", gone.ID)),
		fmt.Sprintf("The next plan will destroy employee.globex[%d]: no longer in Personio.", gone.ID))

	// Paused: acme's employees are off.
	h.setConfig(strings.Replace(e2eCompanies, `name = "Acme GmbH"`, "name = \"Acme GmbH\"\n\n  sync {\n    employees = \"off\"\n  }", 1))
	doc = h.explain(0, "employee", leaver.ID)
	tg := doc.Mappings[0].Toggle
	if tg.Enabled || tg.From != "company" || tg.Override != "off" || tg.OverrideAt == nil || *tg.OverrideAt != "gridsync.hcl:21" || len(doc.Plan.Changes) != 0 {
		t.Errorf("paused: toggle %+v, changes %+v", tg, doc.Plan.Changes)
	}
	assertSays(t, h.story(0, "employee", leaver.ID),
		`Employees sync is off for company acme: its sync block sets employees = "off" (gridsync.hcl:21), which overrides the account default personio.sync.employees = true (gridsync.hcl:8).`,
		"The next plan leaves it alone: employees sync is off for company acme.",
		fmt.Sprintf("Address: employee.acme[%d].", leaver.ID))

	// An explanation reads one employee by id, never a listing page.
	h.sim.ResetStats()
	h.explain(0, "employee", anna.ID)
	st := h.sim.Stats()
	if n, m := st.Total(personiosim.EndpointEmployees), st.Total(personiosim.EndpointEmployee); n != 0 || m != 1 {
		t.Errorf("explain read %d listing pages and %d employees by id; want 0 and 1", n, m)
	}
}

// targetID is the Gridwork row id of a linked employee.
func (h *e2e) targetID(company string, personioID int64) int64 {
	h.t.Helper()
	var id int64
	if err := h.db.QueryRow(h.t.Context(), `select e.id from employees e join companies c on c.id = e.company_id
		where c.slug = $1 and e.external_id = $2`, company, strconv.FormatInt(personioID, 10)).Scan(&id); err != nil {
		h.t.Fatal(err)
	}
	return id
}

// TestExplainWithoutDatabase: without a reachable database (connection
// refused, or no URL) explain tells the Personio and configuration side,
// says Gridwork was not read, and succeeds.
func TestExplainWithoutDatabase(t *testing.T) {
	h := newE2E(t, e2eOptions{NoMigrate: true})
	anna := h.employeeIn(officeBerlin, "active")
	addr := fmt.Sprintf("employee.acme[%d]", anna.ID)
	for name, url := range map[string]string{"connection refused": "postgres://gridsync@127.0.0.1:1/gridwork", "no URL": ""} {
		t.Run(name, func(t *testing.T) {
			if url == "" {
				delete(h.env, "GRIDWORK_DATABASE_URL")
			} else {
				h.env["GRIDWORK_DATABASE_URL"] = url
			}
			doc := h.explain(0, "employee", anna.ID)
			if doc.Gridwork.Read || doc.Gridwork.Error == nil || !doc.Plan.AssumesNoRow {
				t.Errorf("gridwork: %+v, plan assumes no row: %v", doc.Gridwork, doc.Plan.AssumesNoRow)
			}
			if len(doc.Plan.Changes) != 1 || doc.Plan.Changes[0].Action != "create" {
				t.Errorf("plan: %+v", doc.Plan.Changes)
			}
			want := "cannot connect to the Gridwork database at 127.0.0.1:1/gridwork"
			if url == "" {
				want = "GRIDWORK_DATABASE_URL, which is not set"
			}
			assertSays(t, h.story(0, "employee", anna.ID),
				`Office "Berlin" maps to location.acme.berlin-hq`,
				"Gridwork was not read (", want,
				"If Gridwork has no row for it, the next plan will create "+addr+".")
		})
	}
}

// TestExplainJob: positions are explained from the feed; an office mapped
// by office_id is recognised (from Gridwork once synced, from the
// employee listing before), a position only the feed's office names is
// unmapped, and an unknown id exits 1.
func TestExplainJob(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	hamburg := h.jobIn("Hamburg")
	zurich := h.jobIn("Zurich")
	addr := fmt.Sprintf("job.globex[%d]", hamburg.ID)

	// Before the first apply Gridwork knows no office: the listing tells
	// that globex's office_id 1003 is Hamburg.
	h.sim.ResetStats()
	doc := h.explain(0, "job", hamburg.ID)
	if len(doc.Mappings) != 1 || doc.Mappings[0].Address != addr || len(doc.Plan.Changes) != 1 || doc.Plan.Changes[0].Action != "create" {
		t.Errorf("mapping %+v, changes %+v", doc.Mappings, doc.Plan.Changes)
	}
	if h.sim.Stats().Total(personiosim.EndpointEmployees) == 0 {
		t.Error("the employee listing was not read to learn the office names")
	}
	assertSays(t, h.story(0, "job", hamburg.ID),
		fmt.Sprintf(`Personio: position %d, %q, is published in the job feed and is in office "Hamburg".`, hamburg.ID, hamburg.Name),
		`Office "Hamburg" maps to location.globex.hamburg (gridsync.hcl:40).`,
		"Jobs sync is on for company globex",
		"The next plan will create "+addr+".",
		"Personio's employees were read to learn those offices' names.")

	h.apply()
	h.sim.ResetStats()
	doc = h.explain(0, "job", hamburg.ID)
	if len(doc.Gridwork.Rows) != 1 || doc.Gridwork.Rows[0].State != "linked" || len(doc.Plan.Changes) != 0 {
		t.Errorf("synced job: rows %+v, changes %+v", doc.Gridwork.Rows, doc.Plan.Changes)
	}
	if n := h.sim.Stats().Total(personiosim.EndpointEmployees); n != 0 {
		t.Errorf("%d listing pages read although Gridwork knows the office", n)
	}

	doc = h.explain(0, "job", zurich.ID)
	if len(doc.Mappings) != 0 || doc.Personio.Office == nil || doc.Personio.Office.ID != nil {
		t.Errorf("feed-only office: %+v %+v", doc.Mappings, doc.Personio)
	}
	assertSays(t, h.story(0, "job", zurich.ID), `No location maps office "Zurich", so this position is not synced.`)

	out, errOut := h.mustGS(1, "explain", "job", "99999")
	assertSays(t, out, "Personio's job feed has no position 99999")
	if !strings.Contains(errOut, "Error: Personio's job feed has no position 99999") {
		t.Errorf("stderr: %s", errOut)
	}

	h.sim.SetFaults(personiosim.Faults{FeedMissing: true})
	_, errOut = h.mustGS(1, "explain", "job", strconv.FormatInt(hamburg.ID, 10))
	if !strings.Contains(errOut, "the job feed is unavailable: "+h.url+"/xml?language=en answered 404") {
		t.Errorf("stderr: %s", errOut)
	}
}

func TestExplainArguments(t *testing.T) {
	w := newWorld(t, unitCompanies)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"explain", "employee"}, "explain takes what and an id"},
		{[]string{"explain", "office", "1"}, `cannot explain "office": say employee or job`},
		{[]string{"explain", "employee", "anna"}, `"anna" is not a Personio employee id`},
		{[]string{"explain", "job", "0"}, `"0" is not a Personio job id`},
	} {
		if _, errOut := w.mustRun(1, tt.args...); !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: stderr %q, want %s", tt.args, errOut, tt.want)
		}
	}
	w.untouched("explain with bad arguments")
}

// TestExplainPlanProblems: what stops or endangers the next plan is part
// of the story: an office mapped twice once names resolve, and a synced
// attribute the credential may not read.
func TestExplainPlanProblems(t *testing.T) {
	h := newE2E(t, e2eOptions{NoMigrate: true})
	delete(h.env, "GRIDWORK_DATABASE_URL")
	anna := h.employeeIn(officeBerlin, "active")
	h.setConfig(e2eCompanies + `
company "initech" {
  name = "Initech"

  location "berlin" {
    name      = "Berlin"
    office_id = 1001
  }
}
`)
	doc := h.explain(0, "employee", anna.ID)
	if len(doc.Plan.Errors) != 1 || !strings.Contains(doc.Plan.Errors[0], "Office mapped twice") || len(doc.Plan.Changes) != 0 {
		t.Errorf("plan: %+v", doc.Plan)
	}
	if len(doc.Mappings) != 2 {
		t.Errorf("mappings %+v, want acme's and initech's", doc.Mappings)
	}
	assertSays(t, h.story(0, "employee", anna.ID),
		"The next plan stops with a configuration error (gridsync.hcl:",
		`Office mapped twice. Personio office "Berlin" (id 1001) is mapped by location.acme.berlin-hq`)

	h.setConfig(e2eCompanies)
	h.sim.SetFaults(personiosim.Faults{HiddenAttributes: []string{"gender"}})
	assertSays(t, h.story(0, "employee", anna.ID),
		`The next plan stops before it changes anything: Personio does not let the API credential read the attribute that gridsync syncs: "gender"`,
		"If Gridwork has no row for it, once it may read them, the next plan will create")
	if doc := h.explain(0, "employee", anna.ID); len(doc.Plan.Errors) != 1 || !strings.Contains(doc.Plan.Errors[0], `"gender"`) {
		t.Errorf("plan errors: %v", doc.Plan.Errors)
	}
}

// TestExplainViews: the story and the -json document tell the same
// explanation; a row the store links is part of it; an id Personio does
// not know exits 1 after the story; without a database the story says
// that Gridwork was not read.
func TestExplainViews(t *testing.T) {
	w := newWorld(t, unitCompanies)
	w.store.state.Employees = []plan.Record{{Type: plan.TypeEmployee, Company: "acme", ExternalID: "1", TargetID: 41, Linked: true}}
	out, _ := w.mustRun(0, "explain", "employee", "1")
	assertSays(t, out,
		`Personio: employee 1 is Leon Hoffmann <leon.hoffmann.1@acme.example>, status active, and is in office "Berlin" (id 1001).`,
		"Gridwork: employee row 41 of company acme is linked to it.",
		"Address: employee.acme[1].")
	out, _ = w.mustRun(0, "explain", "-json", "employee", "1")
	var doc explainDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil || !doc.Found || !doc.Gridwork.Read || len(doc.Gridwork.Rows) != 1 || doc.Gridwork.Rows[0].State != "linked" {
		t.Errorf("explain -json: %v\n%s", err, out)
	}
	if len(doc.Story) == 0 || !strings.HasPrefix(out, "{\n  \"format_version\": \"1\",") {
		t.Errorf("explain -json: %s", out)
	}

	out, errOut := w.mustRun(1, "explain", "employee", "4242")
	assertSays(t, out, "Personio has no employee 4242.")
	if !strings.HasSuffix(errOut, "Error: Personio has no employee 4242\n") {
		t.Errorf("stderr: %s", errOut)
	}

	w.storeErr = errors.New("cannot connect to the Gridwork database at db.invalid")
	out, _ = w.mustRun(0, "explain", "employee", "1")
	assertSays(t, out, "Gridwork was not read (cannot connect to the Gridwork database at db.invalid)",
		"If Gridwork has no row for it, the next plan will create employee.acme[1].")
}

// goldenConfig writes the personio block itself, so that the story names
// where statuses and a toggle default were written, and where not.
const goldenConfig = `personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
  api_url     = %[1]q
  jobs_url    = %[1]q
  statuses    = ["active", "onboarding"]

  sync {
    employees = true
  }
}

target {
  database_url = env("GRIDWORK_DATABASE_URL")
}

company "acme" {
  name = "Acme GmbH"

  sync {
    jobs = "inherit"
  }

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}

company "globex" {
  name = "Globex AG"

  sync {
    employees = "off"
  }

  location "munich" {
    name      = "Munich"
    office_id = 1002
  }

  location "hamburg" {
    name   = "Hamburg"
    office = "Hamburg"
  }
}
`

// TestExplainGolden pins the text and -json explanations, byte for byte,
// of records in every situation the story tells: to create, update,
// adopt, destroy (gone, filtered by status), paused, unmapped, without an
// office, a job in several offices and in none, unknown ids; then
// without a database, with a hidden attribute, and with a configuration
// error. Run with -update to rewrite testdata/explain.golden.
func TestExplainGolden(t *testing.T) {
	w := newWorld(t, "")
	if err := os.WriteFile(filepath.Join(w.dir, "gridsync.hcl"), fmt.Appendf(nil, goldenConfig, w.url), 0o644); err != nil {
		t.Fatal(err)
	}
	w.sim.UpsertEmployee(personiosim.Employee{ID: 11, FirstName: "Otto", LastName: "Officeless", Email: "otto@acme.example", Status: "active"})
	w.sim.UpsertEmployee(personiosim.Employee{ID: 12, FirstName: "Ada", LastName: "Twin", Email: "ada@acme.example", Status: "active", OfficeID: 1001})
	w.sim.UpsertEmployee(personiosim.Employee{ID: 13, FirstName: "Lea", LastName: "Leaver", Email: "lea@acme.example", Status: "inactive", OfficeID: 1001})
	w.sim.UpsertEmployee(personiosim.Employee{ID: 14, FirstName: "Nora", Email: "", Status: "", OfficeID: 1001})
	w.sim.UpsertJob(personiosim.Job{ID: 9004, Name: "Nomad", EmploymentType: "permanent", Schedule: "full-time"})
	w.sim.UpsertJob(personiosim.Job{ID: 9005, Name: "Far Away", Office: "Vienna", AdditionalOffices: []string{"Zurich", "Vienna"}, EmploymentType: "permanent", Schedule: "full-time"})
	emp := func(company string, ext string, target int64, attrs ...string) plan.Record {
		return plan.Record{Type: plan.TypeEmployee, Company: company, ExternalID: ext, TargetID: target, Linked: ext != "", Attrs: plan.NewAttrs(attrs...)}
	}
	w.store.state = plan.State{
		Companies: []plan.CompanyState{{Slug: "acme", Name: "Acme GmbH",
			Locations: []plan.LocationState{{Slug: "berlin-hq", Name: "Berlin HQ", OfficeID: 1001, OfficeName: "Berlin"}}}},
		Employees: []plan.Record{
			emp("acme", "", 51, "email", "ADA@acme.example", "first_name", "Ada"),
			emp("acme", "", 52, "email", "noah.fernandez.4@acme.example", "location", "berlin-hq"),
			emp("acme", "1", 41, "first_name", "Leon", "last_name", "Old", "location", "berlin-hq"),
			emp("acme", "13", 53, "first_name", "Lea", "last_name", "Leaver", "location", "berlin-hq"),
			emp("acme", "77", 77, "first_name", "Gone", "last_name", "Away"),
		},
		Jobs: []plan.Record{{Type: plan.TypeJob, Company: "globex", ExternalID: "9002", TargetID: 90, Linked: true, Attrs: plan.NewAttrs("name", "Frontend Engineer (TypeScript)")}},
	}
	var b strings.Builder
	explain := func(title string, args ...string) {
		t.Helper()
		for _, json := range []bool{false, true} {
			a := append([]string{"explain"}, args...)
			if json {
				a = append([]string{"explain", "-json"}, args...)
			}
			out, errOut, code := w.run(a...)
			fmt.Fprintf(&b, "=== %s: gridsync %s (exit %d)\n%s", title, strings.Join(a, " "), code, out)
			if errOut != "" {
				fmt.Fprintf(&b, "--- stderr\n%s", errOut)
			}
		}
	}
	for _, id := range []string{"1", "2", "3", "4", "10", "11", "12", "13", "14", "77", "4242"} {
		explain("employee "+id, "employee", id)
	}
	for _, id := range []string{"9001", "9002", "9003", "9004", "9005", "99999"} {
		explain("job "+id, "job", id)
	}
	w.storeErr = errors.New("cannot connect to the Gridwork database at db.invalid")
	explain("without a database", "employee", "1")
	explain("without a database", "jobs", "9003")
	w.storeErr = nil
	w.sim.SetFaults(personiosim.Faults{HiddenAttributes: []string{"gender"}})
	explain("hidden attribute", "employee", "1")
	w.sim.SetFaults(personiosim.Faults{})
	w.store.state.Companies = nil
	writeSimConfig(t, w.dir, w.url, e2eCompanies+`
company "initech" {
  name = "Initech"

  location "berlin" {
    name      = "Berlin"
    office_id = 1001
  }
}
`)
	explain("office mapped twice", "employee", "1")
	explain("office mapped twice", "job", "9003")

	got := strings.ReplaceAll(b.String(), w.url, "http://personio.test")
	golden := filepath.Join("testdata", "explain.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("explanations differ from %s (run with -update to rewrite):\n%s", golden, got)
	}
}

// TestExplainJobOfficesSharingAName: two offices share a name and
// locations map each by office_id. A position in that office gets the
// same story every time (the office's ids were once picked in map order):
// the plan's, with no problem.
func TestExplainJobOfficesSharingAName(t *testing.T) {
	w := newWorld(t, `
company "acme" {
  name = "Acme GmbH"

  location "berlin-hq" {
    name      = "Berlin HQ"
    office_id = 1001
  }

  location "berlin-two" {
    name      = "Berlin Two"
    office_id = 1099
  }
}
`)
	w.sim.UpsertOffice(personiosim.Office{ID: 1099, Name: "Berlin"})
	w.sim.UpsertEmployee(personiosim.Employee{ID: 99001, FirstName: "Ada", LastName: "Two", Email: "ada.two@example.com", Status: "active", OfficeID: 1099})
	w.sim.UpsertJob(personiosim.Job{ID: 990001, Name: "Chef", Office: "Berlin", EmploymentType: "permanent", Schedule: "full-time"})

	first, _ := w.mustRun(0, "explain", "job", "990001", "-json")
	var doc struct {
		Mappings []struct{ Location string } `json:"mappings"`
		Plan     struct {
			Errors  []string `json:"errors"`
			Changes []struct {
				Action string `json:"action"`
			} `json:"changes"`
		} `json:"plan"`
	}
	if err := json.Unmarshal([]byte(first), &doc); err != nil {
		t.Fatalf("%v\n%s", err, first)
	}
	// A position names its office, so the first location mapping it takes it.
	if len(doc.Mappings) != 1 || doc.Mappings[0].Location != "berlin-hq" || len(doc.Plan.Errors) != 0 || len(doc.Plan.Changes) != 1 || doc.Plan.Changes[0].Action != "create" {
		t.Errorf("explain -json:\n%s", first)
	}
	for range 10 {
		if out, _ := w.mustRun(0, "explain", "job", "990001", "-json"); out != first {
			t.Fatalf("explain changed between runs:\n%s\nthen:\n%s", first, out)
		}
	}
}
