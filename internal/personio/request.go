package personio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// maxBody bounds what one answer may hold; a real employees page is well
// under a megabyte, a large job feed a few megabytes.
const maxBody = 128 << 20

// maxRetryAfter is the longest Retry-After the client sits out. A server
// asking for more is asking the user to come back later, not the client to
// block a CI job for an hour.
const maxRetryAfter = 5 * time.Minute

// request is one logical call; do turns it into as many attempts as needed.
type request struct {
	method string
	base   string // c.apiURL or c.jobsURL
	path   string // path and query below base; never carries credentials
	body   []byte
	ctype  string // Content-Type of body
	accept string
	// api marks requests to the v1 API: paced, bearer token sent, rotated
	// tokens picked up, shared 429 cool-down honoured.
	api  bool
	auth bool // send the bearer token
	// pooled reads the answer into a buffer from the client's pool; the
	// caller hands it back with release once nothing refers to the body.
	pooled bool
	// decode, when set, is run on the body of a 200 answer before do
	// returns it. An error means the answer was mangled on the way (a
	// proxy, a body cut short yet ended cleanly): it counts as a failed
	// attempt and is asked for once more, within the same MaxAttempts. A
	// second undecodable answer, or one on the last attempt, ends the
	// request with a *garbledError.
	decode func(body []byte) error
}

// garbledError is a request whose 200 answer could not be decoded, Times
// times (2, or 1 when no attempt was left to ask again).
type garbledError struct {
	Times int
	Err   error
}

func (e *garbledError) Error() string { return e.Err.Error() }
func (e *garbledError) Unwrap() error { return e.Err }

// response is a final (non-retried) answer with its body read in full.
type response struct {
	status int
	header http.Header
	body   []byte
	buf    *bytes.Buffer // holds body when the request was pooled
}

// maxPooled bounds the buffers kept for reuse: a page that is unusually
// large is left to the collector rather than kept alive.
const maxPooled = 4 << 20

// release returns a pooled response's buffer for reuse; resp.body must not
// be used afterwards.
func (c *Client) release(resp *response) {
	if resp == nil || resp.buf == nil {
		return
	}
	c.putBuffer(resp.buf)
	resp.buf, resp.body = nil, nil
}

// putBuffer hands buf back to the pool unless it grew too large to keep.
func (c *Client) putBuffer(buf *bytes.Buffer) {
	if buf.Cap() > maxPooled {
		return
	}
	buf.Reset()
	c.bodies.Put(buf)
}

// do performs r with pacing and retries. It returns the first answer that
// retrying cannot change (any 2xx, 3xx or 4xx other than 429), a
// *RetryError when transient failures outlast MaxAttempts, a *garbledError
// when r.decode keeps failing (see request.decode), or the context's error.
// A 401 on a token-bearing request re-authenticates once first. Answers it
// does not return have their pooled buffers released; the caller releases
// the one it gets.
func (c *Client) do(ctx context.Context, r request) (*response, error) {
	start := time.Now()
	var (
		lastStatus int
		lastErr    error
		reauthed   bool
		garbled    int // 200 answers r.decode refused
	)
	for attempt := 1; attempt <= c.opts.MaxAttempts; attempt++ {
		if r.api {
			if err := c.waitTurn(ctx); err != nil {
				return nil, err
			}
		}
		token := ""
		if r.auth {
			token = c.currentToken()
		}
		resp, err := c.attempt(ctx, r, token)
		undecodable := false
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, ctxErr
			}
			if !retryable(err) {
				return nil, c.unreachable(r, err)
			}
			lastStatus, lastErr = 0, err
		} else {
			if r.api {
				c.noteRotatedToken(resp.header)
			}
			switch {
			case resp.status == http.StatusUnauthorized && r.auth && !reauthed:
				// A token can be burnt by a rotation another request saw
				// first, or expire in a long run: get a fresh one, once.
				reauthed = true
				c.release(resp)
				if err := c.reauthenticate(ctx, token); err != nil {
					return nil, err
				}
				attempt--
				continue
			case !retryableStatus(resp.status):
				if r.decode == nil || resp.status != http.StatusOK {
					return resp, nil
				}
				derr := r.decode(resp.body)
				if derr == nil {
					return resp, nil
				}
				c.release(resp)
				garbled++
				if garbled == 2 || attempt == c.opts.MaxAttempts {
					return nil, &garbledError{Times: garbled, Err: derr}
				}
				undecodable = true
				lastStatus, lastErr = resp.status, derr
			default:
				lastStatus, lastErr = resp.status, nil
			}
		}
		if attempt == c.opts.MaxAttempts {
			c.release(resp)
			break
		}
		wait := c.backoff(attempt)
		if resp != nil {
			c.release(resp) // only the header is used below
			if ra, ok := retryAfter(resp.header, time.Now()); ok {
				if ra > maxRetryAfter {
					return nil, &RetryError{Method: r.method, Path: r.path, Attempts: attempt, Elapsed: time.Since(start), StatusCode: resp.status, RetryAfter: ra, Setting: c.setting(r)}
				}
				// Retry-After replaces the backoff but never undercuts its
				// floor: a server answering "Retry-After: 0" (or a date in
				// the past) would otherwise be hit MaxAttempts times in a
				// few milliseconds.
				wait = max(ra, c.opts.MinBackoff)
			}
			if resp.status == http.StatusTooManyRequests && r.api {
				c.pause(wait)
			}
		}
		msg := "Personio request failed, retrying"
		if undecodable {
			msg = "Personio's answer could not be decoded; asking for it once more"
		}
		c.log.Info(msg,
			"method", r.method, "path", r.path, "attempt", attempt, "of", c.opts.MaxAttempts,
			"status", lastStatus, "error", errText(lastErr), "wait", wait.Round(time.Millisecond))
		if err := sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
	return nil, &RetryError{Method: r.method, Path: r.path, Attempts: c.opts.MaxAttempts, Elapsed: time.Since(start), StatusCode: lastStatus, Err: lastErr, Setting: c.setting(r)}
}

