package personiosim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAdminEmployees(t *testing.T) {
	ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 1, Employees: 3, Offices: 2})})
	tests := []struct {
		name, method, path, body string
		want                     int
	}{
		{"create with id", "POST", "/_sim/employees", `{"id":10,"first_name":"Łukasz","last_name":"Nowak","email":"lukasz@acme.example","status":"onboarding","office_id":1001}`, 201},
		{"create without id", "POST", "/_sim/employees", `{"first_name":"New","last_name":"Hire","email":"new@acme.example"}`, 201},
		{"update by path", "PUT", "/_sim/employees/10", `{"first_name":"Łukasz","last_name":"Nowak","email":"lukasz@acme.example","status":"leave","office_id":1002}`, 200},
		{"unknown office", "PUT", "/_sim/employees/12", `{"first_name":"X","last_name":"Y","email":"x@y","status":"active","office_id":4242}`, 400},
		{"bad status", "PUT", "/_sim/employees/12", `{"first_name":"X","last_name":"Y","email":"x@y","status":"retired"}`, 400},
		{"unknown field", "POST", "/_sim/employees", `{"firstname":"X"}`, 400},
		{"bad id", "PUT", "/_sim/employees/abc", `{}`, 400},
		{"delete", "DELETE", "/_sim/employees/2", ``, 204},
		{"delete missing", "DELETE", "/_sim/employees/2", ``, 404},
		{"get one", "GET", "/_sim/employees/10", ``, 200},
		{"get missing", "GET", "/_sim/employees/2", ``, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if status, _, b := ts.do(tt.method, tt.path, "", "application/json", tt.body); status != tt.want {
				t.Fatalf("status %d, want %d: %s", status, tt.want, b)
			}
		})
	}
	var got []Employee
	_, _, b := ts.do("GET", "/_sim/employees", "", "", "")
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, e := range got {
		ids = append(ids, e.ID)
	}
	if want := []int64{1, 3, 10, 11}; len(ids) != len(want) || ids[0] != 1 || ids[1] != 3 || ids[2] != 10 || ids[3] != 11 {
		t.Fatalf("ids %v, want %v", ids, want)
	}
	if e := got[2]; e.Status != "leave" || e.OfficeID != 1002 || e.FirstName != "Łukasz" {
		t.Errorf("employee 10 = %+v, want the update", e)
	}
	if e := got[3]; e.Status != "active" {
		t.Errorf("created without status: %q, want active", e.Status)
	}
	// The API serves the change at once.
	_, p, _ := ts.page(ts.token(), url.Values{"email": {"lukasz@acme.example"}})
	var st attr
	if len(p.Data) != 1 || json.Unmarshal(p.Data[0].Attributes["status"], &st) != nil || string(st.Value) != `"leave"` {
		t.Errorf("API after admin update: %+v", p.Data)
	}
}

func TestAdminJobs(t *testing.T) {
	ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 1, Employees: 1, Offices: 1, Jobs: 2})})
	steps := []struct {
		method, path, body string
		want               int
	}{
		{"POST", "/_sim/jobs", `{"name":"Chef (m/w/d)","office":"Berlin","employment_type":"permanent","schedule":"part-time","created_at":"2025-03-01T10:00:00Z"}`, 201},
		{"PUT", "/_sim/jobs/9001", `{"name":"Renamed","office":"Munich","employment_type":"intern","schedule":"full-time"}`, 200},
		{"DELETE", "/_sim/jobs/9002", ``, 204},
		{"DELETE", "/_sim/jobs/9002", ``, 404},
	}
	for _, s := range steps {
		if status, _, b := ts.do(s.method, s.path, "", "application/json", s.body); status != s.want {
			t.Fatalf("%s %s: status %d, want %d: %s", s.method, s.path, status, s.want, b)
		}
	}
	jobs := ts.Jobs()
	if len(jobs) != 2 || jobs[0].Name != "Renamed" || jobs[1].ID != 9003 || jobs[1].Name != "Chef (m/w/d)" {
		t.Errorf("jobs %+v", jobs)
	}
}

