package personio_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gridwork/gridsync/internal/personio"
	"github.com/gridwork/gridsync/internal/personio/personiosim"
)

// TestEmployeeByID reads single employees, as a removal is confirmed: one
// that is there reads as it does in the listing, one that is gone is not
// found, and a 404 that is not Personio's own answer is an error, never a
// confirmation that someone is gone.
func TestEmployeeByID(t *testing.T) {
	env := startSim(t, personiosim.Options{Dataset: dataset(60), Faults: personiosim.Faults{WideEmployees: true}})
	c := env.client(t, func(o *personio.Options) { o.KeepAttributes = []string{"dynamic_1002", "dynamic_9004", "cost_centers"} })
	listed, err := c.Employees(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []personio.Employee{listed[0], listed[17], listed[59]} {
		got, found, err := c.Employee(context.Background(), want.ID)
		if err != nil || !found {
			t.Fatalf("employee %d: found %v, %v", want.ID, found, err)
		}
		if got.ID != want.ID || got.FirstName != want.FirstName || got.Email != want.Email || got.Status != want.Status ||
			got.Gender != want.Gender || got.Position != want.Position || got.ProfilePictureURL != want.ProfilePictureURL ||
			(got.Office == nil) != (want.Office == nil) || got.Office != nil && *got.Office != *want.Office {
			t.Errorf("by id %+v\nlisted %+v", got, want)
		}
		if len(got.Attributes) != len(want.Attributes) {
			t.Fatalf("by id kept %v, listed %v", got.Attributes, want.Attributes)
		}
		for i := range got.Attributes {
			if got.Attributes[i] != want.Attributes[i] {
				t.Errorf("by id kept %v, listed %v", got.Attributes, want.Attributes)
			}
		}
	}

	env.sim.DeleteEmployee(listed[17].ID)
	if _, found, err := c.Employee(context.Background(), listed[17].ID); err != nil || found {
		t.Errorf("a deleted employee: found %v, %v; want not found", found, err)
	}
	if _, found, err := c.Employee(context.Background(), 1<<40); err != nil || found {
		t.Errorf("an unknown id: found %v, %v; want not found", found, err)
	}
	if n := env.sim.Stats()[personiosim.EndpointEmployee][404]; n != 2 {
		t.Errorf("the simulator answered %d 404s, want 2", n)
	}
}

func TestEmployeeByIDForeign404(t *testing.T) {
	sim := personiosim.New(personiosim.Options{Dataset: dataset(3)})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v1/company/employees/") {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte("<html><body>Not Found</body></html>"))
			return
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	env := &simEnv{sim: sim, url: srv.URL}
	_, found, err := env.client(t, nil).Employee(context.Background(), 2)
	if err == nil || found {
		t.Fatalf("found %v, err %v; want an error", found, err)
	}
	if !strings.Contains(err.Error(), "check personio.api_url") {
		t.Errorf("err = %q, want it to name the setting", err)
	}
}
