package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gridwork/gridsync/internal/personio"
	"github.com/gridwork/gridsync/internal/personio/personiosim"
	"github.com/gridwork/gridsync/internal/store/storetest"
)

// The end-to-end tests drive the real CLI in-process (run) against a
// simulated Personio tenant behind httptest and a fresh PostgreSQL database
// per test. They need the local PostgreSQL; storetest skips (or fails under
// CI) when it is unreachable.

// e2eCompanies is the configuration most tests start from: acme maps Berlin
// by name and Munich by name and has a location without an office; globex
// maps Hamburg by id. Vienna (and the feed's fifth office) stay unmapped.
const e2eCompanies = `
company "acme" {
  name = "Acme GmbH"

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }

  location "munich" {
    name   = "Munich"
    office = "Munich"
  }

  location "remote" {
    name = "Remote"
  }
}

company "globex" {
  name = "Globex AG"

  location "hamburg" {
    name      = "Hamburg"
    office_id = 1003
  }
}
`

// Office ids of the generated dataset.
const (
	officeBerlin  int64 = 1001
	officeMunich  int64 = 1002
	officeHamburg int64 = 1003
	officeVienna  int64 = 1004
)

// e2eOptions size a fixture; zero values take the defaults.
type e2eOptions struct {
	Employees    int    // default 100
	Jobs         int    // default 10
	ClientSecret string // the simulator's; default the demo secret the SOPS file holds
	NoMigrate    bool   // leave the database empty
}

// e2e is one end-to-end fixture: simulator, database, configuration dir.
type e2e struct {
	t     *testing.T
	sim   *personiosim.Server
	url   string // simulator base URL
	dir   string // configuration directory
	dbURL string
	env   map[string]string
	db    *pgx.Conn // the test's own connection, for checks and foreign writes
	// personio, when set, adjusts gridsync's Personio client (short
	// backoffs for tests of a failing Personio).
	personio func(*personio.Options)
}

