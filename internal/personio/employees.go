package personio

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"sync"

	"golang.org/x/sync/errgroup"
)

// EmployeesPage reads one page of GET /v1/company/employees at a row
// offset. limit must be 1..100 (Personio refuses more). Any failure is a
// *PageError naming the offset.
func (c *Client) EmployeesPage(ctx context.Context, offset, limit int) (Page, error) {
	if limit < 1 || limit > PageSize {
		return Page{}, &PageError{Offset: offset, Err: fmt.Errorf("limit %d is outside 1..%d", limit, PageSize)}
	}
	if offset < 0 {
		return Page{}, &PageError{Offset: offset, Err: errors.New("negative offset")}
	}
	if err := c.Authenticate(ctx); err != nil {
		return Page{}, err
	}
	path := "/v1/company/employees?limit=" + strconv.Itoa(limit) + "&offset=" + strconv.Itoa(offset)
	// An answer that cannot be decoded is asked for once more, within the
	// request's attempt budget (request.decode): a body mangled on the way
	// is worth a second look before the run fails. The decoded page copies
	// what it keeps, so the pooled body can be reused once decoded.
	var p Page
	resp, err := c.do(ctx, request{
		method: http.MethodGet, base: c.apiURL, path: path, accept: "application/json",
		api: true, auth: true, pooled: true,
		decode: func(body []byte) (err error) {
			p, err = decodePageKeep(body, offset, limit, c.keep)
			return err
		},
	})
	defer c.release(resp)
	var ge *garbledError
	switch {
	case errors.As(err, &ge):
		how := "twice in a row"
		if ge.Times < 2 {
			how = "and no attempt was left to ask for it again"
		}
		return Page{}, &PageError{Offset: offset, Err: fmt.Errorf("Personio's answer to GET %s could not be understood, %s (%w). "+
			"This is not a problem with the configuration: try again later, and tell Personio support if it persists", path, how, ge.Err)}
	case err != nil:
		return Page{}, &PageError{Offset: offset, Err: err}
	case resp.status != http.StatusOK:
		return Page{}, &PageError{Offset: offset, Err: c.statusError(http.MethodGet, path, resp)}
	}
	return p, nil
}

// Employees reads every employee, each exactly once, sorted by id. The
// first page reveals the total; the remaining pages are fetched
// concurrently (at most Concurrency at a time) under the pacer. When the
// listing changes while it is read (total_elements differs between pages,
// or the distinct employees do not add up to it), the read restarts once;
// a second change is an error wrapping ErrListingChanged.
func (c *Client) Employees(ctx context.Context) ([]Employee, error) {
	emps, err := c.listEmployees(ctx)
	var first *shiftError
	if !errors.As(err, &first) {
		return emps, err
	}
	c.log.Info("the employee listing changed while it was read; reading it again", "reason", first.reason)
	emps, err = c.listEmployees(ctx)
	var again *shiftError
	if !errors.As(err, &again) {
		return emps, err
	}
	return nil, fmt.Errorf("%w (%s, then %s); try again when nobody is editing employees in Personio", ErrListingChanged, first.reason, again.reason)
}

// shiftError means the listing changed under the pager, and says how;
// Employees restarts once on it.
type shiftError struct{ reason string }

func (e *shiftError) Error() string { return e.reason }

func (c *Client) listEmployees(ctx context.Context) ([]Employee, error) {
	head, err := c.EmployeesPage(ctx, 0, PageSize)
	if err != nil {
		return nil, err
	}
	total := head.Total
	// Pages are kept by offset and concatenated in that order at the end:
	// listings usually come sorted by id, so the final sort finds the
	// order almost in place, and no map holds a second copy of every
	// employee. seen only counts distinct ids for progress and the
	// completeness check.
	var (
		mu    sync.Mutex
		seen  = make(map[int64]struct{}, min(total, 1<<20)) // total is the server's word
		pages = map[int][]Employee{}
	)
	add := func(off int, p Page) {
		mu.Lock()
		defer mu.Unlock()
		pages[off] = p.Employees
		for i := range p.Employees {
			seen[p.Employees[i].ID] = struct{}{}
		}
		if c.progress != nil {
			c.progress(len(seen), total)
		}
	}
	add(0, head)

	// Step by what a page really holds: should Personio cap the page below
	// the requested limit, stepping by 100 would silently skip rows.
	step := PageSize
	if n := len(head.Employees); n < PageSize && n < total {
		if n == 0 {
			return nil, &PageError{Offset: 0, Err: fmt.Errorf("metadata.total_elements is %d but the page holds no employees", total)}
		}
		step = n
	}

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.opts.Concurrency)
	for off := step; off < total; off += step {
		g.Go(func() error {
			p, err := c.EmployeesPage(gctx, off, PageSize)
			if err != nil {
				return err
			}
			if p.Total != total {
				return &shiftError{fmt.Sprintf("total_elements went from %d to %d at offset %d", total, p.Total, off)}
			}
			add(off, p)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		// A cancelled parent surfaces as its own error, not as whichever
		// page happened to notice first.
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	if len(seen) != total {
		return nil, &shiftError{fmt.Sprintf("read %d distinct employees but total_elements is %d", len(seen), total)}
	}
	offsets := slices.Sorted(maps.Keys(pages))
	n := 0
	for _, off := range offsets {
		n += len(pages[off])
	}
	out := make([]Employee, 0, n)
	for _, off := range offsets {
		out = append(out, pages[off]...)
	}
	slices.SortFunc(out, func(a, b Employee) int { return cmp.Compare(a.ID, b.ID) })
	// An employee seen on two pages (rows shifted under the pager but the
	// distinct count still adds up) is kept once.
	out = slices.CompactFunc(out, func(a, b Employee) bool { return a.ID == b.ID })
	return out, nil
}
