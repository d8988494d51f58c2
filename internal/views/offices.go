package views

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/gridwork/gridsync/internal/engine"
	"github.com/gridwork/gridsync/internal/words"
)

// officesFormatVersion is the version of `gridsync offices -json`,
// described by schema/offices.schema.json.
const officesFormatVersion = "1"

// Offices is the view of offices: a table, the -json document, or the
// company block of -hcl.
type Offices interface {
	// Warnings warns on stderr that the job feed could not be read, and
	// about what the next plan would say of the configured mappings
	// (diags, warnings: engine.CheckOffices). The next plan stops at the
	// errors among them; offices only lists them.
	Warnings(files map[string]*hcl.File, rep *engine.OfficeReport, diags hcl.Diagnostics, warnings []string) error
	// Report renders Personio's offices.
	Report(rep *engine.OfficeReport) error
}

// NewOffices returns the offices view for people, or the JSON one when
// json (-json) is set (see NewOfficesHCL).
func NewOffices(json bool, v *View) Offices {
	if json {
		return &officesJSON{officesHuman{v}}
	}
	return &officesHuman{v}
}

type officesHuman struct{ *View }

func (v *officesHuman) Warnings(files map[string]*hcl.File, rep *engine.OfficeReport, diags hcl.Diagnostics, warnings []string) error {
	if rep.JobsUnavailable != "" {
		fmt.Fprintf(v.stderr, "Warning: the job feed could not be read: %s. Open positions are unknown (null in -json), and offices that only the feed names are missing.\n\n", rep.JobsUnavailable)
	}
	out := make(hcl.Diagnostics, 0, len(diags)+len(warnings))
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			w := *d
			w.Severity = hcl.DiagWarning
			w.Detail += " plan stops at this until it is fixed."
			d = &w
		}
		out = append(out, d)
	}
	for _, w := range warnings {
		out = append(out, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: w})
	}
	return v.Diagnostics(files, out)
}

// Report writes rep as a table with aligned columns: id, office,
// employees per status, open positions, and the locations mapping each
// office ("(unmapped)" when none), then a summary.
func (v *officesHuman) Report(rep *engine.OfficeReport) error {
	all := map[string]int{}
	for _, o := range rep.Offices {
		for s, n := range o.Employees {
			all[s] += n
		}
	}
	statuses := statusOrder(all)
	header := []string{"ID", "OFFICE"}
	for _, s := range statuses {
		header = append(header, strings.ToUpper(cmp.Or(statusWords[s], s)))
	}
	header = append(header, "OPEN JOBS", "LOCATIONS")
	// Numbers are right-aligned, text left-aligned.
	right := func(col int) bool { return col == 0 || (col >= 2 && col < len(header)-1) }

	rows := [][]string{header}
	mapped, feedOnly := 0, false
	for _, o := range rep.Offices {
		id := "?"
		if o.ID != 0 {
			id = strconv.FormatInt(o.ID, 10)
		} else {
			feedOnly = true
		}
		row := []string{id, o.Name}
		for _, s := range statuses {
			row = append(row, strconv.Itoa(o.Employees[s]))
		}
		jobs := "?"
		if rep.JobsUnavailable == "" {
			jobs = strconv.Itoa(o.OpenJobs)
		}
		locs := "(unmapped)"
		if o.Mapped() {
			locs = strings.Join(o.Locations, ", ")
			mapped++
		}
		rows = append(rows, append(row, jobs, locs))
	}
	widths := make([]int, len(header))
	for _, row := range rows {
		for c, cell := range row {
			widths[c] = max(widths[c], utf8.RuneCountInString(cell))
		}
	}
	var b strings.Builder
	for r, row := range rows {
		for c, cell := range row {
			pad := strings.Repeat(" ", widths[c]-utf8.RuneCountInString(cell))
			last := c == len(row)-1
			switch {
			case r == 0:
				cell = v.paint("1", cell)
			case last && !rep.Offices[r-1].Mapped():
				cell = v.paint("33", cell)
			}
			switch {
			case right(c): // never the last column
				cell = pad + cell + "  "
			case !last:
				cell += pad + "  "
			}
			b.WriteString(cell)
		}
		b.WriteByte('\n')
	}
	if len(rep.Offices) == 0 {
		b.WriteString("(Personio shows no offices: no employee has one and the job feed names none.)\n")
	}

	b.WriteByte('\n')
	summary := fmt.Sprintf("%s: %s mapped, %s unmapped. %s", words.Count(len(rep.Offices), "office", "offices"), words.Number(mapped), words.Number(len(rep.Offices)-mapped), words.Count(rep.Employees, "employee", "employees"))
	if rep.WithoutOffice > 0 {
		summary += fmt.Sprintf(" (%s without an office, never synced)", words.Number(rep.WithoutOffice))
	}
	if rep.JobsUnavailable == "" {
		summary += ", " + words.Count(rep.Positions, "open position", "open positions")
	}
	b.WriteString(summary + ".\n")
	if feedOnly {
		b.WriteString("? marks an office that only the job feed names: no employee is in it, so its id is not known; map it by name.\n")
	}
	if mapped < len(rep.Offices) {
		fmt.Fprintf(&b, "To map the unmapped offices in a new company, run: %s\n", v.Command("offices", "-hcl SLUG > SLUG.hcl"))
	}
	_, err := io.WriteString(v.stdout, b.String())
	return err
}

// officesJSON is the -json document; kept apart from OfficeReport so that
// the format changes only on purpose.
type officesJSON struct{ officesHuman }

type officeJSON struct {
	// ID is null for an office only the job feed names.
	ID        *int64         `json:"id"`
	Name      string         `json:"name"`
	Employees map[string]int `json:"employees"`
	// OpenJobs is null when the job feed could not be read.
	OpenJobs  *int     `json:"open_jobs"`
	Locations []string `json:"locations"`
}

// Report writes every office with its id (null when only the job feed
// names it), its employees by status (active, onboarding, leave and
// inactive always, 0 when none, and any other status Personio answers),
// its open positions (null when the feed could not be read) and the
// addresses of the locations that map it ([] when unmapped).
func (v *officesJSON) Report(rep *engine.OfficeReport) error {
	offices := make([]officeJSON, len(rep.Offices))
	for i, o := range rep.Offices {
		oj := officeJSON{Name: o.Name, Employees: map[string]int{}, Locations: append([]string{}, o.Locations...)}
		if o.ID != 0 {
			oj.ID = &o.ID
		}
		for _, s := range engine.Statuses {
			oj.Employees[s] = 0
		}
		maps.Copy(oj.Employees, o.Employees)
		if rep.JobsUnavailable == "" {
			oj.OpenJobs = &o.OpenJobs
		}
		offices[i] = oj
	}
	return writeJSON(v.stdout, struct {
		FormatVersion string       `json:"format_version"`
		Offices       []officeJSON `json:"offices"`
	}{officesFormatVersion, offices})
}

// statusWords name the statuses a count does not name by themselves: "2
// on leave", but "3 active".
var statusWords = map[string]string{"leave": "on leave"}
