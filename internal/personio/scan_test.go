package personio_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/gridwork/gridsync/internal/personio"
	"github.com/gridwork/gridsync/internal/personio/personiosim"
)

// idVisitor records what ScanEmployees hands it: the ids of the current
// read, how many reads began, and whether any employee came with
// attributes beyond the typed fields.
type idVisitor struct {
	begins     []int // total of each Begin
	ids        []int64
	offices    map[int64]int64 // employee id → office id
	attributes int
	failAt     int // Visit fails on the failAt-th employee when > 0
}

func (v *idVisitor) Begin(total int) {
	v.begins = append(v.begins, total)
	v.ids = v.ids[:0]
	v.offices = map[int64]int64{}
}

func (v *idVisitor) Visit(e *personio.Employee) error {
	v.ids = append(v.ids, e.ID)
	if e.Office != nil {
		v.offices[e.ID] = e.Office.ID
	}
	v.attributes += len(e.Attributes)
	if v.failAt > 0 && len(v.ids) == v.failAt {
		return errVisit
	}
	return nil
}

var errVisit = errors.New("the visitor had enough")

// TestScanEmployees: a scan hands every employee to the visitor exactly
// once, with its office, and keeps no attribute beyond the typed fields.
func TestScanEmployees(t *testing.T) {
	env := startSim(t, personiosim.Options{Dataset: dataset(1000)})
	c := env.client(t, nil) // keeps every attribute for Employees
	var v idVisitor
	if err := c.ScanEmployees(context.Background(), []string{"office", "status"}, &v); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(v.begins, []int{1000}) {
		t.Errorf("reads began with totals %v, want one read of 1000", v.begins)
	}
	want := env.sim.Employees()
	slices.Sort(v.ids)
	if len(v.ids) != len(want) {
		t.Fatalf("visited %d employees, want %d", len(v.ids), len(want))
	}
	for i, e := range want {
		if v.ids[i] != e.ID {
			t.Fatalf("visit %d is employee %d, want %d", i, v.ids[i], e.ID)
		}
		if v.offices[e.ID] != e.OfficeID {
			t.Errorf("employee %d visited in office %d, want %d", e.ID, v.offices[e.ID], e.OfficeID)
		}
	}
	if v.attributes != 0 {
		t.Errorf("the scan kept %d attributes; it decodes the typed fields only", v.attributes)
	}
}

// TestScanEmployeesReadAgain: when the listing moves under the read, the
// visitor is told to start over, and what it holds at the end is the
// second, consistent read: every employee of the tenant once.
func TestScanEmployeesReadAgain(t *testing.T) {
	env := startSim(t, personiosim.Options{Dataset: dataset(1000), Faults: personiosim.Faults{ShiftEvery: 5, ShiftTimes: 1}})
	c := env.client(t, func(o *personio.Options) { o.Concurrency = 1 }) // pages in order: the move lands mid-read
	var v idVisitor
	if err := c.ScanEmployees(context.Background(), nil, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.begins) != 2 {
		t.Fatalf("reads began %d times, want 2 (the listing moved once)", len(v.begins))
	}
	var want []int64
	for _, e := range env.sim.Employees() {
		want = append(want, e.ID)
	}
	slices.Sort(v.ids)
	if !slices.Equal(v.ids, want) {
		t.Errorf("visited %d employees, want the %d of the tenant after the move, each once", len(v.ids), len(want))
	}
}

// TestScanEmployeesRequired: the attributes the scan requires are checked,
// the client's own RequiredAttributes are not.
func TestScanEmployeesRequired(t *testing.T) {
	tests := []struct {
		name     string
		hidden   []string
		wantKeys []string // nil: the scan succeeds
	}{
		{"office hidden", []string{"office"}, []string{"office"}},
		{"gender hidden", []string{"gender"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := startSim(t, personiosim.Options{Dataset: dataset(300), Faults: personiosim.Faults{HiddenAttributes: tt.hidden}})
			c := env.client(t, func(o *personio.Options) { o.RequiredAttributes = personio.StandardAttributes() })
			var v idVisitor
			err := c.ScanEmployees(context.Background(), []string{"office", "status"}, &v)
			var he *personio.HiddenAttributesError
			switch {
			case tt.wantKeys == nil && err != nil:
				t.Fatalf("scan failed: %v", err)
			case tt.wantKeys == nil && len(v.ids) != 300:
				t.Errorf("visited %d employees, want 300", len(v.ids))
			case tt.wantKeys != nil && !errors.As(err, &he):
				t.Fatalf("err = %v, want a *HiddenAttributesError", err)
			case tt.wantKeys != nil && !slices.Equal(he.Keys, tt.wantKeys):
				t.Errorf("hidden keys %v, want %v", he.Keys, tt.wantKeys)
			}
		})
	}
}

// TestScanEmployeesVisitorError: a visitor's error stops the read and is
// returned as it is.
func TestScanEmployeesVisitorError(t *testing.T) {
	env := startSim(t, personiosim.Options{Dataset: dataset(1000)})
	v := idVisitor{failAt: 150}
	err := env.client(t, nil).ScanEmployees(context.Background(), nil, &v)
	if !errors.Is(err, errVisit) {
		t.Fatalf("err = %v, want the visitor's error", err)
	}
}
