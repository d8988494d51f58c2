package plan

import (
	"fmt"
	"io"
	"strconv"
	"testing"

	"github.com/gridwork/gridsync/config"
)

// benchWorld is a tenant of n employees in 100 offices, mapped two per
// company to 50 companies, with one job per 20 employees.
func benchWorld(n int) (*config.Config, *Source) {
	cfg := &config.Config{Personio: config.Personio{
		Sync:     config.SyncDefaults{Employees: true, Jobs: true},
		Statuses: []string{"active", "onboarding", "leave"},
	}}
	snap := &Source{}
	offices := make([]Office, 100)
	for i := range offices {
		offices[i] = Office{ID: int64(i + 1), Name: fmt.Sprintf("Office %03d", i+1)}
	}
	snap.Offices = offices
	for c := 0; c < 50; c++ {
		slug := fmt.Sprintf("company-%02d", c)
		cfg.Companies = append(cfg.Companies, config.Company{Slug: slug, Name: "Company " + strconv.Itoa(c), SyncEmployees: true, SyncJobs: true, Locations: []config.Location{
			{Slug: "a", Name: "A", OfficeID: offices[2*c].ID},
			{Slug: "b", Name: "B", Office: offices[2*c+1].Name},
		}})
	}
	statuses := []string{"active", "active", "active", "onboarding", "leave", "inactive"}
	for i := 0; i < n; i++ {
		o := offices[i%len(offices)]
		e := emp(int64(100000+i), "First"+strconv.Itoa(i), "Last"+strconv.Itoa(i), fmt.Sprintf("user%d@example.test", i), statuses[i%len(statuses)], &o)
		snap.Employees = append(snap.Employees, e)
	}
	for i := 0; i < n/20; i++ {
		snap.Jobs = append(snap.Jobs, job(int64(900000+i), "Job "+strconv.Itoa(i), offices[i%len(offices)].Name))
	}
	return cfg, snap
}

func BenchmarkDiffRender100k(b *testing.B) {
	cfg, snap := benchWorld(100_000)
	d, diags := Desired(cfg, snap, DesiredOptions{})
	if diags.HasErrors() {
		b.Fatal(diags.Error())
	}
	synced := applied(b, d)

	// A steady day: 1% of employees changed, 0.5% left, 0.5% hired.
	_, day := benchWorld(100_000)
	for i := range day.Employees {
		switch {
		case i%100 == 1:
			day.Employees[i].Position = "Promoted"
		case i%200 == 2:
			day.Employees[i].Status = "inactive"
		case i%200 == 3:
			day.Employees[i].ID += 1_000_000
		}
	}
	dayDesired, _ := Desired(cfg, day, DesiredOptions{})

	for _, bc := range []struct {
		name string
		d    *DesiredState
		cur  State
	}{
		{"steady", dayDesired, synced},
		{"first-sync", d, State{}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var changes int
			for b.Loop() {
				p := Diff(bc.d, bc.cur, DiffOptions{AllCompanies: true, Now: testNow})
				if err := RenderText(io.Discard, p, TextOptions{}); err != nil {
					b.Fatal(err)
				}
				changes = len(p.Changes)
			}
			b.ReportMetric(float64(changes), "changes")
		})
	}
	steady := Diff(dayDesired, synced, DiffOptions{AllCompanies: true, Now: testNow})
	b.Run("guard", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = steady.CheckMassDelete(synced, GuardOptions{})
			_ = steady.Refusals(synced, GuardOptions{})
		}
	})
	first := Diff(d, State{}, DiffOptions{AllCompanies: true, Now: testNow})
	b.Run("render-first-sync", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := RenderText(io.Discard, first, TextOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	// A terminal's plan: colour on every marked line.
	b.Run("render-color-first-sync", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := RenderText(io.Discard, first, TextOptions{Color: true}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json-first-sync", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := RenderJSON(io.Discard, first); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("desired", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, diags := Desired(cfg, day, DesiredOptions{}); diags.HasErrors() {
				b.Fatal(diags.Error())
			}
		}
	})
}