// TestAdminConcurrentCreates posts records without ids at once: each gets
// its own id and a 201, none overwrites another.
func TestAdminConcurrentCreates(t *testing.T) {
	ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 1, Employees: 1, Offices: 1, Jobs: 1})})
	const n = 300
	var wg sync.WaitGroup
	statuses := make(chan int, 2*n)
	for i := range n {
		wg.Go(func() {
			status, _, _ := ts.do("POST", "/_sim/employees", "", "application/json", fmt.Sprintf(`{"first_name":"N","last_name":"N","email":"n%d@acme.example"}`, i))
			statuses <- status
		})
		wg.Go(func() {
			status, _, _ := ts.do("POST", "/_sim/jobs", "", "application/json", `{"name":"Chef","office":"Berlin"}`)
			statuses <- status
		})
	}
	wg.Wait()
	close(statuses)
	for status := range statuses {
		if status != http.StatusCreated {
			t.Errorf("status %d, want 201", status)
		}
	}
	if got := len(ts.Employees()); got != 1+n {
		t.Errorf("%d employees after %d creates, want %d", got, n, 1+n)
	}
	if got := len(ts.Jobs()); got != 1+n {
		t.Errorf("%d jobs after %d creates, want %d", got, n, 1+n)
	}
}

func TestAdminFaultsAndStats(t *testing.T) {
	ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 1, Employees: 5, Offices: 1})})
	tok := ts.token()
	if status, _, b := ts.do("PUT", "/_sim/faults", "", "application/json", `{"rate_per_minute":1,"rate_window":"1h","retry_after":true}`); status != 200 {
		t.Fatalf("put faults: %d %s", status, b)
	}
	if f := ts.Faults(); f.RatePerMinute != 1 || f.RateWindow != time.Hour || !f.RetryAfter {
		t.Fatalf("faults %+v", f)
	}
	if status, _, b := ts.do("PUT", "/_sim/faults", "", "application/json", `{"retry_afer":true}`); status != 400 || !strings.Contains(string(b), `unknown field \"retry_afer\"`) {
		t.Errorf("a misspelt fault: %d %s", status, b)
	}
	if f := ts.Faults(); !f.RetryAfter || f.RatePerMinute != 1 {
		t.Errorf("a refused PUT changed the faults: %+v", f)
	}
	if status, _, _ := ts.do("PUT", "/_sim/faults", "", "application/json", `{"error_rate":2}`); status != 400 {
		t.Errorf("error_rate 2: status %d, want 400", status)
	}
	ts.do("GET", "/v1/company/employees", tok, "", "")
	ts.do("GET", "/v1/company/employees", tok, "", "")
	// Admin calls are neither limited nor counted.
	for range 3 {
		if status, _, _ := ts.do("GET", "/_sim/employees", "", "", ""); status != 200 {
			t.Fatalf("admin call limited: %d", status)
		}
	}
	var stats Stats
	_, _, b := ts.do("GET", "/_sim/stats", "", "", "")
	if err := json.Unmarshal(b, &stats); err != nil {
		t.Fatal(err)
	}
	want := Stats{EndpointAuth: {200: 1}, EndpointEmployees: {200: 1, 429: 1}}
	if len(stats) != len(want) || stats[EndpointAuth][200] != 1 || stats[EndpointEmployees][200] != 1 || stats[EndpointEmployees][429] != 1 {
		t.Errorf("stats %s, want %v", b, want)
	}
	if status, _, _ := ts.do("POST", "/_sim/stats/reset", "", "", ""); status != 204 {
		t.Errorf("reset: status %d", status)
	}
	if s := ts.Stats(); len(s) != 0 {
		t.Errorf("stats after reset %v", s)
	}
}

func TestAdminDatasetAndOffices(t *testing.T) {
	ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 1, Employees: 4, Offices: 2, Jobs: 1})})
	if status, _, b := ts.do("POST", "/_sim/offices", "", "application/json", `{"id":1001,"name":"Berlin Mitte"}`); status != 200 {
		t.Fatalf("rename office: %d %s", status, b)
	}
	var d Dataset
	_, _, b := ts.do("GET", "/_sim/dataset", "", "", "")
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Employees) != 4 || len(d.Jobs) != 1 || len(d.Offices) != 2 || d.Offices[0].Name != "Berlin Mitte" {
		t.Errorf("dataset %+v", d)
	}
	// Employee 1 is in office 1001 and renders the new name.
	_, p, _ := ts.page(ts.token(), url.Values{"limit": {"1"}})
	var office attr
	if err := json.Unmarshal(p.Data[0].Attributes["office"], &office); err != nil || string(office.Value) != `{"type":"Office","attributes":{"id":1001,"name":"Berlin Mitte"}}` {
		t.Errorf("office after rename %s (%v)", office.Value, err)
	}
}
