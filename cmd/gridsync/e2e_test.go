package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gridwork/gridsync/internal/personio/personiosim"
)

// TestE2EFirstApply: the first apply creates exactly the desired rows and
// the next plan is empty.
func TestE2EFirstApply(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	wantEmps, wantJobs := h.wantEmployees(e2eMapping()), h.wantJobs(e2eMapping())
	if len(wantEmps) < 50 || len(wantJobs) < 5 {
		t.Fatalf("fixture too small to mean anything: %d employees, %d jobs", len(wantEmps), len(wantJobs))
	}

	h.mustGS(2, "plan", "-detailed-exitcode")
	p := h.plan()
	want := map[string]int{
		"company create":  2,
		"location create": 4,
		"employee create": len(wantEmps),
		"job create":      len(wantJobs),
	}
	if got := p.actions(); !maps.Equal(got, want) {
		t.Errorf("plan actions = %v, want %v", got, want)
	}
	add := 2 + 4 + len(wantEmps) + len(wantJobs)
	if p.Summary.Add != add || p.Summary.Change+p.Summary.Unlink+p.Summary.Destroy != 0 {
		t.Errorf("summary = %+v, want %d to add only", p.Summary, add)
	}

	// Without a terminal, apply needs -auto-approve, and says so before it
	// reads Personio or writes anything.
	before := h.sim.Stats()
	if _, stderr, code := h.gs("apply"); code != 1 || !strings.Contains(stderr, "apply needs -auto-approve") {
		t.Errorf("apply without -auto-approve off a terminal: exit %d\n%s", code, stderr)
	}
	if after := h.sim.Stats(); !maps.EqualFunc(before, after, maps.Equal) {
		t.Errorf("the refused apply read Personio: requests %v, then %v", before, after)
	}
	if n := h.count("select count(*) from sync_runs"); n != 0 {
		t.Errorf("the refused apply recorded %d sync runs", n)
	}

	out := h.apply()
	if line := fmt.Sprintf("Apply complete! Resources: %d added, 0 changed, 0 unlinked, 0 destroyed.\nRecorded as sync run 1.\n", add); !strings.HasSuffix(out, line) {
		t.Errorf("apply output ends with\n%s\nwant\n%s", out[max(0, len(out)-200):], line)
	}
	h.assertState(e2eMapping())
	if got := h.query(`select c.slug, l.slug, coalesce(l.personio_office_id::text, '-'), coalesce(l.personio_office_name, '-'), l.name
		from locations l join companies c on c.id = l.company_id order by 1, 2`); !slices.Equal(got, []string{
		"acme|berlin-hq|1001|Berlin|Berlin HQ",
		"acme|munich|1002|Munich|Munich",
		"acme|remote|-|-|Remote",
		"globex|hamburg|1003|Hamburg|Hamburg",
	}) {
		t.Errorf("locations = %q", got)
	}
	if n := h.count("select count(*) from employees where external_source is null or location_id is null or synced_at is null"); n != 0 {
		t.Errorf("%d employees are unlinked, without location or never synced", n)
	}
	h.noChanges()
}

