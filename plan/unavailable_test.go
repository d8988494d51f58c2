package plan

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

const feed404 = "https://acme.jobs.personio.de/xml?language=en answered 404"

// unavailable makes snap what the engine hands over when the job feed
// cannot be read: no positions, no offices only the feed names, and the
// reason.
func unavailable(snap *Source, reason string) {
	snap.Jobs = nil
	snap.Offices = []Office{*berlin, *hamburg, *munich}
	snap.JobsUnavailable = reason
}

func TestJobsUnavailable(t *testing.T) {
	t.Run("linked jobs stay untouched, employees plan as usual", func(t *testing.T) {
		cfg, snap := baseConfig(), baseSnapshot()
		cur := syncedState(t)
		unavailable(snap, feed404)
		employeeByID(snap, 1002).Position = "Lead"
		removeEmployee(snap, 1001)
		// Jobs on everywhere: globex's jobs would be created from a feed.
		company(cfg, "globex").SyncJobs = true
		p, diags := Build(cfg, snap, cur, BuildOptions{Now: testNow})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		diffLines(t, changeLines(p), []string{"delete employee.acme[1001] (no longer in Personio)", "update employee.acme[1002]"})
		if p.JobsUnavailable != feed404 {
			t.Errorf("JobsUnavailable = %q", p.JobsUnavailable)
		}
		if len(p.Suspicious) != 0 {
			t.Errorf("an unavailable feed is suspicious: %q", p.SuspiciousTexts())
		}
		if err := p.CheckMassDelete(cur, GuardOptions{}); err != nil {
			t.Errorf("guard refused a plan with an unavailable feed: %v", err)
		}
		if r := p.Refusals(cur, GuardOptions{}); len(r) != 0 {
			t.Errorf("refusals %+v", r)
		}
		// The toggles stay what the configuration says; it is apply that
		// records no job sync.
		if !reflect.DeepEqual(p.Scope, []Scope{{"acme", true, true}, {"globex", true, true}}) {
			t.Errorf("scope %+v", p.Scope)
		}
	})
	t.Run("jobs of a company that left the configuration are not unlinked", func(t *testing.T) {
		cfg, snap := baseConfig(), baseSnapshot()
		cur := syncedState(t)
		cfg.Companies = cfg.Companies[1:] // acme leaves
		unavailable(snap, feed404)
		p, diags := Build(cfg, snap, cur, BuildOptions{Now: testNow})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		for _, c := range p.Changes {
			if c.Type == TypeJob {
				t.Errorf("job change %s %s", c.Action, c.Address)
			}
		}
		if p.Summary.Unlink != 2 {
			t.Errorf("summary %+v, want acme's 2 employees unlinked", p.Summary)
		}
	})
	t.Run("an office only the feed could name is kept by name, with a warning", func(t *testing.T) {
		cfg, snap := baseConfig(), baseSnapshot()
		remote := &company(cfg, "acme").Locations[2]
		remote.Office, remote.OfficeRange = "Remote Europe", rng("acme.hcl", 12, 14)
		cur := applied(t, mustDesired(t, cfg, snap))
		unavailable(snap, feed404)
		p, diags := Build(cfg, snap, cur, BuildOptions{Now: testNow})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		if len(p.Changes) != 0 {
			t.Errorf("changes %q", changeLines(p))
		}
		want := `location.acme.remote: office "Remote Europe" is not among the offices of Personio's employees, and the job feed, which may name it, could not be read`
		if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], want) {
			t.Errorf("warnings %q, want one saying %q", p.Warnings, want)
		}
	})
	t.Run("an empty feed that was read is an answer, and the guard judges it", func(t *testing.T) {
		cfg, snap := baseConfig(), baseSnapshot()
		cur := syncedState(t)
		snap.Jobs = nil
		p, _ := Build(cfg, snap, cur, BuildOptions{Now: testNow})
		if p.JobsUnavailable != "" || len(p.Suspicious) != 1 {
			t.Fatalf("unavailable %q, suspicious %q", p.JobsUnavailable, p.SuspiciousTexts())
		}
		if err := p.CheckMassDelete(cur, GuardOptions{}); err == nil || !strings.Contains(err.Error(), "job feed lists no positions at all") {
			t.Errorf("guard: %v", err)
		}
		if r := p.Refusals(cur, GuardOptions{}); len(r) != 1 || r[0].Company != "acme" {
			t.Errorf("refusals %+v, want acme", r)
		}
	})
}

