package plan

import (
	"reflect"
	"slices"
	"testing"
)

// TestAbsentEmployees: the engine confirms by id each employee a plan
// deletes only because the listing lacks it, and plans again with those
// Personio still has.
func TestAbsentEmployees(t *testing.T) {
	cfg, snap := baseConfig(), baseSnapshot()
	snap.Employees = append(snap.Employees, emp(1006, "Finn", "Fields", "finn@acme.test", "active", berlin))
	cur := syncedState(t)
	cur.Employees = append(cur.Employees, Record{Type: TypeEmployee, Company: "acme", ExternalID: "1006", TargetID: 96, Linked: true,
		Attrs: AttrsOf(map[string]string{FieldFirstName: "Finn", FieldLastName: "Fields", FieldLocation: "berlin-hq"})})
	cur.Employees = append(cur.Employees, Record{Type: TypeEmployee, Company: "initech", ExternalID: "1007", TargetID: 97, Linked: true,
		Attrs: AttrsOf(map[string]string{FieldFirstName: "Gone", FieldLastName: "Elsewhere"})})

	// 1001 and 1006 vanish from the listing (a shifted page); 1002 is no
	// longer in a synced status; 1004 moves to an unmapped office;
	// initech left the configuration.
	listed := *snap
	listed.Employees = slices.Clone(snap.Employees)
	removeEmployee(&listed, 1001)
	removeEmployee(&listed, 1006)
	employeeByID(&listed, 1002).Status = "inactive"
	employeeByID(&listed, 1004).Office = &Office{ID: 9, Name: "Oslo"}
	p, diags := Build(cfg, &listed, cur, BuildOptions{Now: testNow})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	diffLines(t, changeLines(p), []string{
		"delete employee.acme[1001] (no longer in Personio)",
		"delete employee.acme[1002] (status inactive is not synced)",
		"delete employee.acme[1006] (no longer in Personio)",
		"unlink employee.globex[1004] (office Oslo is not mapped to a location of globex)",
		"unlink employee.initech[1007] (company initech is no longer in the configuration)",
	})
	if got := p.AbsentEmployees(); !slices.Equal(got, []int64{1001, 1006}) {
		t.Fatalf("AbsentEmployees() = %v, want [1001 1006]", got)
	}

	t.Run("confirmed employees are planned again", func(t *testing.T) {
		// Personio still has 1001 (the listing skipped it), not 1006.
		src := listed
		src.Employees = slices.Clone(listed.Employees)
		src.AddEmployees(*employeeByID(snap, 1001))
		q, diags := Build(cfg, &src, cur, BuildOptions{Now: testNow})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		diffLines(t, changeLines(q), []string{
			"delete employee.acme[1002] (status inactive is not synced)",
			"delete employee.acme[1006] (no longer in Personio)",
			"unlink employee.globex[1004] (office Oslo is not mapped to a location of globex)",
			"unlink employee.initech[1007] (company initech is no longer in the configuration)",
		})
		if got := q.AbsentEmployees(); !slices.Equal(got, []int64{1006}) {
			t.Errorf("AbsentEmployees() = %v, want [1006]", got)
		}
	})
	t.Run("only the companies a plan keeps", func(t *testing.T) {
		if got := p.Without([]string{"acme"}).AbsentEmployees(); got != nil {
			t.Errorf("without acme: %v", got)
		}
		if got := p.Without([]string{"globex"}).AbsentEmployees(); !slices.Equal(got, []int64{1001, 1006}) {
			t.Errorf("without globex: %v", got)
		}
	})
	t.Run("not kept in the plan file", func(t *testing.T) {
		if got := writeRead(t, p).AbsentEmployees(); got != nil {
			t.Errorf("read back: %v", got)
		}
	})
}

