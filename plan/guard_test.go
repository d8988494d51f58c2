package plan

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/gridwork/gridsync/config"
)

func mustDesired(t *testing.T, cfg *config.Config, snap *Source) *DesiredState {
	t.Helper()
	d, diags := Desired(cfg, snap, DesiredOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	return d
}

// guardWorld is a target with the given linked records per company and
// kind, and a plan removing (delete) or unlinking the given numbers.
type guardCount struct {
	company string
	typ     Type
	linked  int
	deletes int
	unlinks int
}

func guardWorld(counts []guardCount) (*Plan, State) {
	p := &Plan{}
	var s State
	id := int64(1)
	for _, c := range counts {
		for i := 0; i < c.linked; i++ {
			r := Record{Type: c.typ, Company: c.company, ExternalID: strconv.Itoa(i + 1), TargetID: id, Linked: true}
			id++
			if c.typ == TypeJob {
				s.Jobs = append(s.Jobs, r)
			} else {
				s.Employees = append(s.Employees, r)
			}
			var a Action
			switch {
			case i < c.deletes:
				a = Delete
			case i < c.deletes+c.unlinks:
				a = Unlink
			default:
				continue
			}
			p.Changes = append(p.Changes, Change{Address: address(c.typ, c.company, r.ExternalID), Type: c.typ, Company: c.company, Key: r.ExternalID, Action: a, TargetID: r.TargetID})
		}
	}
	// Unlinked rows never count as linked records.
	s.Employees = append(s.Employees, Record{Type: TypeEmployee, Company: "acme", TargetID: 9999, Attrs: AttrsOf(map[string]string{FieldEmail: "x@y.z"})})
	p.Summary = summarize(p.Changes)
	return p, s
}

func TestCheckMassDelete(t *testing.T) {
	tests := []struct {
		name       string
		counts     []guardCount
		opts       GuardOptions
		suspicious []string
		want       []string // substrings of the error; nil means allowed
	}{
		{name: "10% of 100 is allowed", counts: []guardCount{{"acme", TypeEmployee, 100, 10, 0}}},
		{name: "11 of 100 is refused", counts: []guardCount{{"acme", TypeEmployee, 100, 11, 0}},
			want: []string{"remove or unlink 11 of 100 linked employees of company acme (at most 10 allowed)", "re-run with -allow-mass-delete"}},
		{name: "unlinks count like removals", counts: []guardCount{{"acme", TypeEmployee, 100, 6, 5}},
			want: []string{"11 of 100"}},
		{name: "at least 5 are always allowed", counts: []guardCount{{"acme", TypeEmployee, 20, 5, 0}}},
		{name: "6 of 20 is refused", counts: []guardCount{{"acme", TypeEmployee, 20, 3, 3}},
			want: []string{"6 of 20 linked employees of company acme (at most 5 allowed)"}},
		{name: "5 of 5 is allowed", counts: []guardCount{{"acme", TypeEmployee, 5, 5, 0}}},
		{name: "floating point does not move the boundary", counts: []guardCount{{"acme", TypeEmployee, 70, 7, 0}}},
		{name: "kinds are judged separately", counts: []guardCount{{"acme", TypeEmployee, 100, 0, 0}, {"acme", TypeJob, 20, 6, 0}},
			want: []string{"6 of 20 linked jobs of company acme"}},
		{name: "companies are judged separately and named",
			counts: []guardCount{{"acme", TypeEmployee, 10, 6, 0}, {"globex", TypeEmployee, 1000, 6, 0}, {"initech", TypeEmployee, 10, 10, 0}},
			want:   []string{"6 of 10 linked employees of company acme", "10 of 10 linked employees of company initech"}},
		{name: "custom limits", counts: []guardCount{{"acme", TypeEmployee, 10, 2, 0}}, opts: GuardOptions{MaxShare: 0.15, MinAllowed: 1},
			want: []string{"2 of 10", "at most 1 allowed"}},
		{name: "a suspicious answer is refused without removals", counts: []guardCount{{"acme", TypeEmployee, 10, 0, 0}},
			suspicious: []string{"company acme: Personio lists no employees in office Berlin"},
			want:       []string{"Personio's answer looks suspicious: company acme: Personio lists no employees in office Berlin", "-allow-mass-delete"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, s := guardWorld(tt.counts)
			p.Suspicious = suspicions(tt.suspicious)
			err := p.CheckMassDelete(s, tt.opts)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("want allowed, got %v", err)
				}
				return
			}
			var mde *MassDeleteError
			if !errors.As(err, &mde) {
				t.Fatalf("want *MassDeleteError, got %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "globex") {
				t.Errorf("globex is within its limit but named: %q", err)
			}
		})
	}
}

