package views

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/gridwork/gridsync/internal/engine"
	"github.com/gridwork/gridsync/plan"
)

// Explain is the view of explain.
type Explain interface {
	// Explanation tells one record's story.
	Explanation(ex *engine.Explanation) error
}

// NewExplain returns the Human or JSON explain view.
func NewExplain(k Kind, v *View) Explain {
	if k == JSON {
		return &explainJSON{v}
	}
	return &explainHuman{v}
}

type explainHuman struct{ *View }

// Explanation writes the story, one sentence a line.
func (v *explainHuman) Explanation(ex *engine.Explanation) error {
	_, err := io.WriteString(v.stdout, strings.Join(explanation{ex}.story(), "\n")+"\n")
	return err
}

// explanation is an engine.Explanation as the views tell it.
type explanation struct{ *engine.Explanation }

// story tells the explanation in plain sentences, in the order a reader
// asks: what Personio says, where the configuration puts it, whether it
// is synced, what Gridwork holds, what the next plan does, its address.
// It names no secret: no credential, no database URL.
func (ex explanation) story() []string {
	var s []string
	add := func(format string, args ...any) { s = append(s, fmt.Sprintf(format, args...)) }
	noun := ex.noun()

	if !ex.Found {
		if ex.Type == plan.TypeJob {
			add("Personio's job feed has no position %d: the feed lists published positions only, so it was never published, or is no longer.", ex.ID)
		} else {
			add("Personio has no employee %d.", ex.ID)
		}
	} else {
		s = append(s, ex.personioSentence())
		s = append(s, ex.mappingSentences()...)
		if ex.Type == plan.TypeEmployee && ex.Office != nil {
			s = append(s, ex.statusSentence())
		}
	}

	switch {
	case !ex.GridworkRead:
		add("Gridwork was not read (%s), so what follows assumes it has no row for this %s.", ex.GridworkError, noun)
	case len(ex.Rows) == 0:
		add("Gridwork has no row for this %s.", noun)
	default:
		for _, r := range ex.Rows {
			s = append(s, ex.rowSentence(r))
		}
	}

	s = append(s, ex.planSentences()...)
	s = append(s, ex.addressSentence())
	if ex.OfficeNamesRead {
		add("Locations map offices by office_id that Gridwork does not know yet, so Personio's employees were read to learn those offices' names.")
	}
	return s
}

func (ex explanation) noun() string {
	if ex.Type == plan.TypeJob {
		return "position"
	}
	return "employee"
}

func (ex explanation) personioSentence() string {
	if ex.Type == plan.TypeJob {
		where := "names no office"
		if ex.Office != nil {
			where = "is in office " + strconv.Quote(ex.Office.Name)
		}
		s := fmt.Sprintf("Personio: position %d, %q, is published in the job feed and %s", ex.ID, ex.Name, where)
		if len(ex.AdditionalOffices) > 0 {
			s += " (additional offices: " + quoteAll(ex.AdditionalOffices) + ")"
		}
		return s + "."
	}
	who := ex.Name
	if ex.Email != "" {
		who += " <" + ex.Email + ">"
	}
	where := "has no office"
	if ex.Office != nil {
		where = "is in office " + officeLabel(*ex.Office)
	}
	status := ex.Status
	if status == "" {
		status = "(none)"
	}
	return fmt.Sprintf("Personio: employee %d is %s, status %s, and %s.", ex.ID, who, status, where)
}

func (ex explanation) mappingSentences() []string {
	if ex.Office == nil && len(ex.AdditionalOffices) == 0 {
		if ex.Type == plan.TypeJob {
			return []string{"No location can map a position without an office, so it is not synced; set its office in Personio."}
		}
		return []string{"No location can map an employee without an office, so it is not synced; set the office in Personio."}
	}
	if len(ex.Mappings) == 0 {
		var office, written string
		if ex.Type == plan.TypeJob {
			names := jobNames(ex)
			office = "office " + strconv.Quote(names[0])
			if len(names) > 1 {
				office = "any of its offices " + strings.Trim(quoteAll(names), "[]")
			}
			written = fmt.Sprintf("office = %q", names[0])
		} else {
			office = "office " + officeLabel(*ex.Office)
			written = fmt.Sprintf("office = %q (or office_id = %d)", ex.Office.Name, ex.Office.ID)
		}
		return []string{fmt.Sprintf("No location maps %s, so this %s is not synced. To sync it, add %s to a location of the company that should have it, or start a company with `gridsync offices -hcl SLUG`.",
			office, ex.noun(), written)}
	}
	var s []string
	for _, m := range ex.Mappings {
		kindWord := string(m.Toggle.Kind)
		s = append(s, fmt.Sprintf("Office %q maps to location.%s.%s (%s).", m.Office, m.Company, m.Location, position(m.At)))
		t := m.Toggle
		state := "on"
		if !t.Enabled {
			state = "off"
		}
		def := fmt.Sprintf("the account default personio.sync.%s = %t (%s)", kindWord, t.Default, rangeOr(t.DefaultAt, "the default"))
		switch {
		case t.FromCompany():
			s = append(s, fmt.Sprintf("%s sync is %s for company %s: its sync block sets %s = %q (%s), which overrides %s.",
				capitalize(kindWord), state, m.Company, kindWord, t.Override, position(t.OverrideAt), def))
		case t.OverrideAt != (hcl.Range{}):
			s = append(s, fmt.Sprintf("%s sync is %s for company %s: it inherits (%s = %q, %s) %s.",
				capitalize(kindWord), state, m.Company, kindWord, t.Override, position(t.OverrideAt), def))
		default:
			s = append(s, fmt.Sprintf("%s sync is %s for company %s: it does not override %s.",
				capitalize(kindWord), state, m.Company, def))
		}
		if !t.Enabled {
			s = append(s, fmt.Sprintf("While %s sync is off, company %s is paused for %s: nothing of them is created, updated or removed.", kindWord, m.Company, kindWord))
		}
	}
	return s
}

