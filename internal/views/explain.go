package views

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/gridwork/gridsync/internal/engine"
	"github.com/gridwork/gridsync/plan"
)

// explainFormatVersion is the version of `gridsync explain -json`.
const explainFormatVersion = "1"

// Explain is the view of explain.
type Explain interface {
	// Explanation tells one record's story.
	Explanation(ex *engine.Explanation) error
}

// NewExplain returns the explain view for people, or the JSON one when json (-json) is set.
func NewExplain(json bool, v *View) Explain {
	if json {
		return &explainJSON{v}
	}
	return &explainHuman{v}
}

type explainHuman struct{ *View }

// Explanation writes the story, one sentence a line.
func (v *explainHuman) Explanation(ex *engine.Explanation) error {
	_, err := io.WriteString(v.stdout, strings.Join(story(ex), "\n")+"\n")
	return err
}

type explainJSON struct{ *View }

// Explanation writes ex as `gridsync explain -json`: the explanation
// itself (see the README for the fields) with its story.
func (v *explainJSON) Explanation(ex *engine.Explanation) error {
	return writeJSON(v.stdout, struct {
		FormatVersion string `json:"format_version"`
		*engine.Explanation
		Story []string `json:"story"`
	}{explainFormatVersion, ex, story(ex)})
}

// story tells the explanation in plain sentences, in the order a reader
// asks: what Personio says, where the configuration puts it, whether it
// is synced, what Gridwork holds, what the next plan does, its address.
// It names no secret: no credential, no database URL.
func story(ex *engine.Explanation) []string {
	var s []string
	add := func(format string, args ...any) { s = append(s, fmt.Sprintf(format, args...)) }
	job, noun := ex.Type == plan.TypeJob, "employee"
	if job {
		noun = "position"
	}

	switch p := ex.Personio; {
	case !ex.Found && job:
		add("Personio's job feed has no position %d: the feed lists published positions only, so it was never published, or is no longer.", ex.ID)
	case !ex.Found:
		add("Personio has no employee %d.", ex.ID)
	case job:
		where := "names no office"
		if p.Office != nil {
			where = "is in office " + strconv.Quote(p.Office.Name)
		}
		if len(p.AdditionalOffices) > 0 {
			where += " (additional offices: [" + quoted(p.AdditionalOffices) + "])"
		}
		add("Personio: position %d, %q, is published in the job feed and %s.", ex.ID, p.Name, where)
	default:
		who := p.Name
		if email := val(p.Email); email != "" {
			who += " <" + email + ">"
		}
		where := "has no office"
		if p.Office != nil {
			where = "is in office " + officeLabel(p.Office)
		}
		add("Personio: employee %d is %s, status %s, and %s.", ex.ID, who, cmp.Or(val(p.Status), "(none)"), where)
	}
	if ex.Found {
		s = append(s, mappingSentences(ex, noun)...)
		if f := ex.StatusFilter; f != nil && ex.Personio.Office != nil {
			status, list, where := val(ex.Personio.Status), quoted(f.Statuses), cmp.Or(val(f.DeclaredAt), "the default")
			if f.Synced {
				add("Status %q is synced: personio.statuses is [%s] (%s).", status, list, where)
			} else {
				add("Status %q is not synced: personio.statuses is [%s] (%s), so the status filter leaves this employee out.", status, list, where)
			}
		}
	}

	if !ex.Gridwork.Read {
		add("Gridwork was not read (%s), so what follows assumes it has no row for this %s.", val(ex.Gridwork.Error), noun)
	} else if len(ex.Gridwork.Rows) == 0 {
		add("Gridwork has no row for this %s.", noun)
	}
	for _, r := range ex.Gridwork.Rows {
		loc := ""
		if r.Location != "" {
			loc = " (location " + r.Location + ")"
		}
		switch email := val(val(ex.Personio).Email); r.State {
		case engine.RowLinked:
			add("Gridwork: %s row %d of company %s%s is linked to it.", noun, r.TargetID, r.Company, loc)
		case engine.RowAdoptable:
			add("Gridwork: unlinked employee row %d of company %s%s has the email %s: the next plan adopts it (links it rather than adding a second row).", r.TargetID, r.Company, loc, email)
		default:
			add("Gridwork: unlinked employee row %d of company %s%s has the email %s; it is not linked to this employee and stays as it is.", r.TargetID, r.Company, loc, email)
		}
	}

	s = append(s, planSentences(ex)...)
	switch a := ex.Addresses; len(a) {
	case 0:
		add("It has no address: no company syncs it.")
	case 1:
		add("Address: %s.", a[0])
	default:
		add("Addresses: %s.", strings.Join(a, ", "))
	}
	if ex.OfficeNamesRead {
		add("Locations map offices by office_id that Gridwork does not know yet, so Personio's employees were read to learn those offices' names.")
	}
	return s
}

