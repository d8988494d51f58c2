package views

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/words"
)

// Checklist is the view of creds validate: one line per check, "✓ what
// 12ms", "✗ what: why" or "– what" (skipped) on a terminal, PASS, FAIL and
// SKIP elsewhere.
type Checklist struct {
	*View
	start  time.Time
	checks int // lines passed or failed
	failed int
}

// NewChecklist returns the view of creds validate.
func NewChecklist(v *View) *Checklist { return &Checklist{View: v} }

// Begin starts the clock of the next check.
func (c *Checklist) Begin() { c.start = time.Now() }

func (c *Checklist) line(mark, word, sgr, text string) {
	if !c.outTerminal {
		mark = word
	}
	fmt.Fprintf(c.stdout, "%s %s\n", c.paint(sgr, mark), text)
}

// Pass writes a check that passed, with how long it took.
func (c *Checklist) Pass(format string, args ...any) {
	c.checks++
	c.line("✓", "PASS", "32", fmt.Sprintf(format, args...)+"  "+roundDuration(time.Since(c.start)).String())
}

// Fail writes a check that failed, and why.
func (c *Checklist) Fail(what string, err error) {
	c.checks++
	c.failed++
	c.line("✗", "FAIL", "31", what+": "+err.Error())
}

// Mappings writes the check of cfg's office mappings, given what the plan
// would say of them (engine.CheckOffices): a failed check per error in
// diags, named by the location's address and file:line, a skipped one per
// warning, and one that passed when no error did.
func (c *Checklist) Mappings(cfg *config.Config, diags hcl.Diagnostics, warnings []string) {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		where := "office mapping"
		if d.Subject != nil {
			where = position(*d.Subject)
		locations:
			for _, co := range cfg.Companies {
				for _, l := range co.Locations {
					if l.OfficeRange == *d.Subject {
						where = fmt.Sprintf("location.%s.%s (%s)", co.Slug, l.Slug, where)
						break locations
					}
				}
			}
		}
		c.Fail(where, fmt.Errorf("%s. %s", d.Summary, d.Detail))
	}
	for _, w := range warnings {
		c.Skip("%s", w)
	}
	_, mapped := countLocations(cfg)
	switch {
	case diags.HasErrors():
	case mapped == 0:
		c.Pass("no location maps an office yet: see gridsync offices")
	default:
		c.Pass("every mapped office exists in Personio (%s)", words.Count(mapped, "location", "locations"))
	}
}

// Skip writes a check that was not made, or whose failure does not count.
func (c *Checklist) Skip(format string, args ...any) {
	c.line("–", "SKIP", "2", fmt.Sprintf(format, args...))
}

// Done says that Personio is ready when every check passed, or returns
// how many checks failed, of how many.
func (c *Checklist) Done() error {
	if c.failed > 0 {
		return fmt.Errorf("%d of %d checks failed; fix what the failed lines say and run gridsync creds validate again", c.failed, c.checks)
	}
	fmt.Fprintln(c.stdout, "Personio is ready: every check passed.")
	return nil
}

func roundDuration(d time.Duration) time.Duration {
	if d < time.Millisecond {
		return d.Round(10 * time.Microsecond)
	}
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(10 * time.Millisecond)
}
