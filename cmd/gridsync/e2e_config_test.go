package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gridwork/gridsync/internal/personio/personiosim"
)

// TestE2ECompanyFilter: -company limits a plan to a company; a company
// that left the configuration is unlinked only by a plan without -company.
func TestE2ECompanyFilter(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	globexOnly := mapping{"globex": e2eMapping()["globex"]}

	p := h.plan("-company", "globex")
	if p.AllCompanies {
		t.Error("all_companies is true with -company")
	}
	for _, c := range p.Changes {
		if c.Company != "globex" {
			t.Errorf("-company globex plans %s %s", c.Action, c.Address)
		}
	}
	if got, want := p.actions()["employee create"], len(h.wantEmployees(globexOnly)); got != want {
		t.Errorf("-company globex creates %d employees, want %d", got, want)
	}
	h.mustGS(0, "plan", "-company", "globex", "-out", "globex.plan")
	h.mustGS(0, "apply", "globex.plan")
	h.assertState(globexOnly)
	if got := h.query("select slug from companies order by slug"); !slices.Equal(got, []string{"globex"}) {
		t.Errorf("companies after the globex-only apply = %q", got)
	}
	h.mustGS(0, "plan", "-company", "globex", "-detailed-exitcode")
	h.mustGS(2, "plan", "-company", "acme", "-detailed-exitcode")
	before := h.sim.Stats()
	_, stderr, code := h.gs("plan", "-company", "initech")
	if code != 1 || !strings.Contains(stderr, `Unknown company "initech"`) {
		t.Errorf("plan -company initech: exit %d\n%s", code, stderr)
	}
	// A typo is reported before Personio is read (minutes on a large tenant).
	if after := h.sim.Stats(); !maps.EqualFunc(before, after, maps.Equal) {
		t.Errorf("plan -company initech talked to Personio: requests %v, then %v", before, after)
	}

	h.apply()
	h.assertState(e2eMapping())
	globexEmployees := h.count("select count(*) from employees e join companies c on c.id = e.company_id where c.slug = 'globex'")
	globexJobs := h.count("select count(*) from jobs j join companies c on c.id = j.company_id where c.slug = 'globex'")

	// globex leaves the configuration.
	h.setConfig(e2eCompanies[:strings.Index(e2eCompanies, `company "globex"`)])
	h.mustGS(0, "plan", "-company", "acme", "-detailed-exitcode")
	p = h.plan()
	// Its records are unlinked and its one mapped location (hamburg) loses
	// the office mapping that no longer syncs.
	want := map[string]int{"employee unlink": globexEmployees, "job unlink": globexJobs, "location update": 1}
	if got := p.actions(); !maps.Equal(got, want) {
		t.Errorf("plan after globex left = %v, want %v", got, want)
	}
	h.apply("-allow-mass-delete")
	if got := h.query(`select count(*), count(e.external_id) from employees e join companies c on c.id = e.company_id where c.slug = 'globex'`); !slices.Equal(got, []string{fmt.Sprintf("%d|0", globexEmployees)}) {
		t.Errorf("globex employees (rows, linked) = %q, want %d kept and none linked", got, globexEmployees)
	}
	if got := h.query("select slug from companies order by slug"); !slices.Equal(got, []string{"acme", "globex"}) {
		t.Errorf("companies = %q; gridsync never deletes companies", got)
	}
	if got := h.query(`select l.slug, coalesce(l.personio_office_id::text, 'unmapped') from locations l join companies c on c.id = l.company_id where c.slug = 'globex'`); !slices.Equal(got, []string{"hamburg|unmapped"}) {
		t.Errorf("globex locations after it left = %q, want hamburg kept and unmapped", got)
	}
	h.assertState(mapping{"acme": e2eMapping()["acme"]})
	h.noChanges()
}

// status returns status -json as "company kind" → its toggle, last run,
// linked records and last sync.
func (h *e2e) status() map[string]string {
	h.t.Helper()
	m := map[string]string{}
	for key, c := range h.syncStatus() {
		synced, run := "never", "-"
		if c.LastSyncedAt != nil {
			synced = c.LastSyncedAt.UTC().Format(time.RFC3339Nano)
		}
		if c.LastRunID != nil {
			run = strconv.FormatInt(*c.LastRunID, 10)
		}
		m[key] = fmt.Sprintf("enabled=%v run=%s linked=%d at=%s", c.Enabled, run, c.Linked, synced)
	}
	return m
}