// mappingSentences tell where the configuration puts the record's office,
// and whether its kind is synced there.
func mappingSentences(ex *engine.Explanation, noun string) []string {
	p := ex.Personio
	switch {
	case p.Office == nil && len(p.AdditionalOffices) == 0 && ex.Type == plan.TypeJob:
		return []string{"No location can map a position without an office, so it is not synced; set its office in Personio."}
	case p.Office == nil && len(p.AdditionalOffices) == 0:
		return []string{"No location can map an employee without an office, so it is not synced; set the office in Personio."}
	case len(ex.Mappings) == 0:
		var office, written string
		if ex.Type == plan.TypeJob {
			var names []string
			if p.Office != nil {
				names = append(names, p.Office.Name)
			}
			names = append(names, p.AdditionalOffices...)
			office = "office " + strconv.Quote(names[0])
			if len(names) > 1 {
				office = "any of its offices " + quoted(names)
			}
			written = fmt.Sprintf("office = %q", names[0])
		} else {
			office = "office " + officeLabel(p.Office)
			written = fmt.Sprintf("office = %q (or office_id = %d)", p.Office.Name, val(p.Office.ID))
		}
		return []string{fmt.Sprintf("No location maps %s, so this %s is not synced. To sync it, add %s to a location of the company that should have it, or start a company with `gridsync offices -hcl SLUG`.",
			office, noun, written)}
	}
	var s []string
	for _, m := range ex.Mappings {
		t, kind := m.Toggle, string(m.Toggle.Kind)
		s = append(s, fmt.Sprintf("Office %q maps to location.%s.%s (%s).", m.Office, m.Company, m.Location, val(m.DeclaredAt)))
		state := "on"
		if !t.Enabled {
			state = "off"
		}
		head := fmt.Sprintf("%s sync is %s for company %s: ", capitalize(kind), state, m.Company)
		def := fmt.Sprintf("the account default personio.sync.%s = %t (%s)", kind, t.AccountDefault, cmp.Or(val(t.AccountDefaultAt), "the default"))
		switch {
		case t.From == "company":
			s = append(s, fmt.Sprintf("%sits sync block sets %s = %q (%s), which overrides %s.", head, kind, t.Override, val(t.OverrideAt), def))
		case t.OverrideAt != nil:
			s = append(s, fmt.Sprintf("%sit inherits (%s = %q, %s) %s.", head, kind, t.Override, val(t.OverrideAt), def))
		default:
			s = append(s, fmt.Sprintf("%sit does not override %s.", head, def))
		}
		if !t.Enabled {
			s = append(s, fmt.Sprintf("While %s sync is off, company %s is paused for %s: nothing of them is created, updated or removed.", kind, m.Company, kind))
		}
	}
	return s
}

// planSentences tell what stops the next plan or what it does.
func planSentences(ex *engine.Explanation) []string {
	var s []string
	for _, d := range ex.PlanErrors {
		at := ""
		if d.Subject != nil {
			at = " (" + position(*d.Subject) + ")"
		}
		s = append(s, fmt.Sprintf("The next plan stops with a configuration error%s: %s. %s", at, d.Summary, d.Detail))
	}
	if len(s) > 0 {
		return s
	}
	subject := "the next plan"
	if ex.Hidden != nil {
		s = append(s, fmt.Sprintf("The next plan stops before it changes anything: %v", ex.Hidden))
		subject = "once it may read them, " + subject
	}
	if !ex.Gridwork.Read {
		subject = "if Gridwork has no row for it, " + subject
	}
	subject = capitalize(subject)
	if len(ex.Plan.Changes) == 0 {
		return append(s, subject+" "+idleReason(ex)+".")
	}
	for _, c := range ex.Plan.Changes {
		line := fmt.Sprintf("%s will %s %s", subject, cmp.Or(verbs[c.Action], string(c.Action)), c.Address)
		if c.Action == plan.Update && len(c.Fields) > 0 {
			line += " (" + strings.Join(c.Fields, ", ") + ")"
		}
		if c.Reason != "" {
			line += ": " + c.Reason
		}
		s = append(s, line+".")
	}
	return s
}

// verbs are how a sentence names the actions not named by themselves.
var verbs = map[plan.Action]string{plan.Delete: "destroy", plan.NoOp: "leave"}

// idleReason says why the next plan does nothing with the record.
func idleReason(ex *engine.Explanation) string {
	for _, m := range ex.Mappings {
		if !m.Toggle.Enabled {
			return fmt.Sprintf("leaves it alone: %s sync is off for company %s", m.Toggle.Kind, m.Company)
		}
	}
	switch {
	case slices.ContainsFunc(ex.Gridwork.Rows, func(r engine.Row) bool { return r.State == engine.RowLinked }):
		return "leaves it as it is: Gridwork matches Personio"
	case ex.Found && len(ex.Mappings) == 0:
		return "does not sync it: its office is not mapped"
	case ex.StatusFilter != nil && !ex.StatusFilter.Synced:
		return "does not sync it: its status is not synced"
	}
	return "has nothing to do for it"
}

// officeLabel names an office: "Berlin" (id 1001), or "Berlin" alone
// without an id.
func officeLabel(o *engine.Office) string {
	if o.ID == nil {
		return strconv.Quote(o.Name)
	}
	return fmt.Sprintf("%q (id %d)", o.Name, *o.ID)
}

// quoted is ss quoted and separated by commas.
func quoted(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// val is *p, or the zero value when p is nil.
func val[T any](p *T) (v T) {
	if p != nil {
		v = *p
	}
	return v
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