// TestE2ESingleChanges: each single change in Personio gives exactly the
// expected change, and applying it converges.
func TestE2ESingleChanges(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	h.apply()
	m := e2eMapping()

	// jobIn returns a position linked to exactly one company (so that a
	// change to it is one change).
	jobIn := func(company string) personiosim.Job {
		t.Helper()
		want := h.wantJobs(m)
		for _, j := range h.sim.Jobs() {
			id := strconv.FormatInt(j.ID, 10)
			n := 0
			for k := range want {
				if strings.HasSuffix(k, "/"+id) {
					n++
				}
			}
			if _, ok := want[company+"/"+id]; ok && n == 1 {
				return j
			}
		}
		t.Fatalf("no job linked to %s alone", company)
		return personiosim.Job{}
	}
	rowID := func(table, company, id string) int64 {
		t.Helper()
		return int64(h.count("select t.id from "+table+" t join companies c on c.id = t.company_id where c.slug = $1 and t.external_id = $2", company, id))
	}

	tests := []struct {
		name    string
		change  func() (address, action string, fields map[string][2]string)
		applied func(t *testing.T)
	}{
		{
			name: "rename",
			change: func() (string, string, map[string][2]string) {
				e := h.pickEmployee(inOffice(officeBerlin))
				old := e.FirstName
				e.FirstName = "Renamed"
				h.sim.UpsertEmployee(e)
				return fmt.Sprintf("employee.acme[%d]", e.ID), "update", map[string][2]string{"first_name": {old, "Renamed"}}
			},
		},
		{
			name: "move between offices of one company",
			change: func() (string, string, map[string][2]string) {
				e := h.pickEmployee(func(e personiosim.Employee) bool {
					return inOffice(officeBerlin)(e) && e.FirstName != "Renamed"
				})
				e.OfficeID = officeMunich
				h.sim.UpsertEmployee(e)
				return fmt.Sprintf("employee.acme[%d]", e.ID), "update", map[string][2]string{"location": {"berlin-hq", "munich"}}
			},
		},
		{
			name: "status change within the synced statuses",
			change: func() (string, string, map[string][2]string) {
				e := h.pickEmployee(func(e personiosim.Employee) bool { return inOffice(officeMunich)(e) && e.Status == "active" })
				e.Status = "leave"
				h.sim.UpsertEmployee(e)
				return fmt.Sprintf("employee.acme[%d]", e.ID), "update", map[string][2]string{"status": {"active", "leave"}}
			},
		},
		{
			name: "termination",
			change: func() (string, string, map[string][2]string) {
				e := h.pickEmployee(inOffice(officeMunich))
				e.Status = "inactive"
				h.sim.UpsertEmployee(e)
				return fmt.Sprintf("employee.acme[%d]", e.ID), "delete", nil
			},
		},
		{
			name: "deletion in Personio",
			change: func() (string, string, map[string][2]string) {
				e := h.pickEmployee(inOffice(officeHamburg))
				h.sim.DeleteEmployee(e.ID)
				return fmt.Sprintf("employee.globex[%d]", e.ID), "delete", nil
			},
		},
		{
			name: "move to an unmapped office",
			change: func() (string, string, map[string][2]string) {
				e := h.pickEmployee(inOffice(officeHamburg))
				e.OfficeID = officeVienna
				h.sim.UpsertEmployee(e)
				return fmt.Sprintf("employee.globex[%d]", e.ID), "unlink", nil
			},
		},
		{
			name: "new hire",
			change: func() (string, string, map[string][2]string) {
				id := h.nextEmployeeID()
				h.sim.UpsertEmployee(personiosim.Employee{
					ID: id, FirstName: "Łukasz", LastName: "Nowak", Gender: "male", Position: "Site Reliability Engineer",
					Email: "Lukasz.Nowak@acme.example", Status: "onboarding", OfficeID: officeBerlin,
				})
				return fmt.Sprintf("employee.acme[%d]", id), "create", map[string][2]string{
					"first_name": {"", "Łukasz"}, "last_name": {"", "Nowak"}, "gender": {"", "male"},
					"position": {"", "Site Reliability Engineer"}, "email": {"", "Lukasz.Nowak@acme.example"},
					"status": {"", "onboarding"}, "location": {"", "berlin-hq"},
				}
			},
		},
		{
			name: "job unpublished",
			change: func() (string, string, map[string][2]string) {
				j := jobIn("acme")
				h.sim.DeleteJob(j.ID)
				return fmt.Sprintf("job.acme[%d]", j.ID), "delete", nil
			},
		},
		{
			name: "job retitled",
			change: func() (string, string, map[string][2]string) {
				j := jobIn("globex")
				old := j.Name
				j.Name = "Chief Coffee Officer"
				h.sim.UpsertJob(j)
				return fmt.Sprintf("job.globex[%d]", j.ID), "update", map[string][2]string{"title": {old, "Chief Coffee Officer"}}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			address, action, fields := tt.change()
			p := h.plan()
			if len(p.Changes) != 1 {
				var got []string
				for _, c := range p.Changes {
					got = append(got, c.Address+" "+c.Action)
				}
				t.Fatalf("plan has %d changes %q, want exactly %s %s", len(p.Changes), got, action, address)
			}
			c := p.Changes[0]
			if c.Address != address || c.Action != action {
				t.Fatalf("change = %s %s, want %s %s", c.Address, c.Action, address, action)
			}
			company, key, _ := strings.Cut(strings.TrimSuffix(strings.SplitN(address, ".", 2)[1], "]"), "[")
			table := map[string]string{"employee": "employees", "job": "jobs"}[c.Type]
			switch action {
			case "create":
				if c.Before != nil || c.TargetID != 0 {
					t.Errorf("create has before %v, target %d", c.Before, c.TargetID)
				}
				for f, v := range fields {
					if c.After[f] != v[1] {
						t.Errorf("after[%s] = %q, want %q", f, c.After[f], v[1])
					}
				}
			case "update":
				if want := rowID(table, company, key); c.TargetID != want {
					t.Errorf("target_id = %d, want row %d", c.TargetID, want)
				}
				changed := map[string][2]string{}
				for _, f := range slices.Sorted(maps.Keys(c.After)) {
					if c.Before[f] != c.After[f] {
						changed[f] = [2]string{c.Before[f], c.After[f]}
					}
				}
				for f := range c.Before {
					if _, ok := c.After[f]; !ok {
						changed[f] = [2]string{c.Before[f], ""}
					}
				}
				if !maps.Equal(changed, fields) {
					t.Errorf("changed fields = %q, want %q", changed, fields)
				}
			case "delete", "unlink":
				if want := rowID(table, company, key); c.TargetID != want || c.After != nil || c.Before == nil {
					t.Errorf("delete: target_id %d (row %d), before %v, after %v", c.TargetID, want, c.Before, c.After)
				}
			}
			if c.Reason == "" && (action == "delete" || action == "unlink") {
				t.Errorf("%s %s has no reason", action, address)
			}
			summary := map[string]string{
				"create": "1 to add, 0 to change, 0 to unlink, 0 to destroy.",
				"update": "0 to add, 1 to change, 0 to unlink, 0 to destroy.",
				"unlink": "0 to add, 0 to change, 1 to unlink, 0 to destroy.",
				"delete": "0 to add, 0 to change, 0 to unlink, 1 to destroy.",
			}[action]
			text, _ := h.mustGS(2, "plan", "-detailed-exitcode")
			if !strings.Contains(text, "# "+address+" will be") || !strings.Contains(text, "Plan: "+summary) {
				t.Errorf("text plan does not show %s (%s):\n%s", address, summary, text)
			}
			if action == "update" {
				for f, v := range fields {
					line := regexp.MustCompile(`(?m)^\s+~ ` + f + ` +` + regexp.QuoteMeta(fmt.Sprintf(`= %q -> %q`, v[0], v[1])) + `$`)
					if !line.MatchString(text) {
						t.Errorf("text plan does not show %s %q -> %q:\n%s", f, v[0], v[1], text)
					}
				}
			}

			h.apply()
			h.assertState(m)
			switch action {
			case "delete":
				if n := h.count("select count(*) from "+table+" where id = $1", c.TargetID); n != 0 {
					t.Errorf("%s still has its row %d", address, c.TargetID)
				}
			case "unlink":
				if got := h.query("select coalesce(external_source, 'NULL'), coalesce(external_id, 'NULL') from "+table+" where id = $1", c.TargetID); !slices.Equal(got, []string{"NULL|NULL"}) {
					t.Errorf("%s: row %d after unlinking = %q, want kept without link", address, c.TargetID, got)
				}
			}
			h.noChanges()
		})
	}
}

