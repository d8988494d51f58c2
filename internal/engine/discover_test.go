package engine

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/personio"
	"github.com/gridwork/gridsync/internal/personio/personiosim"
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
	c, err := r.newClient(cfg, personio.Credentials{ClientID: personiosim.DefaultClientID, ClientSecret: personiosim.DefaultClientSecret}, nil)
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
	rep, err := readOffices(context.Background(), cfg, client)
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
