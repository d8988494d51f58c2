package personio

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"golang.org/x/sync/errgroup"
)

// Snapshot reads employees and the job feed concurrently and derives the
// offices: the distinct offices seen on employees (id and name) and in the
// feed (name only; id 0 unless an employee office has that name), sorted by
// name. A feed that is unavailable (*FeedUnavailableError) does not fail
// it: the employees are returned, Jobs is nil and JobsUnavailable says
// why. Every other failure does.
func (c *Client) Snapshot(ctx context.Context) (*Snapshot, error) {
	var s Snapshot
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		s.Employees, err = c.Employees(gctx)
		return err
	})
	g.Go(func() error {
		jobs, err := c.Jobs(gctx)
		if fu := (*FeedUnavailableError)(nil); errors.As(err, &fu) {
			s.JobsUnavailable = fu
			return nil
		}
		s.Jobs = jobs
		return err
	})
	if err := g.Wait(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	s.Offices = Offices(s.Employees, s.Jobs)
	return &s, nil
}

// Offices returns the distinct offices of employees and jobs, sorted by
// name, then id. Employee offices are distinct by id (by name when they
// carry none); a feed office adds an id-less entry only when no employee
// office has its name.
func Offices(employees []Employee, jobs []Job) []Office {
	byID := map[int64]Office{}
	byName := map[string]bool{}
	var out []Office
	for _, e := range employees {
		o := e.Office
		if o == nil {
			continue
		}
		if o.ID != 0 {
			if _, ok := byID[o.ID]; ok {
				continue
			}
			byID[o.ID] = *o
		} else if byName[o.Name] {
			continue
		}
		byName[o.Name] = true
		out = append(out, *o)
	}
	addName := func(name string) {
		if name == "" || byName[name] {
			return
		}
		byName[name] = true
		out = append(out, Office{Name: name})
	}
	for _, j := range jobs {
		addName(j.Office)
		for _, o := range j.AdditionalOffices {
			addName(o)
		}
	}
	slices.SortFunc(out, func(a, b Office) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return out
}
