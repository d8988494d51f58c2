package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridwork/gridsync/plan"
)

// pausedCompanies syncs nothing: with its company and location in the
// store, a plan has no changes.
const pausedCompanies = `
company "acme" {
  name = "Acme GmbH"

  sync {
    employees = "off"
    jobs      = "off"
  }

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
`

// inSync puts pausedCompanies' company and location into w's store.
func (w *world) inSync() {
	w.setConfig(pausedCompanies)
	w.store.state.Companies = []plan.CompanyState{{
		Slug: "acme", Name: "Acme GmbH",
		Locations: []plan.LocationState{{Slug: "berlin-hq", Name: "Berlin HQ", OfficeID: 1001, OfficeName: "Berlin"}},
	}}
}

// TestPlanExitCodes: -detailed-exitcode exits 2 with changes and 0
// without; plain plan exits 0 either way.
func TestPlanExitCodes(t *testing.T) {
	for _, tt := range []struct {
		name    string
		inSync  bool
		args    []string
		code    int
		summary string
	}{
		{"changes", false, nil, 0, "Plan: "},
		{"changes, detailed", false, []string{"-detailed-exitcode"}, 2, "Plan: "},
		{"no changes", true, nil, 0, plan.NoChanges},
		{"no changes, detailed", true, []string{"-detailed-exitcode"}, 0, plan.NoChanges},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, unitCompanies)
			if tt.inSync {
				w.inSync()
			}
			out, stderr := w.mustRun(tt.code, append([]string{"plan"}, tt.args...)...)
			if !strings.Contains(out, tt.summary) || stderr != "" {
				t.Errorf("stdout:\n%s\nstderr:\n%s\nwant %q", out, stderr, tt.summary)
			}
			if n := len(w.store.written()); n != 0 {
				t.Errorf("plan wrote %d batches", n)
			}
		})
	}
}

// TestPlanJSON: -json prints the plan document alone on stdout.
func TestPlanJSON(t *testing.T) {
	w := newWorld(t, unitCompanies)
	out, stderr := w.mustRun(0, "plan", "-json")
	var doc struct {
		FormatVersion string `json:"format_version"`
		Changes       []struct {
			Address string `json:"address"`
			Action  string `json:"action"`
		} `json:"changes"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.FormatVersion == "" || len(doc.Changes) == 0 || stderr != "" {
		t.Fatalf("plan -json: %v\nstdout:\n%s\nstderr:\n%s", err, out, stderr)
	}
	if doc.Changes[0].Address != "company.acme" || doc.Changes[0].Action != "create" {
		t.Errorf("first change = %+v, want company.acme created", doc.Changes[0])
	}
}

// TestPlanOut: -out saves the plan where apply finds it and says how to
// apply it (with -chdir as given); a path it cannot save to fails before
// Personio or the database is touched.
func TestPlanOut(t *testing.T) {
	w := newWorld(t, unitCompanies)
	out, _ := w.mustRun(0, "plan", "-out", "saved.plan")
	if !strings.Contains(out, "\nSaved the plan to: saved.plan\n\nTo perform exactly these actions, run:\n  gridsync apply -chdir "+w.dir+" saved.plan\n") {
		t.Errorf("plan -out does not say how to apply:\n%s", out)
	}
	if _, err := plan.ReadFile(filepath.Join(w.dir, "saved.plan")); err != nil {
		t.Errorf("the saved plan: %v", err)
	}
	out, _ = w.mustRun(0, "plan", "-json", "-out", "again.plan")
	if strings.Contains(out, "Saved the plan") {
		t.Errorf("plan -json -out printed more than the document:\n%s", out)
	}

	w = newWorld(t, unitCompanies)
	out, stderr, code := w.run("plan", "-out", filepath.Join(w.dir, "missing", "saved.plan"))
	if code != 1 || out != "" || !strings.Contains(stderr, "Error: cannot save the plan to ") || !strings.Contains(stderr, "checked before reading Personio") {
		t.Errorf("unsavable -out: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	w.untouched("plan -out into a missing directory")
}

// TestPlanUnknownCompany: -company of a company the configuration does not
// declare is a diagnostic, given before Personio is read.
func TestPlanUnknownCompany(t *testing.T) {
	w := newWorld(t, unitCompanies)
	_, stderr, code := w.run("plan", "-company", "globex")
	if code != 1 || !strings.Contains(stderr, "globex") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	if w.credsRead != 0 || len(w.sim.Stats()) != 0 {
		t.Errorf("Personio was read: %v", w.sim.Stats())
	}
}

// TestPlanGuardWarning: a plan the deletion guard would refuse is still
// shown, with a warning on stderr that apply will refuse it.
func TestPlanGuardWarning(t *testing.T) {
	w := newWorld(t, unitCompanies)
	w.linkedAbsent("acme", 6)
	out, stderr := w.mustRun(0, "plan")
	if !strings.Contains(out, "to destroy.") || !strings.Contains(stderr, "\nWarning: apply will refuse this plan unless -allow-mass-delete is given:\nrefusing to apply: the plan would remove or unlink 6 of 6 linked employees of company acme") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", out, stderr)
	}
}

// TestPlanVerbose: -v adds the timings of each phase on stderr.
func TestPlanVerbose(t *testing.T) {
	w := newWorld(t, unitCompanies)
	_, stderr := w.mustRun(0, "-v", "plan")
	if !strings.Contains(stderr, "timings: fetch ") {
		t.Errorf("stderr:\n%s", stderr)
	}
	if _, err := os.Stat(filepath.Join(w.dir, "saved.plan")); err == nil {
		t.Error("plan without -out saved a plan")
	}
}
