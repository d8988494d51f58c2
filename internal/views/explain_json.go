package views

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/gridwork/gridsync/internal/engine"
	"github.com/gridwork/gridsync/plan"
)

// explainFormatVersion is the version of `gridsync explain -json`.
const explainFormatVersion = "1"

type explainJSON struct{ *View }

// explainDoc is the -json document of explain, kept apart from
// engine.Explanation so that the format changes only on purpose.
// Positions in the configuration are "file:line", null for a default.
type explainDoc struct {
	FormatVersion string            `json:"format_version"`
	Type          plan.Type         `json:"type"`
	ID            int64             `json:"id"`
	Found         bool              `json:"found"`
	Personio      *personioJSON     `json:"personio"`
	Mappings      []mappingJSON     `json:"mappings"`
	StatusFilter  *statusFilterJSON `json:"status_filter"`
	Gridwork      gridworkJSON      `json:"gridwork"`
	Plan          explainPlanJSON   `json:"plan"`
	Addresses     []string          `json:"addresses"`
	Story         []string          `json:"story"`
}

type personioJSON struct {
	Name              string     `json:"name"`
	Email             *string    `json:"email"`
	Status            *string    `json:"status"`
	Office            *officeRef `json:"office"`
	AdditionalOffices []string   `json:"additional_offices"`
}

type officeRef struct {
	ID   *int64 `json:"id"`
	Name string `json:"name"`
}

type mappingJSON struct {
	Company    string     `json:"company"`
	Location   string     `json:"location"`
	Address    string     `json:"address"`
	Office     string     `json:"office"`
	DeclaredAt *string    `json:"declared_at"`
	Toggle     toggleJSON `json:"toggle"`
}

type toggleJSON struct {
	Kind             string  `json:"kind"`
	Enabled          bool    `json:"enabled"`
	From             string  `json:"from"` // company | account
	Override         string  `json:"override"`
	OverrideAt       *string `json:"override_at"`
	AccountDefault   bool    `json:"account_default"`
	AccountDefaultAt *string `json:"account_default_at"`
}

type statusFilterJSON struct {
	Statuses   []string `json:"statuses"`
	Synced     bool     `json:"synced"`
	DeclaredAt *string  `json:"declared_at"`
}

type gridworkJSON struct {
	Read  bool      `json:"read"`
	Error *string   `json:"error"`
	Rows  []rowJSON `json:"rows"`
}

type rowJSON struct {
	Company  string `json:"company"`
	TargetID int64  `json:"target_id"`
	State    string `json:"state"`
	Location string `json:"location"`
}

type explainPlanJSON struct {
	AssumesNoRow bool                `json:"assumes_no_row"`
	Errors       []string            `json:"errors"`
	Changes      []explainChangeJSON `json:"changes"`
}

type explainChangeJSON struct {
	Address string   `json:"address"`
	Action  string   `json:"action"`
	Reason  string   `json:"reason"`
	Fields  []string `json:"fields"`
}

// Explanation writes ex as `gridsync explain -json` (see the README for
// the fields).
func (v *explainJSON) Explanation(e *engine.Explanation) error {
	ex := explanation{e}
	doc := explainDoc{
		FormatVersion: explainFormatVersion,
		Type:          ex.Type,
		ID:            ex.ID,
		Found:         ex.Found,
		Mappings:      []mappingJSON{},
		Gridwork:      gridworkJSON{Read: ex.GridworkRead, Rows: []rowJSON{}},
		Plan:          explainPlanJSON{AssumesNoRow: !ex.GridworkRead, Errors: []string{}, Changes: []explainChangeJSON{}},
		Addresses:     ex.addresses(),
		Story:         ex.story(),
	}
	if ex.Found {
		p := &personioJSON{Name: ex.Name, AdditionalOffices: []string{}}
		if ex.Type == plan.TypeEmployee {
			p.Email, p.Status = &ex.Email, &ex.Status
		} else {
			p.AdditionalOffices = append(p.AdditionalOffices, ex.AdditionalOffices...)
		}
		if ex.Office != nil {
			p.Office = &officeRef{Name: ex.Office.Name}
			if ex.Office.ID != 0 {
				id := ex.Office.ID
				p.Office.ID = &id
			}
		}
		doc.Personio = p
	}
	for _, m := range ex.Mappings {
		t := m.Toggle
		from := "account"
		if t.FromCompany() {
			from = "company"
		}
		doc.Mappings = append(doc.Mappings, mappingJSON{
			Company: m.Company, Location: m.Location, Address: m.Address(ex.Type, ex.ID), Office: m.Office,
			DeclaredAt: at(m.At),
			Toggle: toggleJSON{
				Kind: string(t.Kind), Enabled: t.Enabled, From: from, Override: string(t.Override), OverrideAt: at(t.OverrideAt),
				AccountDefault: t.Default, AccountDefaultAt: at(t.DefaultAt),
			},
		})
	}
	if ex.Type == plan.TypeEmployee && ex.Found {
		doc.StatusFilter = &statusFilterJSON{Statuses: ex.Statuses, Synced: ex.StatusSynced, DeclaredAt: at(ex.StatusesAt)}
	}
	if !ex.GridworkRead {
		e := ex.GridworkError
		doc.Gridwork.Error = &e
	}
	for _, r := range ex.Rows {
		doc.Gridwork.Rows = append(doc.Gridwork.Rows, rowJSON{Company: r.Company, TargetID: r.TargetID, State: string(r.State), Location: r.Location})
	}
	for _, d := range ex.PlanErrors {
		doc.Plan.Errors = append(doc.Plan.Errors, diagText(d))
	}
	for _, c := range ex.Changes {
		fields := changedFields(c)
		if fields == nil || c.Action == plan.Unlink || c.Action == plan.Delete {
			fields = []string{}
		}
		doc.Plan.Changes = append(doc.Plan.Changes, explainChangeJSON{Address: c.Address, Action: string(c.Action), Reason: c.Reason, Fields: fields})
	}
	if ex.Hidden != nil {
		doc.Plan.Errors = append(doc.Plan.Errors, ex.Hidden.Error())
	}
	return writeJSON(v.stdout, doc)
}

// at is a position as "file:line", nil for the zero Range (a default).
func at(r hcl.Range) *string {
	if r == (hcl.Range{}) {
		return nil
	}
	s := position(r)
	return &s
}

// diagText is a diagnostic in one line: position, summary, detail.
func diagText(d *hcl.Diagnostic) string {
	s := d.Summary
	if d.Detail != "" {
		s += ": " + d.Detail
	}
	if d.Subject != nil {
		s = position(*d.Subject) + ": " + s
	}
	return s
}
