package personiosim

import (
	"reflect"
	"regexp"
	"slices"
	"testing"
	"unicode/utf8"
)

func TestGenerateDeterministic(t *testing.T) {
	opts := GenerateOptions{Seed: 5, Employees: 500, Offices: 6, Jobs: 12}
	a, b := Generate(opts), Generate(opts)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same options generated different datasets")
	}
	opts.Seed = 6
	if c := Generate(opts); reflect.DeepEqual(a.Employees, c.Employees) {
		t.Error("different seeds generated the same employees")
	}
}

func TestGenerateShape(t *testing.T) {
	tests := []struct {
		name string
		opts GenerateOptions
	}{
		{"default demo", GenerateOptions{Seed: 1, Employees: 40, Offices: 4, Jobs: 8}},
		{"many offices", GenerateOptions{Seed: 2, Employees: 2000, Offices: 25, Jobs: 30}},
		{"one of each", GenerateOptions{Seed: 3, Employees: 1, Offices: 1, Jobs: 1}},
		{"empty", GenerateOptions{Seed: 4}},
	}
	emailRE := regexp.MustCompile(`^[a-z0-9.]+@acme\.example$`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Generate(tt.opts)
			if err := d.Validate(); err != nil {
				t.Fatal(err)
			}
			if len(d.Employees) != tt.opts.Employees || len(d.Offices) != tt.opts.Offices || len(d.Jobs) != tt.opts.Jobs {
				t.Fatalf("sizes %d/%d/%d", len(d.Employees), len(d.Offices), len(d.Jobs))
			}
			for i, o := range d.Offices {
				if o.ID != int64(1001+i) || o.Name != officeName(i) {
					t.Errorf("office %d = %+v", i, o)
				}
			}
			if tt.opts.Offices > 20 && d.Offices[20].Name != "Office 21" {
				t.Errorf("office 21 named %q", d.Offices[20].Name)
			}
			emails := map[string]bool{}
			perOffice := map[int64]int{}
			for i, e := range d.Employees {
				if e.ID != int64(i+1) {
					t.Fatalf("employee %d has id %d", i, e.ID)
				}
				if !emailRE.MatchString(e.Email) || emails[e.Email] {
					t.Fatalf("email %q is not unique lowercase ASCII", e.Email)
				}
				emails[e.Email] = true
				perOffice[e.OfficeID]++
			}
			if tt.opts.Employees >= tt.opts.Offices {
				for _, o := range d.Offices {
					if perOffice[o.ID] == 0 {
						t.Errorf("office %s has no employees", o.Name)
					}
				}
			}
			employeeOffices := map[string]bool{}
			for _, o := range d.Offices {
				if perOffice[o.ID] > 0 {
					employeeOffices[o.Name] = true
				}
			}
			for i, j := range d.Jobs {
				if j.ID != int64(9001+i) || len(j.Descriptions) == 0 || j.Office == "" {
					t.Errorf("job %d = %+v", i, j)
				}
			}
			if tt.opts.Jobs > tt.opts.Offices && tt.opts.Offices > 0 {
				orphan := false
				for _, j := range d.Jobs {
					orphan = orphan || !employeeOffices[j.Office]
				}
				if !orphan {
					t.Errorf("no job in an office without employees")
				}
			}
		})
	}
}

// TestGenerateVariety checks that a realistic tenant has every case the
// client must handle.
func TestGenerateVariety(t *testing.T) {
	d := Generate(GenerateOptions{Seed: 1, Employees: 2000, Offices: 4, Jobs: 8})
	statuses := map[string]int{}
	var noPicture, noGender, noOffice, nonASCII int
	for _, e := range d.Employees {
		statuses[e.Status]++
		if !e.HasPicture {
			noPicture++
		}
		if e.Gender == "" {
			noGender++
		}
		if e.OfficeID == 0 {
			noOffice++
		}
		if !isASCII(e.FirstName + e.LastName) {
			nonASCII++
		}
	}
	for _, s := range []string{"active", "onboarding", "leave", "inactive"} {
		if statuses[s] == 0 {
			t.Errorf("no employee with status %s", s)
		}
	}
	if statuses["active"] < 1500 {
		t.Errorf("%d active of 2000, want most", statuses["active"])
	}
	share := func(n int) float64 { return float64(n) / 2000 }
	if s := share(noPicture); s < 0.05 || s > 0.15 {
		t.Errorf("%.2f without picture, want about 0.10", s)
	}
	if s := share(noGender); s < 0.02 || s > 0.08 {
		t.Errorf("%.2f without gender, want about 0.05", s)
	}
	if noOffice == 0 || nonASCII == 0 {
		t.Errorf("%d without office, %d with non-ASCII names: want some of each", noOffice, nonASCII)
	}
	for _, want := range []string{"Müller", "李", "Ólafsdóttir"} {
		if !slices.ContainsFunc(d.Employees, func(e Employee) bool { return e.LastName == want }) {
			t.Errorf("no employee named %s", want)
		}
	}
	types, schedules := map[string]bool{}, map[string]bool{}
	for _, j := range d.Jobs {
		types[j.EmploymentType], schedules[j.Schedule] = true, true
	}
	if len(types) != 4 || len(schedules) != 2 {
		t.Errorf("employment types %v, schedules %v: want all", types, schedules)
	}
	if keys := []string{d.Attributes[0].Key, d.Attributes[1].Key}; keys[0] != "dynamic_1001" || keys[1] != "dynamic_1002" || d.Attributes[1].Type != "list" {
		t.Errorf("attributes %+v", d.Attributes)
	}
}

func isASCII(s string) bool { return utf8.RuneCountInString(s) == len(s) }

func BenchmarkGenerate100k(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Generate(GenerateOptions{Seed: 1, Employees: 100_000, Offices: 20, Jobs: 200})
	}
}
