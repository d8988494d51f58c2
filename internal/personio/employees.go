package personio

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/gridwork/gridsync/internal/httpx"
)

// maxReads bounds how often Employees reads the listing when it keeps
// moving under the read.
const maxReads = 3

// page reads the employees page at a row offset (PageSize rows asked for)
// whose first repeat rows were already read on the previous page: they
// are not counted again for employeePage.absent. sel says what to decode
// beyond the typed fields. Any failure is a *PageError naming the offset.
func (c *Client) page(ctx context.Context, sel *selection, offset, repeat int) (employeePage, error) {
	if err := c.Authenticate(ctx); err != nil {
		return employeePage{}, err
	}
	path := "/v1/company/employees?limit=" + strconv.Itoa(PageSize) + "&offset=" + strconv.Itoa(offset) + sel.project
	// An answer that cannot be decoded is asked for once more, within the
	// request's attempt budget (request.decode): a body mangled on the way
	// is worth a second look before the run fails. The decoded page copies
	// what it keeps, so the pooled body can be reused once decoded.
	var p employeePage
	resp, err := c.do(ctx, request{
		method: http.MethodGet, path: path, api: true, auth: true, pooled: true,
		decode: func(body []byte) (err error) {
			p, err = decodePage(body, sel, repeat)
			return err
		},
	})
	defer c.release(resp)
	var ge *httpx.CheckError
	switch {
	case errors.As(err, &ge):
		how := "twice in a row"
		if ge.Times < 2 {
			how = "and no attempt was left to ask for it again"
		}
		return employeePage{}, &PageError{Offset: offset, Err: fmt.Errorf("Personio's answer to GET %s could not be understood, %s (%w). "+
			"This is not a problem with the configuration: try again later, and tell Personio support if it persists", path, how, ge.Err)}
	case err != nil:
		return employeePage{}, &PageError{Offset: offset, Err: err}
	case resp.status != http.StatusOK:
		return employeePage{}, &PageError{Offset: offset, Err: c.statusError(http.MethodGet, path, resp)}
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
	col := &collector[Employee]{conv: func(e *Employee) Employee { return *e }}
	if err := c.read(ctx, c.sel, col); err != nil {
		return nil, err
	}
	slices.SortFunc(col.rows, func(a, b Employee) int { return cmp.Compare(a.ID, b.ID) })
	return col.rows, nil
}

// EmployeeVisitor receives the employees of a listing that ScanEmployees
// reads. Its methods are called from one goroutine at a time.
type EmployeeVisitor interface {
	// Begin starts a read of the listing, which Personio says holds total
	// employees. A Begin after the first means that the listing moved
	// under the read before and is read again from the start: the visitor
	// must forget what it was given since the last Begin.
	Begin(total int)
	// Visit receives one employee of the read, each once, in no
	// particular order. The visitor must not keep e: memory stays bounded
	// only when what it keeps is small (a count, say). An error stops the
	// read and is returned by ScanEmployees as it is.
	Visit(e *Employee) error
}

// ScanEmployees reads the listing as Employees does, with the same
// overlapping pages, checks and re-reads, but hands each employee to v as
// its page arrives instead of keeping it: what the read holds is a few
// pages and the ids seen (eight bytes an employee, to tell an employee
// listed twice), however large the tenant. Only the typed fields are
// decoded (Employee.Attributes stays empty, whatever
// Options.KeepAttributes says).
//
// required replaces Options.RequiredAttributes for this read: a listing
// that only counts offices needs "office" and "status", not every
// attribute a sync would write. A hidden one fails the read with a
// *HiddenAttributesError; nil checks nothing.
func (c *Client) ScanEmployees(ctx context.Context, required []string, v EmployeeVisitor) error {
	return c.read(ctx, newSelection([]string{}, required), v)
}

// sizeHint bounds what a read allocates ahead from the total Personio
// announces, which a broken answer could make absurd.
func sizeHint(total int) int { return min(max(total, 0), 1<<18) }

// collector keeps what conv makes of every employee of a read: the
// employees themselves for Employees, the plan's input for Source.
type collector[T any] struct {
	rows []T
	conv func(*Employee) T
}

func (c *collector[T]) Begin(total int) { c.rows = make([]T, 0, sizeHint(total)) }

func (c *collector[T]) Visit(e *Employee) error {
	c.rows = append(c.rows, c.conv(e))
	return nil
}

// read reads the listing into sink with the selection sel, reading it
// again when it moved (see Employees).
func (c *Client) read(ctx context.Context, sel *selection, sink EmployeeVisitor) error {
	listed := c.startAttributeCheck(ctx, sel.required)
	var reasons []string
	for read := 1; ; read++ {
		l, err := c.readListing(ctx, sel, listed, sink)
		if fe := (*ForbiddenError)(nil); errors.As(err, &fe) && sel.project != "" {
			// Personio refuses a projection naming an attribute the
			// credential may not read. The attribute list may say which;
			// otherwise read every attribute instead, and the employees
			// tell.
			switch lerr := listed(); {
			case errors.As(lerr, new(*ForbiddenError)):
				// The list is refused too: a missing scope, not an
				// attribute.
				return err
			case lerr != nil:
				// The list names the hidden attributes, or says what kept
				// it from doing so (an outage, an interrupt).
				return lerr
			}
			c.opts.Logger.Info("Personio refused to project the employees onto the synced attributes; reading every attribute", "error", fe.Message)
			sel = sel.unprojected()
			read--
			continue
		}
		var shift *shiftError
		if !errors.As(err, &shift) {
			if err != nil {
				return err
			}
			return c.checkAbsent(ctx, sel, l)
		}
		reasons = append(reasons, shift.reason)
		if read == maxReads {
			return fmt.Errorf("%w: it moved during each of %d reads (%s); nothing was written. Try again when fewer employees are being added or removed in Personio",
				ErrListingChanged, maxReads, strings.Join(reasons, "; then "))
		}
		c.opts.Logger.Info("the employee listing moved while it was read; reading it again", "reason", shift.reason, "read", read+1, "of", maxReads)
	}
}

// shiftError means the listing moved under the pager, and says how;
// Employees reads again on it.
type shiftError struct{ reason string }

func (e *shiftError) Error() string { return e.reason }

// listingRead is one read of the listing: its state while its pages
// arrive, and what it leaves besides the rows it gave its sink.
type listingRead struct {
	sink     EmployeeVisitor
	progress func(done, total int) // Options.Progress, if set
	repeat   int
	pages    []pageInfo
	ids      []int64 // every id given to the sink, to find one listed twice
	absent   []int   // per required attribute, employees without it
}

// pageInfo is what the checks of a read need to know about one page once
// its rows went to the sink.
type pageInfo struct {
	rows        int   // employees on the page
	first, last int64 // their ids, in the page's order
	total       int   // metadata.total_elements when the page was answered
}

// add records page k, gives the sink the rows it adds (all of them on the
// first page, the rows after the repeated ones on the others) and reports
// the progress towards total.
func (r *listingRead) add(k int, p *employeePage, total int) error {
	rows := p.Employees
	r.pages[k] = pageInfo{rows: len(rows), total: p.Total}
	if n := len(rows); n > 0 {
		r.pages[k].first, r.pages[k].last = rows[0].ID, rows[n-1].ID
	}
	if k > 0 {
		rows = rows[min(r.repeat, len(rows)):]
	}
	for i, a := range p.absent {
		r.absent[i] += a
	}
	for i := range rows {
		r.ids = append(r.ids, rows[i].ID)
		if err := r.sink.Visit(&rows[i]); err != nil {
			return err
		}
	}
	if r.progress != nil {
		r.progress(min(len(r.ids), total), total)
	}
	return nil
}

// readListing reads the listing once into sink. listed waits for the
// attribute list and checks it; it runs once the first page is in, so a
// credential that may not read a synced attribute costs two requests, not
// a whole listing.
func (c *Client) readListing(ctx context.Context, sel *selection, listed func() error, sink EmployeeVisitor) (*listingRead, error) {
	head, err := c.page(ctx, sel, 0, 0)
	if err != nil {
		return nil, err
	}
	if err := listed(); err != nil {
		return nil, err
	}
	total, size := head.Total, len(head.Employees)
	if size == 0 && total > 0 {
		return nil, &PageError{Offset: 0, Err: fmt.Errorf("metadata.total_elements is %d but the page holds no employees", total)}
	}
	if size < PageSize && size < total {
		// Personio serves fewer rows than asked for: step by what a page
		// really holds, or rows would be skipped.
		c.opts.Logger.Debug("Personio serves fewer employees per page than asked for", "asked", PageSize, "served", size)
	}
	// Pages overlap by one row, so each boundary can be checked. A page of
	// one row cannot overlap: then only the count is checked.
	step, repeat := size-1, 1
	if size < 2 {
		step, repeat = max(size, 1), 0
	}

	var offsets []int
	for off := step; off-step+size < total; off += step {
		offsets = append(offsets, off)
	}
	r := &listingRead{sink: sink, progress: c.opts.Progress, repeat: repeat, pages: make([]pageInfo, 1+len(offsets)),
		ids: make([]int64, 0, sizeHint(total)), absent: make([]int, len(sel.required))}
	sink.Begin(total)
	if err := r.add(0, &head, total); err != nil {
		return nil, err
	}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.opts.Concurrency)
	for i, off := range offsets {
		g.Go(func() error {
			p, err := c.page(gctx, sel, off, repeat)
			if err != nil {
				return err
			}
			// The sink and Progress need not be safe for concurrent use.
			mu.Lock()
			defer mu.Unlock()
			return r.add(i+1, &p, total)
		})
	}
	if err := g.Wait(); err != nil {
		// A cancelled parent surfaces as its own error, not as whichever
		// page happened to notice first.
		return nil, cmp.Or(ctx.Err(), err)
	}
	// Employees added at the end while the listing was read: the last page
	// is full and its own total says there is more. A listing that grows
	// faster than it can be read is a moving one.
	for extra := 0; ; extra++ {
		lastOff := (len(r.pages) - 1) * step
		last := r.pages[len(r.pages)-1]
		if size == 0 || last.rows < size || lastOff+size >= last.total {
			break
		}
		if extra > len(offsets) {
			return nil, &shiftError{fmt.Sprintf("the listing grew from %d to %d employees while it was read", total, last.total)}
		}
		p, err := c.page(ctx, sel, lastOff+step, repeat)
		if err != nil {
			return nil, err
		}
		r.pages = append(r.pages, pageInfo{})
		if err := r.add(len(r.pages)-1, &p, p.Total); err != nil {
			return nil, err
		}
	}
	return r, r.check(size, step)
}