// TestE2EUnmapOffice: unmapping an office unlinks its records (kept,
// editable) instead of deleting them; mapping it again adopts them back.
func TestE2EUnmapOffice(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	h.apply()
	munichEmps := h.query(`select e.id || '|' || e.external_id || '|' || e.first_name || '|' || e.email from employees e
		join locations l on l.id = e.location_id where l.slug = 'munich' order by e.id`)
	munichJobs := h.query(`select j.id || '|' || j.title from jobs j join locations l on l.id = j.location_id where l.slug = 'munich' order by j.id`)
	total := h.count("select count(*) from employees")
	if len(munichEmps) < 6 || len(munichJobs) == 0 {
		t.Fatalf("fixture: %d Munich employees, %d jobs", len(munichEmps), len(munichJobs))
	}

	unmapped := strings.Replace(e2eCompanies, "    office = \"Munich\"\n", "", 1)
	h.setConfig(unmapped)
	p := h.plan()
	want := map[string]int{"location update": 1, "employee unlink": len(munichEmps), "job unlink": len(munichJobs)}
	if got := p.actions(); !maps.Equal(got, want) {
		t.Fatalf("plan actions = %v, want %v", got, want)
	}
	for _, c := range p.Changes {
		if c.Action == "unlink" && c.TargetID == 0 {
			t.Errorf("%s unlinks no row", c.Address)
		}
	}

	// Unlinking a whole office is more than the deletion guard allows.
	sum := h.checksum()
	_, stderr, code := h.gs("apply", "-auto-approve")
	if code != 1 || !strings.Contains(stderr, "-allow-mass-delete") || !strings.Contains(stderr, "company acme") {
		t.Errorf("apply without -allow-mass-delete: exit %d, stderr:\n%s", code, stderr)
	}
	if h.checksum() != sum {
		t.Error("the refused apply changed the database")
	}

	h.apply("-allow-mass-delete")
	if n := h.count("select count(*) from employees"); n != total {
		t.Errorf("%d employees after unlinking, want all %d kept", n, total)
	}
	got := h.query(`select e.id || '|' || coalesce(e.external_id, 'NULL') || '|' || e.first_name || '|' || e.email || '|' || coalesce(e.external_source, 'NULL')
		from employees e join locations l on l.id = e.location_id where l.slug = 'munich' order by e.id`)
	var wantRows []string
	for _, r := range munichEmps {
		parts := strings.Split(r, "|")
		wantRows = append(wantRows, strings.Join([]string{parts[0], "NULL", parts[2], parts[3], "NULL"}, "|"))
	}
	if !slices.Equal(got, wantRows) {
		t.Errorf("Munich employees after unlinking:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantRows, "\n"))
	}
	if n := h.count("select count(*) from jobs j join locations l on l.id = j.location_id where l.slug = 'munich' and j.external_id is null"); n != len(munichJobs) {
		t.Errorf("%d unlinked Munich jobs kept, want %d", n, len(munichJobs))
	}
	m := e2eMapping()
	delete(m["acme"], officeMunich)
	h.assertState(m)
	h.noChanges()

	// Mapping Munich again links the same rows by email, not duplicates.
	h.setConfig(e2eCompanies)
	p = h.plan()
	want = map[string]int{"location update": 1, "employee adopt": len(munichEmps), "job create": len(munichJobs)}
	if got := p.actions(); !maps.Equal(got, want) {
		t.Errorf("plan after re-mapping: %v, want %v", got, want)
	}
	h.apply("-allow-mass-delete")
	h.assertState(e2eMapping())
	if n := h.count("select count(*) from employees"); n != total {
		t.Errorf("%d employees after re-mapping, want %d", n, total)
	}
	h.noChanges()
}

// TestE2EPausedKind: a company whose employees are "off" is paused: changes
// in Personio produce no employee changes, nothing is removed, jobs still
// sync; switching back on catches up.
func TestE2EPausedKind(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	h.apply()
	acmeEmployees := func() []string {
		return h.query(`select e::text from employees e join companies c on c.id = e.company_id where c.slug = 'acme' order by e.id`)
	}
	before := acmeEmployees()

	paused := strings.Replace(e2eCompanies, `name = "Acme GmbH"`, `name = "Acme GmbH"

  sync {
    employees = "off"
  }`, 1)
	h.setConfig(paused)
	h.noChanges()

	// Every kind of employee change in acme's offices, one change in a
	// globex employee and one in an acme job.
	renamed := h.pickEmployee(inOffice(officeBerlin))
	renamed.LastName = "Umbenannt"
	h.sim.UpsertEmployee(renamed)
	terminated := h.pickEmployee(inOffice(officeMunich))
	terminated.Status = "inactive"
	h.sim.UpsertEmployee(terminated)
	deleted := h.pickEmployee(func(e personiosim.Employee) bool { return inOffice(officeMunich)(e) && e.ID != terminated.ID })
	h.sim.DeleteEmployee(deleted.ID)
	h.sim.UpsertEmployee(personiosim.Employee{ID: h.nextEmployeeID(), FirstName: "Neu", LastName: "Zugang", Email: "neu@acme.example", Status: "active", OfficeID: officeBerlin})
	globexEmp := h.pickEmployee(inOffice(officeHamburg))
	globexEmp.Position = "Head of Everything"
	h.sim.UpsertEmployee(globexEmp)
	var job personiosim.Job
	for _, j := range h.sim.Jobs() {
		if j.Office == "Berlin" {
			job = j
			break
		}
	}
	if job.ID == 0 {
		t.Fatal("fixture: no job in Berlin")
	}
	job.Name = "Paused? Not jobs"
	h.sim.UpsertJob(job)

	p := h.plan()
	var got []string
	for _, c := range p.Changes {
		got = append(got, c.Action+" "+c.Address)
	}
	want := []string{fmt.Sprintf("update employee.globex[%d]", globexEmp.ID), fmt.Sprintf("update job.acme[%d]", job.ID)}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("paused plan = %q, want %q", got, want)
	}
	h.apply()
	if after := acmeEmployees(); !slices.Equal(after, before) {
		t.Errorf("acme employees changed while paused (%d rows before, %d after)", len(before), len(after))
	}
	if got := h.linkedJobs()[fmt.Sprintf("acme/%d", job.ID)]; !strings.HasPrefix(got, "Paused? Not jobs|") {
		t.Errorf("acme job while employees are paused = %q", got)
	}
	var status struct {
		Companies []struct {
			Company, Kind string
			Enabled       bool
		} `json:"companies"`
	}
	out, _ := h.mustGS(0, "status", "-json")
	if err := json.Unmarshal([]byte(out), &status); err != nil {
		t.Fatal(err)
	}
	for _, c := range status.Companies {
		if wantOn := !(c.Company == "acme" && c.Kind == "employees"); c.Enabled != wantOn {
			t.Errorf("status %s %s enabled = %v, want %v", c.Company, c.Kind, c.Enabled, wantOn)
		}
	}

	// Back on: the paused changes arrive.
	h.setConfig(e2eCompanies)
	p = h.plan()
	if got, want := p.actions(), map[string]int{"employee create": 1, "employee update": 1, "employee delete": 2}; !maps.Equal(got, want) {
		t.Errorf("plan after resuming = %v, want %v", got, want)
	}
	h.apply()
	h.assertState(e2eMapping())
	h.noChanges()
}