func TestRefusalsAndWithout(t *testing.T) {
	p, s := guardWorld([]guardCount{
		{"acme", TypeEmployee, 10, 6, 0},    // over the guard
		{"globex", TypeEmployee, 100, 3, 0}, // within it
		{"initech", TypeJob, 10, 1, 0},      // within it, but see the suspicion
		{"umbrella", TypeEmployee, 10, 0, 0},
	})
	p.Scope = []Scope{{Company: "acme", Employees: true}, {Company: "globex", Employees: true}, {Company: "initech", Jobs: true}, {Company: "umbrella", Employees: true}}
	p.Changes = append(p.Changes, Change{Address: "company.acme", Type: TypeCompany, Company: "acme", Key: "acme", Action: Update})
	p.Suspicious = []Suspicion{{Companies: []string{"initech"}, Text: "company initech: the feed looks empty"}}

	got := p.Refusals(s, GuardOptions{})
	var companies []string
	for _, r := range got {
		companies = append(companies, r.Company)
	}
	if strings.Join(companies, ",") != "acme,initech" {
		t.Fatalf("refused %v, want acme and initech", companies)
	}
	if len(got[0].Over) != 1 || got[0].Over[0].Removed != 6 || len(got[0].Suspicious) != 0 {
		t.Errorf("acme refusal %+v", got[0])
	}
	if !strings.Contains(got[1].Error(), "the feed looks empty") || strings.Contains(got[1].Error(), "acme") {
		t.Errorf("initech refusal reads %q", got[1].Error())
	}

	q := p.Without(companies)
	for _, c := range q.Changes {
		if c.Company == "acme" || c.Company == "initech" {
			t.Errorf("Without kept %s", c.Address)
		}
	}
	if q.Summary.Destroy != 3 || q.Summary.Change != 0 {
		t.Errorf("summary %+v, want the 3 globex removals only", q.Summary)
	}
	if len(q.Scope) != 2 || q.Scope[0].Company != "globex" || q.Scope[1].Company != "umbrella" {
		t.Errorf("scope %+v", q.Scope)
	}
	if len(q.Suspicious) != 0 || len(q.Refusals(s, GuardOptions{})) != 0 {
		t.Errorf("what is left is still refused: %+v", q.Refusals(s, GuardOptions{}))
	}
	if len(p.Changes) == len(q.Changes) || len(p.Suspicious) != 1 {
		t.Error("Without changed the original plan")
	}

	// A suspicion that does not name its companies (a plan read from a
	// file) concerns every company of the plan.
	p.Suspicious = []Suspicion{{Text: "something looks off"}}
	if n := len(p.Refusals(s, GuardOptions{})); n != 4 {
		t.Errorf("an unattributed suspicion refused %d companies, want all 4", n)
	}
}