// setting names the configuration setting that decides where r goes, for
// messages that tell the user what to check.
func (c *Client) setting(r request) string {
	switch {
	case r.api:
		return "personio.api_url"
	case c.jobsURLSet:
		return "personio.jobs_url"
	case c.tenantJobs:
		return "personio.tenant"
	default:
		// The feed URL is derived from the tenant, or the caller did not
		// say whether it set jobs_url (Options.JobsURLSet).
		return "personio.jobs_url (or personio.tenant)"
	}
}

// unreachable explains a transport error that retrying will not fix, such
// as a refused connection or an unknown host: usually a wrong URL.
func (c *Client) unreachable(r request, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("cannot reach %s (%s %s): %w; check %s and the network", r.base, r.method, r.path, err, c.setting(r))
}

// attempt sends r once and reads the whole answer, so that a connection
// dropped mid-body is retried like one dropped before the headers.
func (c *Client) attempt(ctx context.Context, r request, token string) (*response, error) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.base+r.path, body)
	if err != nil {
		return nil, err
	}
	if r.ctype != "" {
		req.Header.Set("Content-Type", r.ctype)
	}
	if r.accept != "" {
		req.Header.Set("Accept", r.accept)
	}
	req.Header.Set("X-Personio-Partner-ID", c.opts.PartnerID)
	req.Header.Set("X-Personio-App-ID", c.opts.AppID)
	req.Header.Set("User-Agent", "gridsync")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	// Employees pages are read into reused buffers: a 100,000-employee
	// listing is 1,000 answers of ~150 KB, and growing a fresh buffer for
	// each was the client's largest allocation.
	buf := new(bytes.Buffer)
	if r.pooled {
		if b, ok := c.bodies.Get().(*bytes.Buffer); ok {
			buf = b
		}
	}
	if n := resp.ContentLength; n > 0 && n < maxBody {
		buf.Grow(int(n))
	}
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		if r.pooled {
			c.putBuffer(buf)
		}
		return nil, err
	}
	if n > maxBody {
		return nil, fmt.Errorf("the answer is larger than %d MiB", maxBody>>20)
	}
	out := &response{status: resp.StatusCode, header: resp.Header, body: buf.Bytes()}
	if r.pooled {
		out.buf = buf
	}
	return out, nil
}

// waitTurn blocks until the shared 429 cool-down is over and the pacer
// grants a request.
func (c *Client) waitTurn(ctx context.Context) error {
	c.mu.Lock()
	until := c.pauseUntil
	c.mu.Unlock()
	if d := time.Until(until); d > 0 {
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
	res := c.limiter.Reserve()
	d := res.Delay()
	if d <= 0 {
		return nil
	}
	if d >= time.Second {
		c.log.Info("waiting for Personio's rate limit", "wait", d.Round(time.Millisecond))
	}
	if err := sleep(ctx, d); err != nil {
		res.Cancel()
		return err
	}
	return nil
}

// pause makes every API request wait d: after a 429 the whole client backs
// off, not only the request that saw it.
func (c *Client) pause(d time.Duration) {
	until := time.Now().Add(d)
	c.mu.Lock()
	if until.After(c.pauseUntil) {
		c.pauseUntil = until
	}
	c.mu.Unlock()
	c.log.Info("Personio answered 429 Too Many Requests; pausing all requests", "wait", d.Round(time.Millisecond))
}

// backoff is the wait before attempt+1: exponential with full jitter above
// the floor MinBackoff, i.e. uniform in [Min, min(Max, Min·2^attempt)).
// The floor keeps the first retry at least a second away from a server that
// just said 429, as Personio's notes ask.
func (c *Client) backoff(attempt int) time.Duration {
	lo, hi := c.opts.MinBackoff, c.opts.MaxBackoff
	ceil := lo
	for i := 0; i < attempt && ceil < hi; i++ {
		ceil *= 2
	}
	ceil = min(ceil, hi)
	if ceil <= lo {
		return lo
	}
	return lo + rand.N(ceil-lo)
}

// retryAfter parses a Retry-After header: delta seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		secs = min(secs, 1<<31) // keeps the Duration from overflowing
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

func retryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryable reports whether a transport error is worth another attempt:
// resets, EOFs and timeouts are; a refused connection or an unknown host
// is a configuration problem and fails fast.
func retryable(err error) bool {
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNABORTED),
		errors.Is(err, syscall.EPIPE):
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return dns.IsTimeout || dns.IsTemporary
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	// Some transports flatten the cause into text.
	s := err.Error()
	return strings.Contains(s, "connection reset") || strings.Contains(s, "broken pipe") ||
		strings.Contains(s, "server closed") || strings.Contains(s, "unexpected EOF")
}

// sleep waits d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