func newE2E(t *testing.T, o e2eOptions) *e2e {
	t.Helper()
	if o.Employees == 0 {
		o.Employees = 100
	}
	if o.Jobs == 0 {
		o.Jobs = 10
	}
	dbURL := storetest.NewDatabase(t)

	sim := personiosim.New(personiosim.Options{
		Dataset:      personiosim.Generate(personiosim.GenerateOptions{Seed: 7, Employees: o.Employees, Offices: 4, Jobs: o.Jobs}),
		ClientSecret: o.ClientSecret,
	})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)

	example := filepath.Join("..", "..", "examples", "quickstart")
	key, err := filepath.Abs(filepath.Join(example, "demo-age-key.txt"))
	if err != nil {
		t.Fatal(err)
	}
	// sops reads the process environment; HOME and XDG_CONFIG_HOME keep it
	// away from the keys of whoever runs the tests.
	home := t.TempDir()
	t.Setenv("SOPS_AGE_KEY_FILE", key)
	t.Setenv("SOPS_AGE_KEY", "")
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))

	dir := t.TempDir()
	enc, err := os.ReadFile(filepath.Join(example, "secrets", "personio.enc.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "secrets"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "secrets", "personio.enc.yaml"), enc, 0o600); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })

	h := &e2e{
		t: t, sim: sim, url: srv.URL, dir: dir, dbURL: dbURL, db: conn,
		env: map[string]string{
			"GRIDWORK_DATABASE_URL": dbURL,
			"GITHUB_ACTOR":          "e2e-bot",
			"GITHUB_SHA":            "0123456789abcdef0123456789abcdef01234567",
		},
	}
	h.setConfig(e2eCompanies)
	if o.NoMigrate {
		return h
	}
	if out, errOut, code := h.gs("migrate"); code != 0 {
		t.Fatalf("migrate: exit %d\n%s%s", code, out, errOut)
	}
	return h
}

// setConfig writes gridsync.hcl: the personio block pointing at the
// simulator, then companies (HCL company blocks).
func (h *e2e) setConfig(companies string) {
	h.t.Helper()
	writeSimConfig(h.t, h.dir, h.url, companies)
}

// writeSimConfig writes dir/gridsync.hcl: Personio at the simulator at
// url, the database in GRIDWORK_DATABASE_URL, then companies.
func writeSimConfig(t *testing.T, dir, url, companies string) {
	t.Helper()
	hcl := fmt.Sprintf(`personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
  api_url     = %q
  jobs_url    = %q

  sync {
    employees = true
    jobs      = true
  }
}

target {
  database_url = env("GRIDWORK_DATABASE_URL")
}
%s`, url, url, companies)
	if err := os.WriteFile(filepath.Join(dir, "gridsync.hcl"), []byte(hcl), 0o644); err != nil {
		t.Fatal(err)
	}
}

// gs runs gridsync in-process with -chdir set to the fixture's directory.
func (h *e2e) gs(args ...string) (stdout, stderr string, code int) {
	h.t.Helper()
	return h.gsCtx(context.Background(), args...)
}

func (h *e2e) gsCtx(ctx context.Context, args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	args = append(slices.Clone(args), "-chdir", h.dir)
	env := maps.Clone(h.env)
	g := &globals{
		streams: streams{In: strings.NewReader(""), Out: &out, Err: &errb},
		getenv:  func(k string) string { return env[k] },
		factory: factory{personioOptions: h.personio},
	}
	code = runGlobals(ctx, g, args)
	return out.String(), errb.String(), code
}

// mustGS runs gridsync and fails the test unless it exits with want.
func (h *e2e) mustGS(want int, args ...string) (stdout, stderr string) {
	h.t.Helper()
	stdout, stderr, code := h.gs(args...)
	if code != want {
		h.t.Fatalf("gridsync %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, stdout, stderr)
	}
	return stdout, stderr
}

// apply runs apply -auto-approve and fails unless it succeeds.
func (h *e2e) apply(extra ...string) string {
	h.t.Helper()
	out, _ := h.mustGS(0, append([]string{"apply", "-auto-approve"}, extra...)...)
	if !strings.Contains(out, "Apply complete!") {
		h.t.Fatalf("apply printed no completion line:\n%s", out)
	}
	return out
}

// noChanges asserts that a plan finds nothing to do.
func (h *e2e) noChanges() {
	h.t.Helper()
	out, _ := h.mustGS(0, "plan", "-detailed-exitcode")
	if !strings.Contains(out, "No changes. Gridwork matches the configuration and Personio.") {
		h.t.Fatalf("plan after apply:\n%s", out)
	}
}

// planJSON is the part of the -json plan format the tests read.
type planJSON struct {
	FormatVersion string `json:"format_version"`
	AllCompanies  bool   `json:"all_companies"`
	Summary       struct {
		Add, Change, Unlink, Destroy int
	} `json:"summary"`
	Suspicious []string `json:"suspicious"`
	Changes    []struct {
		Address  string            `json:"address"`
		Type     string            `json:"type"`
		Company  string            `json:"company"`
		Key      string            `json:"key"`
		Action   string            `json:"action"`
		TargetID int64             `json:"target_id"`
		Before   map[string]string `json:"before"`
		After    map[string]string `json:"after"`
		Reason   string            `json:"reason"`
	} `json:"changes"`
}

// plan runs plan -json with extra flags and decodes the result.
func (h *e2e) plan(extra ...string) planJSON {
	h.t.Helper()
	out, _ := h.mustGS(0, append([]string{"plan", "-json"}, extra...)...)
	var p planJSON
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		h.t.Fatalf("plan -json is not JSON: %v\n%s", err, out)
	}
	if p.FormatVersion != "1.1" {
		h.t.Fatalf("format_version = %q", p.FormatVersion)
	}
	return p
}

// actions counts a plan's changes by "type action", e.g. "employee create".
func (p planJSON) actions() map[string]int {
	m := map[string]int{}
	for _, c := range p.Changes {
		m[c.Type+" "+c.Action]++
	}
	return m
}

// query returns the rows of sql as "|"-joined text columns.
func (h *e2e) query(sql string, args ...any) []string {
	h.t.Helper()
	rows, err := h.db.Query(context.Background(), sql, args...)
	if err != nil {
		h.t.Fatalf("%s: %v", sql, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			h.t.Fatal(err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			if v == nil {
				parts[i] = "NULL"
			} else {
				parts[i] = fmt.Sprint(v)
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := rows.Err(); err != nil {
		h.t.Fatalf("%s: %v", sql, err)
	}
	return out
}

// count runs a count(*) query.
func (h *e2e) count(sql string, args ...any) int {
	h.t.Helper()
	var n int
	if err := h.db.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		h.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// checksum fingerprints every row of tables (default: all target
// tables), timestamps included, so any write shows.
func (h *e2e) checksum(tables ...string) string {
	h.t.Helper()
	if len(tables) == 0 {
		tables = []string{"companies", "locations", "employees", "jobs", "company_sync", "sync_runs", "sync_changes"}
	}
	var parts []string
	for _, table := range tables {
		var sum string
		err := h.db.QueryRow(context.Background(),
			"select coalesce(md5(string_agg(t::text, E'\\n' order by t::text)), 'empty') from "+table+" t").Scan(&sum)
		if err != nil {
			h.t.Fatalf("checksum of %s: %v", table, err)
		}
		parts = append(parts, table+"="+sum)
	}
	return strings.Join(parts, " ")
}

// linkedEmployees returns the linked employees in the database as
// "company/personio-id" → "first|last|email|status|location".
func (h *e2e) linkedEmployees() map[string]string {
	h.t.Helper()
	rows := h.query(`select c.slug || '/' || e.external_id,
	       e.first_name || '|' || e.last_name || '|' || e.email || '|' || e.status || '|' || coalesce(l.slug, '')
	from employees e join companies c on c.id = e.company_id left join locations l on l.id = e.location_id
	where e.external_source = 'personio'`)
	return splitPairs(h.t, rows)
}

// linkedJobs returns the linked jobs as "company/personio-id" →
// "title|location|status".
func (h *e2e) linkedJobs() map[string]string {
	h.t.Helper()
	rows := h.query(`select c.slug || '/' || j.external_id, j.title || '|' || coalesce(l.slug, '') || '|' || j.status
	from jobs j join companies c on c.id = j.company_id left join locations l on l.id = j.location_id
	where j.external_source = 'personio'`)
	return splitPairs(h.t, rows)
}

func splitPairs(t *testing.T, rows []string) map[string]string {
	t.Helper()
	m := make(map[string]string, len(rows))
	for _, r := range rows {
		k, v, _ := strings.Cut(r, "|")
		if _, dup := m[k]; dup {
			t.Fatalf("%s appears twice", k)
		}
		m[k] = v
	}
	return m
}

// mapping is a company's office mapping: Personio office id → location
// slug, as in the configuration under test.
type mapping map[string]map[int64]string

// e2eMapping is the mapping of e2eCompanies.
func e2eMapping() mapping {
	return mapping{
		"acme":   {officeBerlin: "berlin-hq", officeMunich: "munich"},
		"globex": {officeHamburg: "hamburg"},
	}
}

// syncedStatus is the default status filter.
func syncedStatus(s string) bool { return s == "active" || s == "onboarding" || s == "leave" }

// wantEmployees computes, independently of package plan, which employees
// should be linked: those in a mapped office with a synced status.
func (h *e2e) wantEmployees(m mapping) map[string]string {
	out := map[string]string{}
	for _, e := range h.sim.Employees() {
		if !syncedStatus(e.Status) {
			continue
		}
		for company, offices := range m {
			if loc, ok := offices[e.OfficeID]; ok {
				out[company+"/"+strconv.FormatInt(e.ID, 10)] = strings.Join([]string{e.FirstName, e.LastName, e.Email, e.Status, loc}, "|")
			}
		}
	}
	return out
}

// wantJobs computes which feed positions should be linked: the office, or
// else the first mapped additional office, is mapped in the company.
func (h *e2e) wantJobs(m mapping) map[string]string {
	names := map[int64]string{}
	for _, o := range h.sim.Dataset().Offices {
		names[o.ID] = o.Name
	}
	out := map[string]string{}
	for _, j := range h.sim.Jobs() {
		for company, offices := range m {
			byName := map[string]string{}
			for id, loc := range offices {
				byName[names[id]] = loc
			}
			loc, ok := byName[j.Office]
			for _, o := range j.AdditionalOffices {
				if ok {
					break
				}
				loc, ok = byName[o]
			}
			if ok {
				out[company+"/"+strconv.FormatInt(j.ID, 10)] = j.Name + "|" + loc + "|published"
			}
		}
	}
	return out
}

// assertState checks that the linked employees and jobs in the database
// are exactly the ones m and the simulator call for.
func (h *e2e) assertState(m mapping) {
	h.t.Helper()
	diffMaps(h.t, "linked employees", h.linkedEmployees(), h.wantEmployees(m))
	diffMaps(h.t, "linked jobs", h.linkedJobs(), h.wantJobs(m))
}

func diffMaps(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	var diffs []string
	for k, w := range want {
		if g, ok := got[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("missing %s (%s)", k, w))
		} else if g != w {
			diffs = append(diffs, fmt.Sprintf("%s = %q, want %q", k, g, w))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("unexpected %s (%s)", k, g))
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		if len(diffs) > 20 {
			diffs = append(diffs[:20], fmt.Sprintf("… and %d more", len(diffs)-20))
		}
		t.Errorf("%s: %d got, %d want:\n%s", what, len(got), len(want), strings.Join(diffs, "\n"))
	}
}

// pickEmployee returns the first simulated employee (by id) that ok
// accepts; the test fails when there is none.
func (h *e2e) pickEmployee(ok func(personiosim.Employee) bool) personiosim.Employee {
	h.t.Helper()
	for _, e := range h.sim.Employees() {
		if ok(e) {
			return e
		}
	}
	h.t.Fatal("the generated dataset has no employee that fits")
	return personiosim.Employee{}
}

// inOffice accepts synced employees of office.
func inOffice(office int64) func(personiosim.Employee) bool {
	return func(e personiosim.Employee) bool { return e.OfficeID == office && syncedStatus(e.Status) }
}

// nextEmployeeID is one more than the highest simulated employee id.
func (h *e2e) nextEmployeeID() int64 {
	emps := h.sim.Employees()
	return emps[len(emps)-1].ID + 1
}