func TestSuspicious(t *testing.T) {
	t.Run("an office that suddenly has no employees", func(t *testing.T) {
		cfg, snap := baseConfig(), baseSnapshot()
		cur := syncedState(t)
		removeEmployee(snap, 1001)
		removeEmployee(snap, 1003)
		snap.Offices = snap.Offices[1:] // Personio no longer shows Berlin at all
		p, diags := Build(cfg, snap, cur, BuildOptions{Now: testNow})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		want := "company acme: Personio lists no employees in office Berlin (id 1), while 1 employee linked to location berlin-hq in Gridwork is missing from Personio"
		if len(p.Suspicious) != 1 || p.Suspicious[0].Text != want {
			t.Fatalf("suspicious %q, want %q", p.SuspiciousTexts(), want)
		}
		diffLines(t, changeLines(p), []string{"delete employee.acme[1001] (no longer in Personio)"})
		if err := p.CheckMassDelete(cur, GuardOptions{}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("guard: %v", err)
		}
		if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], `office "Berlin" (id 1) no longer appears in Personio`) {
			t.Errorf("warnings %q", p.Warnings)
		}
	})
	t.Run("an empty answer overall", func(t *testing.T) {
		cfg, snap := baseConfig(), baseSnapshot()
		cur := syncedState(t)
		snap.Employees = nil
		p, diags := Build(cfg, snap, cur, BuildOptions{Now: testNow})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		want := []string{"Personio answered with no employees at all, while 3 employees of acme, globex are linked to Personio in Gridwork"}
		if strings.Join(p.SuspiciousTexts(), "|") != strings.Join(want, "|") {
			t.Fatalf("suspicious %q, want %q", p.SuspiciousTexts(), want)
		}
	})
	t.Run("a paused kind is never suspicious", func(t *testing.T) {
		cfg, snap := baseConfig(), baseSnapshot()
		cur := syncedState(t)
		snap.Employees = nil
		company(cfg, "acme").SyncEmployees = false
		company(cfg, "globex").SyncEmployees = false
		p, _ := Build(cfg, snap, cur, BuildOptions{Now: testNow})
		if len(p.Suspicious) != 0 || len(p.Changes) != 0 {
			t.Fatalf("suspicious %q changes %q", p.SuspiciousTexts(), changeLines(p))
		}
	})
	t.Run("an office emptied by moves is coherent", func(t *testing.T) {
		cfg, snap := baseConfig(), baseSnapshot()
		cur := syncedState(t)
		employeeByID(snap, 1002).Office = berlin // Hamburg's only employee moves
		p, diags := Build(cfg, snap, cur, BuildOptions{Now: testNow})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		if len(p.Suspicious) != 0 {
			t.Fatalf("suspicious %q", p.SuspiciousTexts())
		}
		diffLines(t, changeLines(p), []string{"update employee.acme[1002]"})
	})
	t.Run("an empty job feed overall", func(t *testing.T) {
		cfg, snap := baseConfig(), baseSnapshot()
		cur := syncedState(t)
		snap.Jobs = nil
		p, diags := Build(cfg, snap, cur, BuildOptions{Now: testNow})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		want := "Personio's job feed lists no positions at all, while 2 jobs of acme are linked to Personio in Gridwork"
		if strings.Join(p.SuspiciousTexts(), "|") != want {
			t.Fatalf("suspicious %q, want %q", p.SuspiciousTexts(), want)
		}
		diffLines(t, changeLines(p), []string{"delete job.acme[9001] (no longer published)", "delete job.acme[9002] (no longer published)"})
		// Two removals are far below the guard's minimum of 5: only the
		// suspicious answer stops this plan.
		if err := p.CheckMassDelete(cur, GuardOptions{}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("guard: %v", err)
		}
	})
	t.Run("an empty job feed with jobs paused is not suspicious", func(t *testing.T) {
		cfg, snap := baseConfig(), baseSnapshot()
		cur := syncedState(t)
		snap.Jobs = nil
		company(cfg, "acme").SyncJobs = false
		p, _ := Build(cfg, snap, cur, BuildOptions{Now: testNow})
		if len(p.Suspicious) != 0 || len(p.Changes) != 0 {
			t.Fatalf("suspicious %q changes %q", p.SuspiciousTexts(), changeLines(p))
		}
	})
	t.Run("an office whose positions all vanished from the feed", func(t *testing.T) {
		cfg, snap := baseConfig(), baseSnapshot()
		snap.Jobs = append(snap.Jobs, job(9005, "Forklift Driver", "Hamburg"), job(9006, "Dispatcher", "Hamburg"))
		cur := applied(t, mustDesired(t, cfg, snap))
		for _, id := range []int64{9002, 9005, 9006} {
			removeJob(snap, id)
		}
		p, diags := Build(cfg, snap, cur, BuildOptions{Now: testNow})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		want := "company acme: Personio's job feed lists no positions in office Hamburg (id 2), while the 3 jobs linked to location hamburg in Gridwork are missing from the feed"
		if strings.Join(p.SuspiciousTexts(), "|") != want {
			t.Fatalf("suspicious %q, want %q", p.SuspiciousTexts(), want)
		}
		if err := p.CheckMassDelete(cur, GuardOptions{}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("guard: %v", err)
		}
	})
	t.Run("closing an office's only position is routine", func(t *testing.T) {
		cfg, snap := baseConfig(), baseSnapshot()
		cur := syncedState(t)
		removeJob(snap, 9002) // Hamburg's only position
		p, _ := Build(cfg, snap, cur, BuildOptions{Now: testNow})
		if len(p.Suspicious) != 0 {
			t.Fatalf("suspicious %q", p.SuspiciousTexts())
		}
		diffLines(t, changeLines(p), []string{"delete job.acme[9002] (no longer published)"})
		if err := p.CheckMassDelete(cur, GuardOptions{}); err != nil {
			t.Errorf("guard refused a routine closing: %v", err)
		}
	})
	t.Run("an office with positions left is not suspicious", func(t *testing.T) {
		cfg, snap := baseConfig(), baseSnapshot()
		snap.Jobs = append(snap.Jobs, job(9004, "Warehouse Lead", "Hamburg"))
		cur := applied(t, mustDesired(t, cfg, snap))
		removeJob(snap, 9002)
		p, _ := Build(cfg, snap, cur, BuildOptions{Now: testNow})
		if len(p.Suspicious) != 0 {
			t.Fatalf("suspicious %q", p.SuspiciousTexts())
		}
		diffLines(t, changeLines(p), []string{"delete job.acme[9002] (no longer published)"})
	})
	t.Run("an office emptied by a position moving is coherent", func(t *testing.T) {
		cfg, snap := baseConfig(), baseSnapshot()
		cur := syncedState(t)
		snap.Jobs[1].AdditionalOffices = []string{"Berlin"}
		p, _ := Build(cfg, snap, cur, BuildOptions{Now: testNow})
		if len(p.Suspicious) != 0 {
			t.Fatalf("suspicious %q", p.SuspiciousTexts())
		}
		diffLines(t, changeLines(p), []string{"update job.acme[9002]"})
	})
	t.Run("a location remapped to an office without positions is deliberate", func(t *testing.T) {
		cfg, snap := baseConfig(), baseSnapshot()
		cur := syncedState(t)
		company(cfg, "acme").Locations[1].OfficeID = 3  // hamburg now maps Munich
		company(cfg, "globex").Locations[0].Office = "" // which globex no longer does
		removeJob(snap, 9002)
		removeJob(snap, 9003)
		p, diags := Build(cfg, snap, cur, BuildOptions{Now: testNow})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		if len(p.Suspicious) != 0 {
			t.Fatalf("suspicious %q", p.SuspiciousTexts())
		}
	})
	t.Run("a location remapped to an empty office is deliberate", func(t *testing.T) {
		cfg, snap := baseConfig(), baseSnapshot()
		cur := syncedState(t)
		d, diags := Desired(cfg, snap, DesiredOptions{})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		loc := &d.Companies[0].Locations[1] // hamburg, office 2 in the target
		loc.OfficeID, loc.OfficeName, loc.PersonioEmployees = 8, "Paris", 0
		p := Diff(d, cur, DiffOptions{AllCompanies: true, Now: testNow})
		if len(p.Suspicious) != 0 {
			t.Fatalf("suspicious %q", p.SuspiciousTexts())
		}
	})
}