func TestAddEmployees(t *testing.T) {
	remote := &Office{ID: 12, Name: "Remote Europe"}
	oslo := &Office{ID: 9, Name: "Oslo"}
	tests := []struct {
		name        string
		add         []SourceEmployee
		wantIDs     []int64
		wantOffices []Office
	}{
		{
			name:        "inserted in id order, offices kept",
			add:         []SourceEmployee{emp(1000, "A", "A", "a@x", "active", berlin), emp(1010, "J", "J", "j@x", "active", hamburg), emp(1003, "C", "C", "c@x", "leave", berlin)},
			wantIDs:     []int64{1000, 1001, 1002, 1003, 1004, 1005, 1010},
			wantOffices: []Office{*berlin, *hamburg, *munich, {Name: "Remote Europe"}},
		},
		{
			name:        "a new office is added in order",
			add:         []SourceEmployee{emp(1020, "O", "O", "o@x", "active", oslo)},
			wantIDs:     []int64{1001, 1002, 1003, 1004, 1005, 1020},
			wantOffices: []Office{*berlin, *hamburg, *munich, *oslo, {Name: "Remote Europe"}},
		},
		{
			name:        "an office with an id replaces the feed's entry of its name",
			add:         []SourceEmployee{emp(1020, "R", "R", "r@x", "active", remote), emp(1021, "S", "S", "s@x", "active", remote)},
			wantIDs:     []int64{1001, 1002, 1003, 1004, 1005, 1020, 1021},
			wantOffices: []Office{*berlin, *hamburg, *munich, *remote},
		},
		{
			name:        "an office without id adds nothing its name has",
			add:         []SourceEmployee{emp(1020, "N", "N", "n@x", "active", &Office{Name: "Berlin"}), emp(1021, "P", "P", "p@x", "active", &Office{Name: "Porto"})},
			wantIDs:     []int64{1001, 1002, 1003, 1004, 1005, 1020, 1021},
			wantOffices: []Office{*berlin, *hamburg, *munich, {Name: "Porto"}, {Name: "Remote Europe"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := baseSnapshot()
			s.AddEmployees(tt.add...)
			var ids []int64
			for _, e := range s.Employees {
				ids = append(ids, e.ID)
			}
			if !slices.Equal(ids, tt.wantIDs) {
				t.Errorf("ids %v, want %v", ids, tt.wantIDs)
			}
			if !reflect.DeepEqual(s.Offices, tt.wantOffices) {
				t.Errorf("offices %v, want %v", s.Offices, tt.wantOffices)
			}
		})
	}
	t.Run("an added employee replaces the listed one", func(t *testing.T) {
		s := baseSnapshot()
		fresh := emp(1002, "Bob", "Builder", "bob@acme.test", "active", berlin)
		s.AddEmployees(fresh)
		if len(s.Employees) != 5 || employeeByID(s, 1002).Status != "active" || employeeByID(s, 1002).Office != berlin {
			t.Errorf("employee 1002 is %+v among %d", *employeeByID(s, 1002), len(s.Employees))
		}
	})
}

// TestCollectOffices: employee offices by id (one entry each), offices only
// the feed names by name with no id, and no feed entry for a name an
// employee office has; sorted by name, then id.
func TestCollectOffices(t *testing.T) {
	munich := &Office{ID: 2, Name: "Munich"}
	s := &Source{
		Employees: []SourceEmployee{
			{ID: 1, Office: munich},
			{ID: 2, Office: &Office{ID: 1, Name: "Berlin"}},
			{ID: 3, Office: &Office{ID: 2, Name: "Munich"}},
			{ID: 4},
			{ID: 5, Office: &Office{ID: 7, Name: "Berlin"}}, // another office of the same name
		},
		Jobs: []SourceJob{{ID: 1, Office: "Berlin", AdditionalOffices: []string{"Zürich", "Munich"}}, {ID: 2, Office: "Amsterdam"}},
	}
	s.CollectOffices()
	want := []Office{{Name: "Amsterdam"}, {ID: 1, Name: "Berlin"}, {ID: 7, Name: "Berlin"}, {ID: 2, Name: "Munich"}, {Name: "Zürich"}}
	if !slices.Equal(s.Offices, want) {
		t.Errorf("offices %+v\nwant     %+v", s.Offices, want)
	}
}
