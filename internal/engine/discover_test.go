package engine

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/personio"
	"github.com/gridwork/gridsync/internal/personio/personiosim"
	"github.com/gridwork/gridsync/schema"
)

// discoverClient returns a configuration of companies against a simulator
// serving sim, and a client for it.
func discoverClient(t *testing.T, sim *personiosim.Server, companies string, mod func(*personio.Options)) (*config.Config, *personio.Client) {
	t.Helper()
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	src := "personio {\n  tenant = \"acme\"\n  credentials = \"secrets/personio.enc.yaml\"\n" +
		"  api_url = \"" + srv.URL + "\"\n  jobs_url = \"" + srv.URL + "\"\n}\n" + companies
	if err := os.WriteFile(filepath.Join(dir, "gridsync.hcl"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, diags := config.Loader{}.Load(dir)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	r := &Runner{PersonioOptions: func(o *personio.Options) {
		o.RateLimit = 1e6
		if mod != nil {
			mod(o)
		}
	}}
	c, err := r.NewClient(cfg, personio.Credentials{ClientID: personiosim.DefaultClientID, ClientSecret: personiosim.DefaultClientSecret}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, c
}

// simCounts counts the simulator's employees per office id and status.
func simCounts(sim *personiosim.Server) (map[int64]map[string]int, int) {
	out := map[int64]map[string]int{}
	without := 0
	for _, e := range sim.Employees() {
		if e.OfficeID == 0 {
			without++
			continue
		}
		if out[e.OfficeID] == nil {
			out[e.OfficeID] = map[string]int{}
		}
		out[e.OfficeID][e.Status]++
	}
	return out, without
}

// TestCountOfficesReadAgain: when the listing moves under the read, the
// counts start over with the second read and equal the tenant's after
// the move: nobody counted twice, nobody left out.
func TestCountOfficesReadAgain(t *testing.T) {
	sim := personiosim.New(personiosim.Options{
		Dataset: personiosim.Generate(personiosim.GenerateOptions{Seed: 3, Employees: 1000, Offices: 5}),
		Faults:  personiosim.Faults{ShiftEvery: 3, ShiftTimes: 1},
	})
	_, client := discoverClient(t, sim, "", func(o *personio.Options) { o.Concurrency = 1 })
	rep, err := CountOffices(context.Background(), client)
	if err != nil {
		t.Fatal(err)
	}
	if sim.Shifts() != 1 {
		t.Fatalf("the listing moved %d times, want once", sim.Shifts())
	}
	want, without := simCounts(sim)
	got := map[int64]map[string]int{}
	for _, o := range rep.Offices {
		got[o.ID] = o.Employees
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("counts per office (-want +got):\n%s", d)
	}
	if rep.Employees != 1000 || rep.WithoutOffice != without {
		t.Errorf("%d employees, %d without office; want 1000, %d", rep.Employees, rep.WithoutOffice, without)
	}
}

// TestReadOfficesMapsLocations: locations map offices by name and by id;
// a name only the feed has is an office of its own, mapped by name.
func TestReadOfficesMapsLocations(t *testing.T) {
	sim := personiosim.New(personiosim.Options{
		Dataset: personiosim.Generate(personiosim.GenerateOptions{Seed: 3, Employees: 200, Offices: 3, Jobs: 8}),
	})
	cfg, client := discoverClient(t, sim, `
company "acme" {
  name = "Acme"
  location "b" {
    name   = "B"
    office = "Berlin"
  }
  location "m" {
    name      = "M"
    office_id = 1002
  }
  location "v" {
    name   = "V"
    office = "Vienna"
  }
}
`, nil)
	rep, err := ReadOffices(context.Background(), cfg, client)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	ids := map[string]int64{}
	for _, o := range rep.Offices {
		got[o.Name] = o.Locations
		ids[o.Name] = o.ID
	}
	want := map[string][]string{"Berlin": {"location.acme.b"}, "Munich": {"location.acme.m"}, "Hamburg": {}, "Vienna": {"location.acme.v"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("locations (-want +got):\n%s", d)
	}
	if ids["Vienna"] != 0 || rep.Positions != 8 {
		t.Errorf("Vienna (feed only) has id %d; %d positions", ids["Vienna"], rep.Positions)
	}
	if diags, warnings := CheckOffices(cfg, rep); len(diags) > 0 || len(warnings) > 0 {
		t.Errorf("every mapping resolves, but: %v %v", diags, warnings)
	}
}

// TestOfficesJSONSchema: the -json output validates against
// schema/offices.schema.json in every shape (ids unknown, feed unread,
// statuses beyond the four), and the schema rejects what it must.
func TestOfficesJSONSchema(t *testing.T) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.OfficesSchema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schema.OfficesSchemaURL, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(schema.OfficesSchemaURL)
	if err != nil {
		t.Fatal(err)
	}
	full := &OfficeReport{Offices: []OfficeInfo{
		{ID: 1, Name: "Berlin", Employees: map[string]int{"active": 120, "inactive": 8}, OpenJobs: 3, Locations: []string{"location.acme.berlin-hq"}},
		{Name: "Lisbon", Employees: map[string]int{}, OpenJobs: 1},
		{ID: 7, Name: "Oslo", Employees: map[string]int{"probation": 2}},
	}}
	unread := &OfficeReport{Offices: full.Offices, JobsUnavailable: "404"}
	for name, rep := range map[string]*OfficeReport{"full": full, "feed unread": unread, "empty": {}} {
		var b bytes.Buffer
		if err := RenderOfficesJSON(&b, rep); err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s: does not match the schema: %v\n%s", name, err, b.String())
		}
		if name == "feed unread" && !strings.Contains(b.String(), `"open_jobs": null`) {
			t.Errorf("open_jobs is not null without a feed:\n%s", b.String())
		}
		if name == "full" {
			for _, want := range []string{`"id": null`, `"locations": []`, `"onboarding": 0`, `"probation": 2`} {
				if !strings.Contains(b.String(), want) {
					t.Errorf("the document lacks %s:\n%s", want, b.String())
				}
			}
		}
	}
	var b bytes.Buffer
	if err := RenderOfficesJSON(&b, full); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct{ from, to string }{
		{`"format_version": "1"`, `"format_version": "2"`},
		{`"id": 1,`, `"id": 0,`},
		{`"open_jobs": 3`, `"open_jobs": -1`},
		{`"active": 120,`, ``},
		{`"name": "Berlin",`, `"name": "Berlin", "extra": true,`},
		{`"location.acme.berlin-hq"`, `"acme.berlin-hq"`},
	} {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(strings.Replace(b.String(), bad.from, bad.to, 1)))
		if err != nil {
			t.Fatalf("%s: %v", bad.to, err)
		}
		if sch.Validate(inst) == nil {
			t.Errorf("the schema accepts %s", bad.to)
		}
	}
}

// TestRenderOfficesText: columns line up, whatever the width of names.
func TestRenderOfficesText(t *testing.T) {
	rep := &OfficeReport{Employees: 131, Positions: 4, Offices: []OfficeInfo{
		{ID: 1001, Name: "Berlin", Employees: map[string]int{"active": 120, "inactive": 8}, OpenJobs: 3, Locations: []string{"location.acme.berlin-hq"}},
		{Name: "Zürich", Employees: map[string]int{}, OpenJobs: 1},
		{ID: 12, Name: "Düsseldorf Süd", Employees: map[string]int{"leave": 3}},
	}}
	var b bytes.Buffer
	if err := RenderOfficesText(&b, rep, OfficesTextOptions{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	col := func(l, what string) int { return len([]rune(l[:strings.Index(l, what)])) }
	header := lines[0]
	if got, want := strings.TrimRight(lines[0], " "), "  ID  OFFICE          ACTIVE  ONBOARDING  ON LEAVE  INACTIVE  OPEN JOBS  LOCATIONS"; got != want {
		t.Errorf("header:\n%q\nwant\n%q", got, want)
	}
	for i, want := range []string{"location.acme.berlin-hq", "(unmapped)", "(unmapped)"} {
		if got := col(lines[i+1], want); got != col(header, "LOCATIONS") {
			t.Errorf("row %d: locations at column %d, header at %d:\n%s", i+1, got, col(header, "LOCATIONS"), b.String())
		}
	}
	for _, want := range []string{"   ?  Zürich", "3 offices: 1 mapped, 2 unmapped. 131 employees, 4 open positions."} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the table lacks %q:\n%s", want, b.String())
		}
	}
}