// blankWorld is a target with linked records of one company and kind, and
// a plan whose changes empty fields: each entry of blanks is an action
// (Update, Adopt or Create) and the fields it empties.
type blank struct {
	action Action
	fields []string
}

func blankWorld(company string, typ Type, linked int, blanks []blank) (*Plan, State) {
	p := &Plan{}
	var s State
	for i := 0; i < linked; i++ {
		r := Record{Type: typ, Company: company, ExternalID: strconv.Itoa(i + 1), TargetID: int64(i + 1), Linked: true}
		if typ == TypeJob {
			s.Jobs = append(s.Jobs, r)
		} else {
			s.Employees = append(s.Employees, r)
		}
	}
	full := func() Attrs {
		a := AttrsOf(map[string]string{})
		for _, f := range typeFields[typ] {
			a = a.With(f, "some "+f)
		}
		return a
	}
	for i, b := range blanks {
		key := strconv.Itoa(1000 + i)
		c := Change{Address: address(typ, company, key), Type: typ, Company: company, Key: key, Action: b.action, After: full()}
		if b.action != Create {
			c.Before, c.TargetID = full(), int64(i+1)
		}
		for _, f := range b.fields {
			c.After = c.After.With(f, "")
		}
		// An unchanged empty field is no blank.
		if !c.Before.IsNone() {
			c.Before = c.Before.With(FieldProfileImageURL, "")
			c.After = c.After.With(FieldProfileImageURL, "")
		}
		p.Changes = append(p.Changes, c)
	}
	p.Summary = summarize(p.Changes)
	p.Scope = []Scope{{Company: company, Employees: typ == TypeEmployee, Jobs: typ == TypeJob}}
	return p, s
}

