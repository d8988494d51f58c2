package personio

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"

	"golang.org/x/sync/errgroup"
)

// maxReads bounds how often Employees reads the listing when it keeps
// moving under the read.
const maxReads = 3

// EmployeesPage reads one page of GET /v1/company/employees at a row
// offset. limit must be 1..100 (Personio refuses more). Any failure is a
// *PageError naming the offset.
func (c *Client) EmployeesPage(ctx context.Context, offset, limit int) (Page, error) {
	return c.page(ctx, offset, limit, 0)
}

// page is EmployeesPage for a page whose first repeat rows were already
// read on the previous page: they are not counted again for
// Page.absent.
func (c *Client) page(ctx context.Context, offset, limit, repeat int) (Page, error) {
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
			p, err = decodePage(body, offset, limit, c.sel, repeat)
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

// Employees reads every employee, each exactly once, sorted by id.
//
// Offset paging skips a row when the listing shifts under the read (an
// employee before the current offset removed, another added at the end:
// the total stays the same). So pages overlap by one row: each page starts
// with the row the previous page ended with, and a boundary where the two
// differ means the listing moved. The first page reveals the total and how
// many rows Personio serves per page; the others are fetched concurrently
// (at most Concurrency at a time) under the pacer. A listing that moved is
// read again, up to three reads in all; then the error wraps
// ErrListingChanged. Rows added at the end while the listing is read are
// read too.
//
// With Options.RequiredAttributes set, the attribute list is read beside
// the first page, and an attribute it lacks, or one that employees come
// without, fails the read with a *HiddenAttributesError.
func (c *Client) Employees(ctx context.Context) ([]Employee, error) {
	listed := c.startAttributeCheck(ctx)
	var reasons []string
	for read := 1; ; read++ {
		l, err := c.readListing(ctx, listed)
		var shift *shiftError
		if !errors.As(err, &shift) {
			if err != nil {
				return nil, err
			}
			if err := c.checkAbsent(ctx, l); err != nil {
				return nil, err
			}
			return l.employees, nil
		}
		reasons = append(reasons, shift.reason)
		if read == maxReads {
			return nil, fmt.Errorf("%w: it moved during each of %d reads (%s); nothing was written. Try again when fewer employees are being added or removed in Personio",
				ErrListingChanged, maxReads, joinReasons(reasons))
		}
		c.log.Info("the employee listing moved while it was read; reading it again", "reason", shift.reason, "read", read+1, "of", maxReads)
	}
}

func joinReasons(rs []string) string {
	s := ""
	for i, r := range rs {
		if i > 0 {
			s += "; then "
		}
		s += r
	}
	return s
}

// shiftError means the listing moved under the pager, and says how;
// Employees reads again on it.
type shiftError struct{ reason string }

func (e *shiftError) Error() string { return e.reason }

// listing is one complete read of the employees.
type listing struct {
	employees []Employee // sorted by id
	absent    []int      // per required attribute, employees without it
}

// readListing reads the listing once. listed, when not nil, waits for the
// attribute list and checks it; it runs once the first page is in, so a
// credential that may not read a synced attribute costs two requests, not
// a whole listing.
func (c *Client) readListing(ctx context.Context, listed func() error) (*listing, error) {
	head, err := c.page(ctx, 0, PageSize, 0)
	if err != nil {
		return nil, err
	}
	if listed != nil {
		if err := listed(); err != nil {
			return nil, err
		}
	}
	total, size := head.Total, len(head.Employees)
	if size == 0 && total > 0 {
		return nil, &PageError{Offset: 0, Err: fmt.Errorf("metadata.total_elements is %d but the page holds no employees", total)}
	}
	if size < PageSize && size < total {
		// Personio serves fewer rows than asked for: step by what a page
		// really holds, or rows would be skipped.
		c.log.Debug("Personio serves fewer employees per page than asked for", "asked", PageSize, "served", size)
	}
	// Pages overlap by one row, so each boundary can be checked. A page of
	// one row cannot overlap: then only the count is checked.
	step, repeat := size-1, 1
	if size < 2 {
		step, repeat = max(size, 1), 0
	}

	pages := []Page{head}
	var offsets []int
	for off := step; off-step+size < total; off += step {
		offsets = append(offsets, off)
	}
	pages = append(pages, make([]Page, len(offsets))...)
	var (
		mu   sync.Mutex
		done = len(head.Employees)
	)
	c.reportProgress(done, total)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.opts.Concurrency)
	for i, off := range offsets {
		g.Go(func() error {
			p, err := c.page(gctx, off, PageSize, repeat)
			if err != nil {
				return err
			}
			pages[i+1] = p
			mu.Lock()
			defer mu.Unlock()
			done += max(len(p.Employees)-repeat, 0)
			c.reportProgress(done, total) // under mu: Progress need not be safe for concurrent use
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
	// Employees added at the end while the listing was read: the last page
	// is full and its own total says there is more. A listing that grows
	// faster than it can be read is a moving one.
	for extra := 0; ; extra++ {
		lastOff := (len(pages) - 1) * step
		last := pages[len(pages)-1]
		if size == 0 || len(last.Employees) < size || lastOff+size >= last.Total {
			break
		}
		if extra > len(offsets) {
			return nil, &shiftError{fmt.Sprintf("the listing grew from %d to %d employees while it was read", total, last.Total)}
		}
		p, err := c.page(ctx, lastOff+step, PageSize, repeat)
		if err != nil {
			return nil, err
		}
		pages = append(pages, p)
		done += max(len(p.Employees)-repeat, 0)
		c.reportProgress(done, p.Total)
	}
	return assemble(pages, size, step, repeat)
}

// reportProgress calls Options.Progress, if set.
func (c *Client) reportProgress(done, total int) {
	if c.progress != nil {
		c.progress(min(done, total), total)
	}
}

// assemble checks that the pages of one read fit together and joins them.
// Page k starts at offset k·step; with repeat 1 its first row must be the
// row page k-1 ended with, which every page but the last holds in full
// (size rows), and the last page reaches its own total_elements. A
// boundary that does not fit, an employee seen twice or a short last page
// means the listing moved under the read: a *shiftError.
func assemble(pages []Page, size, step, repeat int) (*listing, error) {
	last := pages[len(pages)-1]
	if end := (len(pages)-1)*step + len(last.Employees); len(last.Employees) < size && end < last.Total {
		return nil, &shiftError{fmt.Sprintf("the last page ended at row %d but total_elements is %d", end, last.Total)}
	}
	n := 0
	for k, p := range pages {
		off := k * step
		if k < len(pages)-1 && len(p.Employees) != size {
			return nil, &shiftError{fmt.Sprintf("the page at offset %d held %d employees, not %d, while the listing went on", off, len(p.Employees), size)}
		}
		if k == 0 || repeat == 0 {
			n += len(p.Employees)
			continue
		}
		prev := pages[k-1].Employees
		switch {
		case len(p.Employees) == 0:
			return nil, &shiftError{fmt.Sprintf("the page at offset %d was empty although the page before it ended at that row", off)}
		case p.Employees[0].ID != prev[len(prev)-1].ID:
			return nil, &shiftError{fmt.Sprintf("the page at offset %d began with employee %d, not with employee %d, which ended the page before it", off, p.Employees[0].ID, prev[len(prev)-1].ID)}
		}
		n += len(p.Employees) - 1
	}
	l := &listing{employees: make([]Employee, 0, n)}
	for k, p := range pages {
		rows := p.Employees
		if k > 0 {
			rows = rows[repeat:]
		}
		l.employees = append(l.employees, rows...)
		if l.absent == nil {
			l.absent = make([]int, len(p.absent))
		}
		for i, a := range p.absent {
			l.absent[i] += a
		}
	}
	slices.SortFunc(l.employees, func(a, b Employee) int { return cmp.Compare(a.ID, b.ID) })
	for i := 1; i < len(l.employees); i++ {
		if id := l.employees[i].ID; id == l.employees[i-1].ID {
			return nil, &shiftError{fmt.Sprintf("employee %d was listed twice", id)}
		}
	}
	if repeat == 0 && len(l.employees) != last.Total {
		// Without overlapping pages only the count can tell.
		return nil, &shiftError{fmt.Sprintf("read %d employees but total_elements is %d", len(l.employees), last.Total)}
	}
	return l, nil
}