// TestE2EAdoptByEmail: an unlinked employee of the same company with the
// same email (in another case) is adopted, not duplicated; one of another
// company is not.
func TestE2EAdoptByEmail(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	a := h.pickEmployee(inOffice(officeBerlin))
	b := h.pickEmployee(func(e personiosim.Employee) bool { return inOffice(officeBerlin)(e) && e.ID != a.ID })

	var acmeID, globexID, rowA, rowB int64
	ctx := t.Context()
	if err := h.db.QueryRow(ctx, "insert into companies (slug, name) values ('acme', 'Acme GmbH') returning id").Scan(&acmeID); err != nil {
		t.Fatal(err)
	}
	if err := h.db.QueryRow(ctx, "insert into companies (slug, name) values ('globex', 'Globex AG') returning id").Scan(&globexID); err != nil {
		t.Fatal(err)
	}
	if err := h.db.QueryRow(ctx, "insert into employees (company_id, first_name, last_name, email, position) values ($1, 'Hand', 'Made', $2, 'typed in by HR') returning id",
		acmeID, strings.ToUpper(a.Email)).Scan(&rowA); err != nil {
		t.Fatal(err)
	}
	if err := h.db.QueryRow(ctx, "insert into employees (company_id, first_name, last_name, email) values ($1, 'Other', 'Company', $2) returning id",
		globexID, b.Email).Scan(&rowB); err != nil {
		t.Fatal(err)
	}

	p := h.plan()
	addrA, addrB := fmt.Sprintf("employee.acme[%d]", a.ID), fmt.Sprintf("employee.acme[%d]", b.ID)
	var sawA, sawB bool
	for _, c := range p.Changes {
		switch c.Address {
		case addrA:
			sawA = true
			if c.Action != "adopt" || c.TargetID != rowA || c.Before["first_name"] != "Hand" || c.After["first_name"] != a.FirstName {
				t.Errorf("%s: %s target %d before %v after %v; want adopt of row %d", addrA, c.Action, c.TargetID, c.Before, c.After, rowA)
			}
		case addrB:
			sawB = true
			if c.Action != "create" {
				t.Errorf("%s: %s, want create (the unlinked row with its email belongs to globex)", addrB, c.Action)
			}
		}
		if c.Type == "company" {
			t.Errorf("existing company planned: %s %s", c.Action, c.Address)
		}
	}
	if !sawA || !sawB {
		t.Fatalf("plan misses %s (%v) or %s (%v)", addrA, sawA, addrB, sawB)
	}
	if got := p.actions(); got["employee adopt"] != 1 || got["employee create"] != len(h.wantEmployees(e2eMapping()))-1 {
		t.Errorf("plan actions = %v", got)
	}
	text, _ := h.mustGS(0, "plan")
	if !strings.Contains(text, "# "+addrA+" will be adopted (linked by email)") {
		t.Errorf("text plan does not show the adoption:\n%s", text)
	}

	out := h.apply()
	if !strings.Contains(out, "1 changed") {
		t.Errorf("adoption not counted as a change:\n%s", out[strings.LastIndex(out, "Apply complete"):])
	}
	if got := h.query("select id, external_source, external_id, first_name, last_name, email, position from employees where id = $1", rowA); !slices.Equal(got, []string{
		fmt.Sprintf("%d|personio|%d|%s|%s|%s|%s", rowA, a.ID, a.FirstName, a.LastName, a.Email, a.Position),
	}) {
		t.Errorf("adopted row = %q", got)
	}
	if got := h.query("select external_source, first_name from employees where id = $1", rowB); !slices.Equal(got, []string{"NULL|Other"}) {
		t.Errorf("globex's unlinked row = %q, want it untouched", got)
	}
	if n := h.count("select count(*) from employees where lower(email) = lower($1)", a.Email); n != 1 {
		t.Errorf("%d rows with the adopted email, want 1", n)
	}
	if got := h.query("select run_id, action, target_id from sync_changes where address = $1", addrA); !slices.Equal(got, []string{fmt.Sprintf("1|adopt|%d", rowA)}) {
		t.Errorf("sync log of the adoption = %q", got)
	}
	h.assertState(e2eMapping())
	h.noChanges()
}