// TestE2EStatusAndHistory: after two applies, status shows each company's
// last sync and linked counts, and history the two runs with their counts.
func TestE2EStatusAndHistory(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	perCompany := func(m map[string]string, company string) int {
		n := 0
		for k := range m {
			if strings.HasPrefix(k, company+"/") {
				n++
			}
		}
		return n
	}
	emps, jobs := h.wantEmployees(e2eMapping()), h.wantJobs(e2eMapping())

	h.apply()
	first := h.status()
	var t1 string
	for k, v := range first {
		at := v[strings.Index(v, "at=")+3:]
		if t1 == "" {
			t1 = at
		}
		if at != t1 || !strings.Contains(v, "enabled=true run=1 ") {
			t.Errorf("status after run 1: %s: %s", k, v)
		}
	}

	// Run 2: one rename in acme, globex's employees paused.
	e := h.pickEmployee(inOffice(officeBerlin))
	e.FirstName = "Zweite"
	h.sim.UpsertEmployee(e)
	h.setConfig(strings.Replace(e2eCompanies, `name = "Globex AG"`, `name = "Globex AG"

  sync {
    employees = "off"
  }`, 1))
	h.apply()
	second := h.status()
	t2 := second["acme employees"][strings.Index(second["acme employees"], "at=")+3:]
	if t2 <= t1 {
		t.Errorf("run 2 synced at %s, not after run 1 at %s", t2, t1)
	}
	want := map[string]string{
		"acme employees":   fmt.Sprintf("enabled=true run=2 linked=%d at=%s", perCompany(emps, "acme"), t2),
		"acme jobs":        fmt.Sprintf("enabled=true run=2 linked=%d at=%s", perCompany(jobs, "acme"), t2),
		"globex employees": fmt.Sprintf("enabled=false run=1 linked=%d at=%s", perCompany(emps, "globex"), t1),
		"globex jobs":      fmt.Sprintf("enabled=true run=2 linked=%d at=%s", perCompany(jobs, "globex"), t2),
	}
	if !maps.Equal(second, want) {
		t.Errorf("status after run 2:\n%v\nwant:\n%v", second, want)
	}

	out, _ := h.mustGS(0, "history", "-json")
	var hist struct {
		FormatVersion string `json:"format_version"`
		Runs          []struct {
			ID                                           int64
			StartedAt                                    time.Time `json:"started_at"`
			FinishedAt                                   time.Time `json:"finished_at"`
			Outcome, Actor                               string
			GitCommit                                    string `json:"git_commit"`
			ConfigDigest                                 string `json:"config_digest"`
			Created, Updated, Adopted, Unlinked, Deleted int
			RowsWritten                                  int64 `json:"rows_written"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &hist); err != nil {
		t.Fatalf("history -json: %v\n%s", err, out)
	}
	if len(hist.Runs) != 2 {
		t.Fatalf("history has %d runs, want 2:\n%s", len(hist.Runs), out)
	}
	type counts struct {
		id                                           int64
		created, updated, adopted, unlinked, deleted int
		rows                                         int64
	}
	wantCreated := 2 + 4 + len(emps) + len(jobs)
	wantCounts := []counts{{2, 0, 1, 0, 0, 0, 1}, {1, wantCreated, 0, 0, 0, 0, int64(wantCreated)}}
	for i, r := range hist.Runs {
		got := counts{r.ID, r.Created, r.Updated, r.Adopted, r.Unlinked, r.Deleted, r.RowsWritten}
		if got != wantCounts[i] {
			t.Errorf("history run %d: %+v, want %+v", i, got, wantCounts[i])
		}
		if r.Outcome != "succeeded" || r.Actor != "e2e-bot" || r.GitCommit != h.env["GITHUB_SHA"] || len(r.ConfigDigest) != 64 || r.FinishedAt.Before(r.StartedAt) {
			t.Errorf("history run %d: %+v", r.ID, r)
		}
	}
	if hist.Runs[0].ConfigDigest == hist.Runs[1].ConfigDigest {
		t.Error("the config changed between the runs but their config digests are equal")
	}
	if !hist.Runs[1].StartedAt.Before(hist.Runs[0].StartedAt) {
		t.Errorf("run 1 started %s, not before run 2 at %s", hist.Runs[1].StartedAt, hist.Runs[0].StartedAt)
	}
	out, _ = h.mustGS(0, "history", "-json", "-limit", "1")
	if err := json.Unmarshal([]byte(out), &hist); err != nil || len(hist.Runs) != 1 || hist.Runs[0].ID != 2 {
		t.Errorf("history -limit 1 = %s (%v)", out, err)
	}
}

var update = flag.Bool("update", false, "rewrite the golden files of the end-to-end tests")

// TestE2EPlanGolden pins the text and JSON plans gridsync prints for one
// change of each action, end to end. Run with -update to rewrite them.
func TestE2EPlanGolden(t *testing.T) {
	h := newE2E(t, e2eOptions{Employees: 40, Jobs: 6})
	h.apply()

	renamed := h.pickEmployee(inOffice(officeBerlin))
	renamed.FirstName, renamed.Position = "Renée", "Staff Engineer"
	h.sim.UpsertEmployee(renamed)
	terminated := h.pickEmployee(inOffice(officeMunich))
	terminated.Status = "inactive"
	h.sim.UpsertEmployee(terminated)
	moved := h.pickEmployee(inOffice(officeHamburg))
	moved.OfficeID = officeVienna
	h.sim.UpsertEmployee(moved)
	const hired = 5000
	h.sim.UpsertEmployee(personiosim.Employee{ID: hired, FirstName: "Łukasz", LastName: "Nowak", Gender: "male", Position: "Site Reliability Engineer", Email: "lukasz.nowak@acme.example", Status: "active", OfficeID: officeBerlin, HasPicture: true})
	h.sim.UpsertEmployee(personiosim.Employee{ID: hired + 1, FirstName: "Ada", LastName: "Adopted", Email: "ada@acme.example", Status: "onboarding", OfficeID: officeMunich})
	if _, err := h.db.Exec(t.Context(), `insert into employees (company_id, first_name, last_name, email)
		select id, 'Ada', 'Handmade', 'ADA@acme.example' from companies where slug = 'acme'`); err != nil {
		t.Fatal(err)
	}
	j := h.sim.Jobs()[1]
	j.Name = "Senior " + j.Name
	h.sim.UpsertJob(j)

	normalize := func(s string) string {
		s = strings.ReplaceAll(s, h.url, "http://personio.test")
		s = regexp.MustCompile(`"(config|personio|target)": "[0-9a-f]{64}"`).ReplaceAllString(s, `"$1": "<digest>"`)
		return regexp.MustCompile(`"created_at": "[^"]*"`).ReplaceAllString(s, `"created_at": "<time>"`)
	}
	for _, g := range []struct {
		file string
		args []string
	}{
		{"changes.txt", []string{"plan"}},
		{"changes.json", []string{"plan", "-json"}},
	} {
		t.Run(g.file, func(t *testing.T) {
			out, _ := h.mustGS(0, g.args...)
			golden(t, filepath.Join("testdata", "e2e", g.file), normalize(out))
		})
	}
}

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestE2EOfficeRenamed: a location mapped by office_id follows a renamed
// Personio office; one mapped by name stops with a hint and writes nothing.
func TestE2EOfficeRenamed(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	h.apply()
	rename := func(id int64, from, to string) {
		h.sim.UpsertOffice(personiosim.Office{ID: id, Name: to})
		// Personio renames the office in the job feed as well.
		for _, j := range h.sim.Jobs() {
			changed := j.Office == from
			if changed {
				j.Office = to
			}
			for i, o := range j.AdditionalOffices {
				if o == from {
					j.AdditionalOffices[i], changed = to, true
				}
			}
			if changed {
				h.sim.UpsertJob(j)
			}
		}
	}

	rename(officeHamburg, "Hamburg", "Hamburg-Altona")
	p := h.plan()
	if len(p.Changes) != 1 || p.Changes[0].Address != "location.globex.hamburg" || p.Changes[0].Action != "update" ||
		p.Changes[0].Before["office_name"] != "Hamburg" || p.Changes[0].After["office_name"] != "Hamburg-Altona" || p.Changes[0].After["office_id"] != "1003" {
		t.Errorf("plan after renaming an office mapped by id: %+v", p.Changes)
	}
	h.apply()
	if got := h.query("select personio_office_name from locations where slug = 'hamburg'"); !slices.Equal(got, []string{"Hamburg-Altona"}) {
		t.Errorf("office name = %q", got)
	}
	h.noChanges()

	rename(officeBerlin, "Berlin", "Berlin Mitte")
	sum := h.checksum()
	for _, cmd := range [][]string{{"plan"}, {"apply", "-auto-approve"}} {
		out, stderr, code := h.gs(cmd...)
		if code != 1 || out != "" || !strings.Contains(stderr, `Personio office "Berlin" was renamed`) ||
			!strings.Contains(stderr, `Write office = "Berlin Mitte", or office_id = 1001`) || !strings.Contains(stderr, "gridsync.hcl line") {
			t.Errorf("%s: exit %d\nstdout:\n%s\nstderr:\n%s", cmd[0], code, out, stderr)
		}
	}
	if h.checksum() != sum {
		t.Error("a configuration error changed the database")
	}
	h.setConfig(strings.Replace(e2eCompanies, `office = "Berlin"`, `office = "Berlin Mitte"`, 1))
	p = h.plan()
	if got := p.actions(); !maps.Equal(got, map[string]int{"location update": 1}) {
		t.Errorf("plan after following the rename: %v", got)
	}
}

// TestE2ESchemaBehind: plan and apply refuse an unmigrated database and
// name the command that fixes it.
func TestE2ESchemaBehind(t *testing.T) {
	h := newE2E(t, e2eOptions{NoMigrate: true})
	for _, cmd := range [][]string{{"plan"}, {"apply", "-auto-approve"}} {
		out, stderr, code := h.gs(cmd...)
		if code != 1 || out != "" || !strings.Contains(stderr, "gridsync migrate") {
			t.Errorf("%s on an empty database: exit %d\nstdout:\n%s\nstderr:\n%s", cmd[0], code, out, stderr)
		}
	}
	if n := h.count("select count(*) from pg_tables where schemaname = 'public'"); n != 0 {
		t.Errorf("%d tables created without migrate", n)
	}
	h.mustGS(0, "migrate")
	h.apply()
	h.assertState(e2eMapping())
}