func TestJobsUnavailableDigest(t *testing.T) {
	cfg, cur := baseConfig(), syncedState(t)
	digest := func(edit func(*Source)) string {
		snap := baseSnapshot()
		edit(snap)
		p, diags := Build(cfg, snap, cur, BuildOptions{Now: testNow})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		return p.Digests.Personio
	}
	down := digest(func(s *Source) { unavailable(s, feed404) })
	empty := digest(func(s *Source) { s.Jobs = nil; s.Offices = []Office{*berlin, *hamburg, *munich} })
	up := digest(func(*Source) {})
	if down == empty || down == up {
		t.Error("a plan computed while the feed was unavailable digests like one with the feed read")
	}
	if other := digest(func(s *Source) { unavailable(s, "https://acme.jobs.personio.de/xml?language=en: 5 tries answered 503") }); other != down {
		t.Error("why the feed was unavailable changed the Personio digest")
	}
}

// jobsUnavailablePlan updates one employee while the job feed answers 404.
func jobsUnavailablePlan(t *testing.T) *Plan {
	t.Helper()
	cfg, snap := baseConfig(), baseSnapshot()
	cur := syncedState(t)
	unavailable(snap, feed404)
	employeeByID(snap, 1001).Position = "CTO"
	p, diags := Build(cfg, snap, cur, BuildOptions{Now: testNow})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	return p
}

// TestJobsUnavailableRendered: text and Markdown warn, naming the URL and
// the status, with changes and without; the JSON format carries the
// reason (TestRenderJSONMatchesSchema and TestPlanFileRoundTrip check it
// against the schema and through a file).
func TestJobsUnavailableRendered(t *testing.T) {
	p := jobsUnavailablePlan(t)
	cfg, snap := baseConfig(), baseSnapshot()
	unavailable(snap, feed404)
	noChanges, _ := Build(cfg, snap, applied(t, mustDesired(t, cfg, snap)), BuildOptions{Now: testNow})
	for name, pl := range map[string]*Plan{"changes": p, "no changes": noChanges} {
		for _, r := range []struct {
			format string
			render func(*bytes.Buffer) error
		}{
			{"text", func(b *bytes.Buffer) error { return RenderText(b, pl, TextOptions{}) }},
			{"markdown", func(b *bytes.Buffer) error { return RenderMarkdown(b, pl, MarkdownOptions{}) }},
		} {
			var b bytes.Buffer
			if err := r.render(&b); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"Jobs unavailable", "https://acme.jobs.personio.de/xml?language=en answered 404", "Linked jobs are left untouched"} {
				if !strings.Contains(b.String(), want) {
					t.Errorf("%s, %s: output lacks %q:\n%s", name, r.format, want, b.String())
				}
			}
		}
	}
	var text, md, js bytes.Buffer
	if err := RenderText(&text, p, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := RenderMarkdown(&md, p, MarkdownOptions{Commit: "4f2a9c1"}); err != nil {
		t.Fatal(err)
	}
	if err := RenderJSON(&js, p); err != nil {
		t.Fatal(err)
	}
	golden(t, "jobs-unavailable.txt", text.Bytes())
	golden(t, "jobs-unavailable.md", md.Bytes())
	if !strings.Contains(js.String(), `"jobs_unavailable": "`+feed404+`"`) {
		t.Errorf("JSON lacks jobs_unavailable:\n%s", js.String())
	}
}
