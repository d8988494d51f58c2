package personio

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"golang.org/x/sync/errgroup"
)

// Snapshot reads employees and the job feed concurrently. A feed that is
// unavailable (*FeedUnavailableError) does not fail it: the employees are
// returned, Jobs is nil and JobsUnavailable says why. Every other failure
// does.
func (c *Client) Snapshot(ctx context.Context) (*Snapshot, error) {
	var col collector
	jobs, unavailable, err := c.readBoth(ctx, &col)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(col.employees, func(a, b Employee) int { return cmp.Compare(a.ID, b.ID) })
	return &Snapshot{Employees: col.employees, Jobs: jobs, JobsUnavailable: unavailable}, nil
}

// readBoth reads the employee listing into sink and the job feed,
// concurrently. A feed that is unavailable comes back as unavailable, not
// as err.
func (c *Client) readBoth(ctx context.Context, sink rowSink) (jobs []Job, unavailable *FeedUnavailableError, err error) {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return c.read(gctx, c.sel, sink) })
	g.Go(func() (err error) {
		jobs, err = c.Jobs(gctx)
		if errors.As(err, &unavailable) {
			return nil
		}
		return err
	})
	if err := g.Wait(); err != nil {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		return nil, nil, err
	}
	return jobs, unavailable, nil
}