func repeatBlank(n int, action Action, fields ...string) []blank {
	out := make([]blank, n)
	for i := range out {
		out[i] = blank{action, fields}
	}
	return out
}

func TestMassBlank(t *testing.T) {
	tests := []struct {
		name   string
		typ    Type
		linked int
		blanks []blank
		want   []string // substrings of the error; nil means allowed
	}{
		{name: "a few blanks are allowed", typ: TypeEmployee, linked: 20, blanks: repeatBlank(5, Update, FieldPosition)},
		{name: "many are refused", typ: TypeEmployee, linked: 20, blanks: repeatBlank(6, Update, FieldPosition),
			want: []string{"the plan would empty position on 6 of 20 linked employees of company acme (at most 5 allowed)",
				"Personio leaves out the employee attributes the API credentials may not read", "re-run with -allow-mass-delete"}},
		{name: "the share follows the linked records", typ: TypeEmployee, linked: 100, blanks: repeatBlank(10, Update, FieldGender)},
		{name: "one more than the share is refused", typ: TypeEmployee, linked: 100, blanks: repeatBlank(11, Update, FieldGender),
			want: []string{"empty gender on 11 of 100 linked employees"}},
		{name: "adoptions and updates both count", typ: TypeEmployee, linked: 20,
			blanks: append(repeatBlank(3, Update, FieldPosition), repeatBlank(3, Adopt, FieldPosition)...),
			want:   []string{"empty position on 6 of 20"}},
		{name: "creates do not count", typ: TypeEmployee, linked: 20, blanks: repeatBlank(30, Create, FieldPosition, FieldGender)},
		{name: "fields are judged separately", typ: TypeEmployee, linked: 20,
			blanks: append(repeatBlank(4, Update, FieldPosition), repeatBlank(4, Update, FieldGender)...)},
		{name: "every field over the limit is named", typ: TypeEmployee, linked: 20, blanks: repeatBlank(7, Update, FieldPosition, FieldGender),
			want: []string{"empty gender on 7 of 20", "empty position on 7 of 20"}},
		{name: "job fields too, without the credentials hint", typ: TypeJob, linked: 10, blanks: repeatBlank(6, Update, FieldDepartment),
			want: []string{"empty department on 6 of 10 linked jobs of company acme (at most 5 allowed)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, s := blankWorld("acme", tt.typ, tt.linked, tt.blanks)
			err := p.CheckMassDelete(s, GuardOptions{})
			refusals := p.Refusals(s, GuardOptions{})
			if tt.want == nil {
				if err != nil || len(refusals) != 0 {
					t.Fatalf("want allowed, got %v / %+v", err, refusals)
				}
				return
			}
			var mde *MassDeleteError
			if !errors.As(err, &mde) || len(mde.Blanked) == 0 {
				t.Fatalf("want a *MassDeleteError with blanks, got %v", err)
			}
			if len(refusals) != 1 || refusals[0].Company != "acme" || len(refusals[0].Blanked) != len(mde.Blanked) {
				t.Fatalf("refusals %+v", refusals)
			}
			for _, msg := range []string{err.Error(), refusals[0].Error()} {
				for _, w := range tt.want {
					if !strings.Contains(msg, w) {
						t.Errorf("error %q lacks %q", msg, w)
					}
				}
				if tt.typ == TypeJob && strings.Contains(msg, "API credentials") {
					t.Errorf("a job field blames the API credentials: %q", msg)
				}
			}
		})
	}
}