func (ex explanation) statusSentence() string {
	where := rangeOr(ex.StatusesAt, "the default")
	list := quoteAll(ex.Statuses)
	if ex.StatusSynced {
		return fmt.Sprintf("Status %q is synced: personio.statuses is %s (%s).", ex.Status, list, where)
	}
	return fmt.Sprintf("Status %q is not synced: personio.statuses is %s (%s), so the status filter leaves this employee out.", ex.Status, list, where)
}

func (ex explanation) rowSentence(r engine.Row) string {
	loc := ""
	if r.Location != "" {
		loc = " (location " + r.Location + ")"
	}
	switch r.State {
	case engine.RowLinked:
		return fmt.Sprintf("Gridwork: %s row %d of company %s%s is linked to it.", ex.noun(), r.TargetID, r.Company, loc)
	case engine.RowAdoptable:
		return fmt.Sprintf("Gridwork: unlinked employee row %d of company %s%s has the email %s: the next plan adopts it (links it rather than adding a second row).", r.TargetID, r.Company, loc, ex.Email)
	}
	return fmt.Sprintf("Gridwork: unlinked employee row %d of company %s%s has the email %s; it is not linked to this employee and stays as it is.", r.TargetID, r.Company, loc, ex.Email)
}

func (ex explanation) planSentences() []string {
	if len(ex.PlanErrors) > 0 {
		var s []string
		for _, d := range ex.PlanErrors {
			at := ""
			if d.Subject != nil {
				at = " (" + position(*d.Subject) + ")"
			}
			s = append(s, fmt.Sprintf("The next plan stops with a configuration error%s: %s. %s", at, d.Summary, d.Detail))
		}
		return s
	}
	var s []string
	subject := "The next plan"
	if ex.Hidden != nil {
		s = append(s, fmt.Sprintf("The next plan stops before it changes anything: %v", ex.Hidden))
		subject = "Once it may read them, the next plan"
	}
	if !ex.GridworkRead {
		subject = "If Gridwork has no row for it, " + strings.ToLower(subject[:1]) + subject[1:]
	}
	if len(ex.Changes) == 0 {
		return append(s, subject+" "+ex.idleReason()+".")
	}
	for _, c := range ex.Changes {
		line := fmt.Sprintf("%s will %s %s", subject, verb(c.Action), c.Address)
		if fields := changedFields(c); c.Action == plan.Update && len(fields) > 0 {
			line += " (" + strings.Join(fields, ", ") + ")"
		}
		if c.Reason != "" {
			line += ": " + c.Reason
		}
		s = append(s, line+".")
	}
	return s
}

// idleReason says why the next plan does nothing with the record.
func (ex explanation) idleReason() string {
	for _, m := range ex.Mappings {
		if !m.Toggle.Enabled {
			return fmt.Sprintf("leaves it alone: %s sync is off for company %s", m.Toggle.Kind, m.Company)
		}
	}
	linked := slices.ContainsFunc(ex.Rows, func(r engine.Row) bool { return r.State == engine.RowLinked })
	switch {
	case linked:
		return "leaves it as it is: Gridwork matches Personio"
	case !ex.Found:
		return "has nothing to do for it"
	case len(ex.Mappings) == 0:
		return "does not sync it: its office is not mapped"
	case ex.Type == plan.TypeEmployee && !ex.StatusSynced:
		return "does not sync it: its status is not synced"
	}
	return "has nothing to do for it"
}

func (ex explanation) addressSentence() string {
	addrs := ex.addresses()
	switch len(addrs) {
	case 0:
		return "It has no address: no company syncs it."
	case 1:
		return "Address: " + addrs[0] + "."
	}
	return "Addresses: " + strings.Join(addrs, ", ") + "."
}

// addresses are the record's plan addresses: in the companies that map
// its office, and where Gridwork links it or the next plan acts on it.
func (ex explanation) addresses() []string {
	out := []string{}
	add := func(a string) {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	for _, m := range ex.Mappings {
		add(m.Address(ex.Type, ex.ID))
	}
	for _, c := range ex.Changes {
		add(c.Address)
	}
	for _, r := range ex.Rows {
		if r.State == engine.RowLinked {
			add(fmt.Sprintf("%s.%s[%d]", ex.Type, r.Company, ex.ID))
		}
	}
	return out
}

// verb is how a sentence names an action.
func verb(a plan.Action) string {
	switch a {
	case plan.Delete:
		return "destroy"
	case plan.NoOp:
		return "leave"
	}
	return string(a)
}

// changedFields are the synced fields a change sets: those whose value
// differs from before (all of them for a create), sorted.
func changedFields(c plan.Change) []string {
	var out []string
	for k, v := range c.After.All() {
		if c.Before.Get(k) != v {
			out = append(out, k)
		}
	}
	for k := range c.Before.All() {
		if !c.After.Has(k) && !c.After.IsNone() {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func jobNames(ex explanation) []string {
	var out []string
	if ex.Office != nil {
		out = append(out, ex.Office.Name)
	}
	return append(out, ex.AdditionalOffices...)
}

// officeLabel names an office: "Berlin" (id 1001), or "Berlin" alone
// without an id.
func officeLabel(o plan.Office) string {
	if o.ID == 0 {
		return strconv.Quote(o.Name)
	}
	return fmt.Sprintf("%q (id %d)", o.Name, o.ID)
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// rangeOr is file:line of r, or alt when r is the zero Range (a default).
func rangeOr(r hcl.Range, alt string) string {
	if r == (hcl.Range{}) {
		return alt
	}
	return position(r)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
