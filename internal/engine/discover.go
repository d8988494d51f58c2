package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"golang.org/x/sync/errgroup"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/personio"
	"github.com/gridwork/gridsync/plan"
)

// Statuses are Personio's employee statuses, in the order reports list
// them.
var Statuses = []string{"active", "onboarding", "leave", "inactive"}

// OfficeReport is what Personio shows of its offices: every office an
// employee or a job feed position names, with counts, and the
// configuration's locations that map each. It holds counts, never records.
type OfficeReport struct {
	// Offices are sorted by name, then id (an office only the feed names,
	// id 0, first among offices of one name).
	Offices []OfficeInfo
	// Employees is how many employees Personio listed; WithoutOffice how
	// many of them have no office (they are never synced).
	Employees     int
	WithoutOffice int
	// Positions is how many positions the job feed lists; 0 when the feed
	// could not be read.
	Positions int
	// JobsUnavailable says why the job feed could not be read (its URL
	// and Personio's answer); "" when it was read.
	JobsUnavailable string
}

// OfficeInfo is one Personio office.
type OfficeInfo struct {
	// ID is Personio's office id; 0 for an office that only the job feed
	// names (the feed carries names, not ids).
	ID   int64
	Name string
	// Employees counts the office's employees by Personio status (active,
	// onboarding, leave, inactive, or whatever else Personio answers).
	Employees map[string]int
	// OpenJobs counts the feed positions naming the office, as their
	// office or as an additional one (each position once). Offices that
	// share a name each count the positions naming it: the feed cannot
	// tell them apart.
	OpenJobs int
	// Locations are the addresses of the configured locations that map
	// the office (location.acme.berlin-hq), sorted; empty when unmapped.
	Locations []string
}

// Mapped reports whether a configured location maps the office.
func (o OfficeInfo) Mapped() bool { return len(o.Locations) > 0 }

// ReaderClient returns a Personio client for cfg whose employee listings
// report their progress on r.Progress, as plan's do. done ends a live
// progress line; call it when the reads are over.
func (r *Runner) ReaderClient(cfg *config.Config, creds personio.Credentials) (client *personio.Client, done func(), err error) {
	prog := newProgress(r.Progress, r.LiveProgress, "reading Personio employees")
	client, err = r.newClient(cfg, creds, prog.update)
	if err != nil {
		return nil, func() {}, err
	}
	return client, prog.done, nil
}

