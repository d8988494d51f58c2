package engine

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gosimple/slug"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/gridwork/gridsync/config"
)

// maxSlug is the longest slug the configuration accepts.
const maxSlug = 63

// StarterCompany returns a company block named slug, in canonical HCL (as
// `gridsync fmt` writes it), with one location for every office of rep
// that no configured location maps: its slug from the office name (German
// transliteration: München → muenchen, Zürich → zuerich), name and office
// the office name, or office_id where two offices share a name. A comment
// above each location counts the office's employees and positions. Added
// to the configuration as a file, it validates as it stands. n is how
// many locations it holds; with none, the block is not built (nil).
func StarterCompany(cfg *config.Config, rep *OfficeReport, companySlug string) (out []byte, n int, err error) {
	if err := CheckNewCompany(cfg, companySlug); err != nil {
		return nil, 0, err
	}
	names := map[string]int{}
	for _, o := range rep.Offices {
		names[o.Name]++
	}

	f := hclwrite.NewEmptyFile()
	company := f.Body().AppendNewBlock("company", []string{companySlug}).Body()
	company.AppendUnstructuredTokens(hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: []byte("# The company's name as Gridwork shows it.\n")}})
	company.SetAttributeValue("name", cty.StringVal(companySlug))
	used := map[string]bool{}
	for _, o := range rep.Offices {
		if o.Mapped() {
			continue
		}
		n++
		company.AppendNewline()
		company.AppendUnstructuredTokens(hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: []byte("# " + officeSummary(o, rep.JobsUnavailable != "") + "\n")}})
		loc := company.AppendNewBlock("location", []string{uniqueSlug(locationSlug(o.Name), used)}).Body()
		loc.SetAttributeValue("name", cty.StringVal(o.Name))
		if names[o.Name] > 1 && o.ID != 0 {
			loc.SetAttributeValue("office_id", cty.NumberIntVal(o.ID))
		} else {
			loc.SetAttributeValue("office", cty.StringVal(o.Name))
		}
	}
	if n == 0 {
		return nil, 0, nil
	}
	return hclwrite.Format(f.Bytes()), n, nil
}

// CheckNewCompany checks that slug can name a new company of cfg: a
// valid slug that no company has yet.
func CheckNewCompany(cfg *config.Config, slug string) error {
	if !config.ValidSlug(slug) {
		return fmt.Errorf("%q is not a valid company slug: use 1 to %d lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen, such as %q", slug, maxSlug, "acme")
	}
	if c, ok := cfg.Company(slug); ok {
		return fmt.Errorf("company %q is already configured (%s); choose a new slug for the block, or add locations to that company by hand", slug, position(c.DeclRange))
	}
	return nil
}

// locationSlug derives a location slug from an office name: transliterated
// (German rules, so ä → ae, ß → ss; other scripts to Latin), lower case,
// words joined by hyphens, at most maxSlug long, starting with a letter
// ("office-" is put before a name that starts with a digit, and "office"
// stands for a name with no letters or digits at all).
func locationSlug(name string) string {
	s := slug.MakeLang(name, "de")
	switch {
	case s == "":
		s = "office"
	case s[0] < 'a' || s[0] > 'z':
		s = "office-" + s
	}
	return trimSlug(s, maxSlug)
}

// trimSlug cuts s to at most n bytes (slugs are ASCII) and drops the
// hyphens it would end with.
func trimSlug(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.TrimRight(s, "-")
}

// uniqueSlug returns s, or s with the first free suffix -2, -3, … when
// another location of the block has it, and records it in used.
func uniqueSlug(s string, used map[string]bool) string {
	out := s
	for i := 2; used[out]; i++ {
		suffix := "-" + strconv.Itoa(i)
		out = trimSlug(s, maxSlug-len(suffix)) + suffix
	}
	used[out] = true
	return out
}

// officeSummary is the comment above a starter location: the office's id
// and what it holds.
func officeSummary(o OfficeInfo, jobsUnknown bool) string {
	var parts []string
	if o.ID != 0 {
		parts = append(parts, "Personio office "+strconv.FormatInt(o.ID, 10))
	} else {
		parts = append(parts, "named only by the job feed")
	}
	parts = append(parts, employeeSummary(o.Employees))
	if !jobsUnknown {
		parts = append(parts, plural(o.OpenJobs, "open position", "open positions"))
	}
	return strings.Join(parts, "; ")
}

// employeeSummary says how many employees of each status there are:
// "12 employees (10 active, 2 onboarding)", or "no employees".
func employeeSummary(byStatus map[string]int) string {
	total := 0
	var parts []string
	for _, s := range statusOrder(byStatus) {
		if n := byStatus[s]; n > 0 {
			total += n
			parts = append(parts, strconv.Itoa(n)+" "+statusWord(s))
		}
	}
	if total == 0 {
		return "no employees"
	}
	return plural(total, "employee", "employees") + " (" + strings.Join(parts, ", ") + ")"
}

// statusWord is how a count names a status: "2 on leave", "3 active".
func statusWord(s string) string {
	if s == "leave" {
		return "on leave"
	}
	return s
}

// statusOrder lists the statuses of byStatus: Personio's four in their
// usual order, then any others by name.
func statusOrder(byStatus map[string]int) []string {
	out := append([]string(nil), Statuses...)
	var others []string
	for s := range byStatus {
		if !slices.Contains(Statuses, s) {
			others = append(others, s)
		}
	}
	slices.Sort(others)
	return append(out, others...)
}

// plural writes n with the singular or plural noun.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// position is where a range starts, as file:line.
func position(r hcl.Range) string {
	return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line)
}
