package engine

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// OfficesFormatVersion is the version of `gridsync offices -json`,
// described by schema/offices.schema.json.
const OfficesFormatVersion = "1"

// officesJSON is the -json document; kept apart from OfficeReport so that
// the format changes only on purpose.
type officesJSON struct {
	FormatVersion string       `json:"format_version"`
	Offices       []officeJSON `json:"offices"`
}

type officeJSON struct {
	// ID is null for an office only the job feed names.
	ID        *int64         `json:"id"`
	Name      string         `json:"name"`
	Employees map[string]int `json:"employees"`
	// OpenJobs is null when the job feed could not be read.
	OpenJobs  *int     `json:"open_jobs"`
	Locations []string `json:"locations"`
}

// RenderOfficesJSON writes rep as `gridsync offices -json`: every office
// with its id (null when only the job feed names it), its employees by
// status (active, onboarding, leave and inactive always, 0 when none, and
// any other status Personio answers), its open positions (null when the
// feed could not be read) and the addresses of the locations that map it
// ([] when unmapped).
func RenderOfficesJSON(w io.Writer, rep *OfficeReport) error {
	doc := officesJSON{FormatVersion: OfficesFormatVersion, Offices: make([]officeJSON, len(rep.Offices))}
	for i, o := range rep.Offices {
		oj := officeJSON{Name: o.Name, Employees: map[string]int{}, Locations: o.Locations}
		if o.ID != 0 {
			id := o.ID
			oj.ID = &id
		}
		for _, s := range Statuses {
			oj.Employees[s] = 0
		}
		for s, n := range o.Employees {
			oj.Employees[s] = n
		}
		if rep.JobsUnavailable == "" {
			n := o.OpenJobs
			oj.OpenJobs = &n
		}
		if oj.Locations == nil {
			oj.Locations = []string{}
		}
		doc.Offices[i] = oj
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

// OfficesTextOptions adjust the table.
type OfficesTextOptions struct {
	// Color marks unmapped offices (ANSI colour, for terminals).
	Color bool
	// HCLCommand is the command that prints a company block for the
	// unmapped offices, suggested below the table; "" suggests nothing.
	HCLCommand string
}

// RenderOfficesText writes rep as a table with aligned columns: id,
// office, employees per status, open positions, and the locations mapping
// each office ("(unmapped)" when none), then a summary.
func RenderOfficesText(w io.Writer, rep *OfficeReport, opts OfficesTextOptions) error {
	statuses := slices.Clone(Statuses)
	for _, o := range rep.Offices {
		for s := range o.Employees {
			if !slices.Contains(statuses, s) {
				statuses = append(statuses, s)
			}
		}
	}
	slices.Sort(statuses[len(Statuses):])
	header := []string{"ID", "OFFICE"}
	for _, s := range statuses {
		header = append(header, strings.ToUpper(statusWord(s)))
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
			case opts.Color && r > 0 && last && !rep.Offices[r-1].Mapped():
				cell = "\x1b[33m" + cell + "\x1b[0m"
			case opts.Color && r == 0:
				cell = "\x1b[1m" + cell + "\x1b[0m"
			}
			switch {
			case right(c):
				b.WriteString(pad + cell)
			case last:
				b.WriteString(cell)
			default:
				b.WriteString(cell + pad)
			}
			if !last {
				b.WriteString("  ")
			}
		}
		b.WriteByte('\n')
	}
	if len(rep.Offices) == 0 {
		b.WriteString("(Personio shows no offices: no employee has one and the job feed names none.)\n")
	}

	b.WriteByte('\n')
	summary := fmt.Sprintf("%s: %d mapped, %d unmapped. %s", plural(len(rep.Offices), "office", "offices"), mapped, len(rep.Offices)-mapped, plural(rep.Employees, "employee", "employees"))
	if rep.WithoutOffice > 0 {
		summary += fmt.Sprintf(" (%d without an office, never synced)", rep.WithoutOffice)
	}
	if rep.JobsUnavailable == "" {
		summary += ", " + plural(rep.Positions, "open position", "open positions")
	}
	b.WriteString(summary + ".\n")
	if feedOnly {
		b.WriteString("? marks an office that only the job feed names: no employee is in it, so its id is not known; map it by name.\n")
	}
	if mapped < len(rep.Offices) && opts.HCLCommand != "" {
		fmt.Fprintf(&b, "To map the unmapped offices in a new company, run: %s\n", opts.HCLCommand)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