// check checks that the pages of one read fit together. Page k starts
// at offset k·step; with repeat 1 its first row must be the row page k-1
// ended with, which every page but the last holds in full (size rows), and
// the last page reaches its own total_elements. A boundary that does not
// fit, an employee seen twice or a short last page means the listing moved
// under the read: a *shiftError.
func (r *listingRead) check(size, step int) error {
	pages := r.pages
	last := pages[len(pages)-1]
	if end := (len(pages)-1)*step + last.rows; last.rows < size && end < last.total {
		return &shiftError{fmt.Sprintf("the last page ended at row %d but total_elements is %d", end, last.total)}
	}
	for k, p := range pages {
		off := k * step
		if k < len(pages)-1 && p.rows != size {
			return &shiftError{fmt.Sprintf("the page at offset %d held %d employees, not %d, while the listing went on", off, p.rows, size)}
		}
		if k == 0 || r.repeat == 0 {
			continue
		}
		prev := pages[k-1]
		switch {
		case p.rows == 0:
			return &shiftError{fmt.Sprintf("the page at offset %d was empty although the page before it ended at that row", off)}
		case p.first != prev.last:
			return &shiftError{fmt.Sprintf("the page at offset %d began with employee %d, not with employee %d, which ended the page before it", off, p.first, prev.last)}
		}
	}
	slices.Sort(r.ids)
	for i := 1; i < len(r.ids); i++ {
		if id := r.ids[i]; id == r.ids[i-1] {
			return &shiftError{fmt.Sprintf("employee %d was listed twice", id)}
		}
	}
	if r.repeat == 0 && len(r.ids) != last.total {
		// Without overlapping pages only the count can tell.
		return &shiftError{fmt.Sprintf("read %d employees but total_elements is %d", len(r.ids), last.total)}
	}
	return nil
}
