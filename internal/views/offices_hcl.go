package views

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gosimple/slug"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/engine"
	"github.com/gridwork/gridsync/internal/words"
)

// maxSlug is the longest slug the configuration accepts.
const maxSlug = 63

// NewOfficesHCL returns the view of offices -hcl SLUG: a company block
// named companySlug mapping every office no location of cfg maps yet.
func NewOfficesHCL(v *View, cfg *config.Config, companySlug string) Offices {
	return &officesHCL{officesHuman{v}, cfg, companySlug}
}

type officesHCL struct {
	officesHuman
	cfg  *config.Config
	slug string
}

// Report writes the company block on stdout and on stderr what to do
// with it.
func (v *officesHCL) Report(rep *engine.OfficeReport) error {
	out, n, err := starterCompany(v.cfg, rep, v.slug)
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintln(v.stderr, "Every office Personio shows is mapped by a location already: there is nothing to add.")
		return nil
	}
	if _, err := v.stdout.Write(out); err != nil {
		return err
	}
	fmt.Fprintf(v.stderr, "\n%s for the offices no company maps yet. Save the block as %s.hcl in the configuration directory, set the company's name, drop the locations you do not want, then run:\n  %s && %s\n",
		words.Count(n, "location", "locations"), v.slug, v.Command("validate", ""), v.Command("plan", ""))
	return nil
}

// starterCompany returns a company block named companySlug, in canonical
// HCL (as `gridsync fmt` writes it), with one location for every office
// of rep that no configured location maps: its slug from the office name
// (German transliteration: München → muenchen, Zürich → zuerich), name
// and office the office name, or office_id where two offices share a
// name. A comment above each location counts the office's employees and
// positions. Added to the configuration as a file, it validates as it
// stands. n is how many locations it holds; with none, the block is not
// built (nil).
func starterCompany(cfg *config.Config, rep *engine.OfficeReport, companySlug string) (out []byte, n int, err error) {
	if err := engine.CheckNewCompany(cfg, companySlug); err != nil {
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
func officeSummary(o engine.OfficeInfo, jobsUnknown bool) string {
	parts := []string{"named only by the job feed", employeeSummary(o.Employees)}
	if o.ID != 0 {
		parts[0] = "Personio office " + strconv.FormatInt(o.ID, 10)
	}
	if !jobsUnknown {
		parts = append(parts, words.Count(o.OpenJobs, "open position", "open positions"))
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
			parts = append(parts, words.Number(n)+" "+cmp.Or(statusWords[s], s))
		}
	}
	if total == 0 {
		return "no employees"
	}
	return words.Count(total, "employee", "employees") + " (" + strings.Join(parts, ", ") + ")"
}

// statusOrder lists the statuses of byStatus: Personio's four in their
// usual order, then any others by name.
func statusOrder(byStatus map[string]int) []string {
	out := slices.Clone(engine.Statuses)
	var others []string
	for s := range byStatus {
		if !slices.Contains(engine.Statuses, s) {
			others = append(others, s)
		}
	}
	slices.Sort(others)
	return append(out, others...)
}