// TestMassBlankHiddenAttribute: Personio stops returning an attribute the
// API credentials may not read, so it reads as empty on every employee.
// The plan would blank it everywhere; the guard refuses, company by
// company, and the companies where it stays within the limit go ahead.
func TestMassBlankHiddenAttribute(t *testing.T) {
	cfg, snap := baseConfig(), baseSnapshot()
	for i := int64(0); i < 30; i++ {
		snap.Employees = append(snap.Employees, emp(2000+i, "Staff", strconv.FormatInt(i, 10), "staff"+strconv.FormatInt(i, 10)+"@acme.test", "active", berlin))
	}
	cur := applied(t, mustDesired(t, cfg, snap))
	for i := range snap.Employees {
		snap.Employees[i].Position = ""
	}
	p, diags := Build(cfg, snap, cur, BuildOptions{Now: testNow})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	err := p.CheckMassDelete(cur, GuardOptions{})
	if err == nil || !strings.Contains(err.Error(), "empty position on 32 of 32 linked employees of company acme (at most 5 allowed)") {
		t.Fatalf("guard: %v", err)
	}
	if strings.Contains(err.Error(), "globex") {
		t.Errorf("globex blanks 1 of 1, within the minimum, but is named: %v", err)
	}
	refused := p.Refusals(cur, GuardOptions{})
	if len(refused) != 1 || refused[0].Company != "acme" {
		t.Fatalf("refusals %+v, want acme only", refused)
	}
	if q := p.Without([]string{"acme"}); q.CheckMassDelete(cur, GuardOptions{}) != nil || q.Summary.Change != 1 {
		t.Errorf("without acme: %v, summary %+v", q.CheckMassDelete(cur, GuardOptions{}), q.Summary)
	}
}

// TestRefusalReason: a refusal's one-line reason (what sync records and
// prints for a refused company) says every cause, emptied fields included,
// without naming the company again.
func TestRefusalReason(t *testing.T) {
	r := Refusal{
		Company:    "acme",
		Over:       []MassDelete{{Company: "acme", Type: TypeEmployee, Removed: 9, Linked: 20, Allowed: 5}},
		Blanked:    []MassBlank{{Company: "acme", Type: TypeEmployee, Field: FieldPosition, Blanked: 20, Linked: 20, Allowed: 5}},
		Suspicious: []string{"company acme: the feed looks empty"},
	}
	got := r.Reason()
	for _, want := range []string{
		"the plan would remove or unlink 9 of 20 linked employees (at most 5 allowed)",
		"the plan would empty position on 20 of 20 linked employees (at most 5 allowed)",
		"Personio's answer looks suspicious: company acme: the feed looks empty",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("reason %q lacks %q", got, want)
		}
	}
	if strings.Contains(got, "of company acme") || strings.Contains(got, "-allow-mass-delete") {
		t.Errorf("reason %q names the company or what to do", got)
	}
	if !strings.Contains(r.Error(), "of company acme") || !strings.Contains(r.Error(), "-allow-mass-delete") {
		t.Errorf("error %q", r.Error())
	}
}
