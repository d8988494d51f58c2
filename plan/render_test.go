package plan

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./plan -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./plan -update rewrites it):\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

const longDescription = "<p>Acme builds the rails that payroll runs on. You will own the services that move " +
	"employee data between Personio and Gridwork, and the tooling that keeps them honest.</p>"

// richPlan exercises every action, a shortened description, a warning and
// a suspicious answer.
func richPlan(t *testing.T) *Plan {
	t.Helper()
	cfg := baseConfig()
	before := baseSnapshot()
	before.Jobs[0].Descriptions = append(before.Jobs[0].Descriptions, JobDescription{Name: "About us", Value: longDescription})
	// A second Hamburg position stays published, so that unpublishing 9002
	// does not empty the office in the feed (which would be suspicious).
	before.Jobs = append(before.Jobs, job(9004, "Warehouse Lead", "Hamburg"))
	d, diags := Desired(cfg, before, DesiredOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	cur := applied(t, d)
	cur.Employees = append(cur.Employees, Record{Type: TypeEmployee, Company: "acme", TargetID: 501,
		Attrs: AttrsOf(map[string]string{FieldEmail: "HEDY@acme.test", FieldFirstName: "Hedy", FieldLastName: "Lamarr", FieldPosition: "Inventor"})})

	snap := baseSnapshot()
	snap.Jobs[0].Descriptions = append(snap.Jobs[0].Descriptions, JobDescription{Name: "About us",
		Value: strings.Replace(longDescription, "keeps them honest", "keeps them fast and honest", 1)})
	company(cfg, "acme").Name = "Acme SE"
	company(cfg, "acme").Locations = append(company(cfg, "acme").Locations, cfgLocation("cologne", "Köln"))
	a := employeeByID(snap, 1001)
	a.Office, a.Position = hamburg, "Staff Engineer"
	employeeByID(snap, 1002).Status = "inactive"
	employeeByID(snap, 1004).Office = berlin
	snap.Employees = append(snap.Employees,
		emp(1010, "Grace", "Hopper", "grace@acme.test", "onboarding", berlin),
		emp(1011, "Hedy", "Lamarr", "hedy@acme.test", "active", berlin))
	snap.Jobs = append(snap.Jobs, job(9004, "Warehouse Lead", "Hamburg"))
	removeJob(snap, 9002)

	p, diags := Build(cfg, snap, cur, BuildOptions{Now: testNow})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	p.Warnings = append(p.Warnings, `location.acme.remote: office "Remote" (id 12) no longer appears in Personio.`)
	if len(p.Suspicious) != 0 {
		t.Fatalf("the moves in this plan are not suspicious: %q", p.Suspicious)
	}
	p.Suspicious = append(p.Suspicious, Suspicion{Companies: []string{"globex"}, Text: "company globex: Personio lists no employees in office Munich (id 3), while 12 employees linked to location munich in Gridwork are missing from Personio"})
	return p
}

func emptyPlan(t *testing.T) *Plan {
	t.Helper()
	p, diags := Build(baseConfig(), baseSnapshot(), syncedState(t), BuildOptions{Now: testNow})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if len(p.Changes) != 0 {
		t.Fatalf("want an empty plan, got %q", changeLines(p))
	}
	return p
}

func TestRenderGolden(t *testing.T) {
	rich, empty := richPlan(t), emptyPlan(t)
	first, _ := Build(baseConfig(), baseSnapshot(), State{}, BuildOptions{Now: testNow})
	tests := []struct {
		file   string
		render func(w *bytes.Buffer) error
	}{
		{"rich.txt", func(w *bytes.Buffer) error { return RenderText(w, rich, TextOptions{}) }},
		{"rich.color.txt", func(w *bytes.Buffer) error { return RenderText(w, rich, TextOptions{Color: true}) }},
		{"rich.json", func(w *bytes.Buffer) error { return RenderJSON(w, rich) }},
		{"rich.md", func(w *bytes.Buffer) error {
			return RenderMarkdown(w, rich, MarkdownOptions{Commit: "4f2a9c1", Dir: "config"})
		}},
		{"first.txt", func(w *bytes.Buffer) error { return RenderText(w, first, TextOptions{}) }},
		{"empty.txt", func(w *bytes.Buffer) error { return RenderText(w, empty, TextOptions{}) }},
		{"empty.color.txt", func(w *bytes.Buffer) error { return RenderText(w, empty, TextOptions{Color: true}) }},
		{"empty.json", func(w *bytes.Buffer) error { return RenderJSON(w, empty) }},
		{"empty.md", func(w *bytes.Buffer) error { return RenderMarkdown(w, empty, MarkdownOptions{Commit: "4f2a9c1"}) }},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.render(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.file, b.Bytes())
		})
	}
}

func TestRenderTextColourOnlyWhenAsked(t *testing.T) {
	var plain bytes.Buffer
	if err := RenderText(&plain, richPlan(t), TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(plain.Bytes(), []byte("\x1b[")) {
		t.Error("plain text output contains ANSI escapes")
	}
}

func TestCompanySummaries(t *testing.T) {
	got := richPlan(t).CompanySummaries()
	want := []CompanySummary{
		{Company: "acme", Summary: Summary{Add: 3, Change: 4, Unlink: 0, Destroy: 2}},
		{Company: "globex", Summary: Summary{Unlink: 1}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestMarkdownWholePlan: the folded text plan is never cut; the GitHub
// comment fits the whole Markdown to its limit (internal/github).
func TestMarkdownWholePlan(t *testing.T) {
	p := &Plan{Scope: []Scope{{Company: "acme", Employees: true}}}
	for i := 0; i < 2000; i++ {
		key := strconv.Itoa(10000 + i)
		p.Changes = append(p.Changes, Change{Address: "employee.acme[" + key + "]", Type: TypeEmployee, Company: "acme", Key: key, Action: Delete, TargetID: int64(i + 1),
			Before: AttrsOf(map[string]string{FieldFirstName: "Someone", FieldLastName: "Else", FieldEmail: "someone@acme.test"}), Reason: "no longer in Personio"})
	}
	p.Summary = summarize(p.Changes)
	var text bytes.Buffer
	if err := RenderText(&text, p, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	first, last := "employee.acme[10000]", "employee.acme[11999]"

	t.Run("all of a long plan", func(t *testing.T) {
		var b bytes.Buffer
		if err := RenderMarkdown(&b, p, MarkdownOptions{}); err != nil {
			t.Fatal(err)
		}
		if b.Len() <= text.Len() || !strings.Contains(b.String(), first) || !strings.Contains(b.String(), last) || strings.Contains(b.String(), "not shown") {
			t.Errorf("uncapped Markdown (%d bytes for a %d-byte text plan) lost part of the plan", b.Len(), text.Len())
		}
		for _, want := range []string{"… and 1975 more", "2000 to destroy"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("Markdown lacks %q", want)
			}
		}
	})
}