// Offices reads Personio's offices for cfg: it decrypts the credentials,
// authenticates, counts the employees of every office and reads the job
// feed, concurrently. It needs no database and writes nothing.
func (r *Runner) Offices(ctx context.Context, cfg *config.Config) (*OfficeReport, error) {
	client, done, err := r.connect(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer done()
	return readOffices(ctx, cfg, client)
}

// connect decrypts the credentials (or takes r.Credentials') and returns
// an authenticated ReaderClient; call done when the reads are over.
func (r *Runner) connect(ctx context.Context, cfg *config.Config) (client *personio.Client, done func(), err error) {
	credentials := Credentials
	if r.Credentials != nil {
		credentials = r.Credentials
	}
	creds, err := credentials(cfg)
	if err != nil {
		return nil, func() {}, err
	}
	client, done, err = r.ReaderClient(cfg, creds)
	if err != nil {
		return nil, done, err
	}
	if err := client.Authenticate(ctx); err != nil {
		done()
		return nil, func() {}, CredentialsError(cfg, err)
	}
	return client, done, nil
}

// readOffices counts the employees of every office and reads the job feed
// through client, concurrently, and maps the offices to cfg's locations.
// A feed that is unavailable does not fail it (see
// OfficeReport.JobsUnavailable); any other failure does.
func readOffices(ctx context.Context, cfg *config.Config, client *personio.Client) (*OfficeReport, error) {
	var (
		rep  *OfficeReport
		jobs []personio.Job
		fu   *personio.FeedUnavailableError
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		rep, err = CountOffices(gctx, client)
		return err
	})
	g.Go(func() (err error) {
		if jobs, err = client.Jobs(gctx); errors.As(err, &fu) {
			return nil
		}
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, cmp.Or(ctx.Err(), err)
	}
	if fu != nil {
		rep.JobsUnavailable = fu.Reason()
	} else {
		rep.AddJobs(jobs)
	}
	rep.Map(cfg)
	return rep, nil
}

// CountOffices reads Personio's employee listing and counts the employees
// of each office by status. Memory stays bounded however large the
// tenant: the listing is scanned, not kept, and only the office and the
// status of each employee must be readable.
func CountOffices(ctx context.Context, client *personio.Client) (*OfficeReport, error) {
	var c officeCounter
	// A credential that may read only these can still list its offices.
	if err := client.ScanEmployees(ctx, []string{"office", "status"}, &c); err != nil {
		return nil, err
	}
	rep := &OfficeReport{Employees: c.employees, WithoutOffice: c.without}
	for _, o := range c.offices {
		rep.Offices = append(rep.Offices, *o)
	}
	rep.sort()
	return rep, nil
}

// officeCounter counts employees by office and status as a listing is
// scanned; a new read of the listing starts the counts over.
type officeCounter struct {
	// offices are keyed by id, or by name when Personio gave no id.
	offices            map[personio.Office]*OfficeInfo
	employees, without int
}

func (c *officeCounter) Begin(int) {
	c.offices = map[personio.Office]*OfficeInfo{}
	c.employees, c.without = 0, 0
}

func (c *officeCounter) Visit(e *personio.Employee) error {
	c.employees++
	if e.Office == nil {
		c.without++
		return nil
	}
	key := *e.Office
	if key.ID != 0 {
		key.Name = ""
	}
	o := c.offices[key]
	if o == nil {
		o = &OfficeInfo{ID: e.Office.ID, Name: e.Office.Name, Employees: map[string]int{}}
		c.offices[key] = o
	}
	o.Employees[cmp.Or(e.Status, "none")]++
	return nil
}

// AddJobs counts the positions of the job feed per office name. A name
// that no employee office has becomes an office of its own, with id 0.
func (rep *OfficeReport) AddJobs(jobs []personio.Job) {
	rep.Positions = len(jobs)
	byName := map[string][]int{}
	for i, o := range rep.Offices {
		byName[o.Name] = append(byName[o.Name], i)
	}
	for _, j := range jobs {
		names := append([]string{j.Office}, j.AdditionalOffices...)
		for k, name := range names {
			if name == "" || slices.Contains(names[:k], name) {
				continue
			}
			if _, ok := byName[name]; !ok {
				rep.Offices = append(rep.Offices, OfficeInfo{Name: name, Employees: map[string]int{}})
				byName[name] = []int{len(rep.Offices) - 1}
			}
			for _, i := range byName[name] {
				rep.Offices[i].OpenJobs++
			}
		}
	}
	rep.sort()
}

func (rep *OfficeReport) sort() {
	slices.SortFunc(rep.Offices, func(a, b OfficeInfo) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
}

// Map sets each office's Locations: the configured locations whose
// office_id is the office's id, or whose office is its name (an office
// known only from the feed matches by name alone, and only when no office
// with an id has that name).
func (rep *OfficeReport) Map(cfg *config.Config) {
	withID := map[string]bool{}
	for _, o := range rep.Offices {
		if o.ID != 0 {
			withID[o.Name] = true
		}
	}
	for i := range rep.Offices {
		o := &rep.Offices[i]
		o.Locations = []string{}
		for _, c := range cfg.Companies {
			for _, loc := range c.Locations {
				byID := loc.OfficeID != 0 && o.ID != 0 && loc.OfficeID == o.ID
				byName := loc.Office != "" && loc.Office == o.Name && (o.ID != 0 || !withID[o.Name])
				if byID || byName {
					o.Locations = append(o.Locations, "location."+c.Slug+"."+loc.Slug)
				}
			}
		}
		slices.Sort(o.Locations)
	}
}

// CheckOffices resolves every mapped location of cfg against the offices
// of rep exactly as a plan does, and returns the plan's diagnostics: an
// office Personio does not show (with the offices it does show, closest
// first), a name two offices share, one office mapped twice once names
// are resolved. warnings are the plan's notes, such as a name no employee
// office has while the feed, which may name it, could not be read.
func CheckOffices(cfg *config.Config, rep *OfficeReport) (diags hcl.Diagnostics, warnings []string) {
	// The plan's input: no employees or jobs, only the offices, and
	// whether the feed was read.
	src := &plan.Source{Offices: make([]plan.Office, len(rep.Offices)), JobsUnavailable: rep.JobsUnavailable}
	for i, o := range rep.Offices {
		src.Offices[i] = plan.Office{ID: o.ID, Name: o.Name}
	}
	d, diags := plan.Desired(cfg, src, plan.DesiredOptions{})
	if d != nil {
		warnings = d.Warnings
	}
	return diags, warnings
}

// CheckNewCompany checks that slug can name a new company of cfg (offices
// -hcl): a valid slug that no company has yet.
func CheckNewCompany(cfg *config.Config, slug string) error {
	if !config.ValidSlug(slug) {
		return fmt.Errorf("%q is not a valid company slug: use 1 to 63 lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen, such as %q", slug, "acme")
	}
	if c, ok := cfg.Company(slug); ok {
		return fmt.Errorf("company %q is already configured (%s:%d); choose a new slug for the block, or add locations to that company by hand", slug, c.DeclRange.Filename, c.DeclRange.Start.Line)
	}
	return nil
}
