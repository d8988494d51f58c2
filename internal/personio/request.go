package personio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/gridwork/gridsync/internal/httpx"
)

// maxRetryAfter is the longest Retry-After the client sits out. A server
// asking for more is asking the user to come back later, not the client to
// block a CI job for an hour.
const maxRetryAfter = 5 * time.Minute

// request is one logical call; do sends it through the client's layers,
// which turn it into as many attempts as needed.
type request struct {
	method string
	path   string // path and query below api_url or jobs_url; never carries credentials
	body   []byte // JSON
	// api marks requests to the v1 API (JSON below api_url): paced, answers
	// vetted (an HTML page or an empty body where JSON belongs names
	// api_url). Others go to the job feed (XML below jobs_url).
	api  bool
	auth bool // send the bearer token (and re-authenticate on a 401)
	// pooled leaves the answer in the buffer it was read into; the caller
	// hands it back with release once nothing refers to the body. Other
	// answers are copied out and the buffer reused at once.
	pooled bool
	// decode, when set, is run on the body of a 2xx answer before do
	// returns it. An error means the answer was mangled on the way (a
	// proxy, a body cut short yet ended cleanly): it counts as a failed
	// attempt and is asked for once more, within the same MaxAttempts. A
	// second undecodable answer, or one on the last attempt, ends the
	// request with an *httpx.CheckError (Times says how many answers were
	// undecodable), or with an error naming api_url when the answer is not
	// JSON at all (see answerError).
	decode func(body []byte) error
}

// response is a final answer with its body read in full.
type response struct {
	status int
	header http.Header
	body   []byte
	url    string    // where the answer came from, after any redirect
	closer io.Closer // hands a pooled body's buffer back
}

// release returns a pooled response's buffer for reuse; resp.body must not
// be used afterwards.
func (c *Client) release(resp *response) {
	if resp == nil || resp.closer == nil {
		return
	}
	resp.closer.Close()
	resp.closer, resp.body = nil, nil
}

// do sends r and returns the first answer that retrying cannot change (any
// 2xx, 3xx or 4xx other than 429), a *RetryError when transient failures
// outlast MaxAttempts or Personio asks to wait too long, an *httpx.CheckError or
// an *answerError when the answer cannot be understood (see
// request.decode), or the context's error. A 401 on a token-bearing
// request re-authenticates once first (authLayer).
func (c *Client) do(ctx context.Context, r request) (*response, error) {
	start := time.Now()
	hc, base, accept := c.feedHTTP, c.jobsURL, "application/xml, text/xml"
	if r.api {
		hc, base, accept = c.tokenHTTP, c.apiURL, "application/json"
		if r.auth {
			hc = c.apiHTTP
		}
		ctx = httpx.WithCheck(ctx, func(h http.Header, body []byte) error {
			var err error
			if r.decode != nil {
				if err = r.decode(body); err == nil {
					return nil
				}
			}
			return c.vet(r, h, body, err)
		})
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, base+r.path, body)
	if err != nil {
		return nil, err
	}
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("X-Personio-Partner-ID", "GRIDWORK")
	req.Header.Set("X-Personio-App-ID", "GRIDSYNC")
	req.Header.Set("User-Agent", "gridsync")

	resp, err := hc.Do(req)
	if err != nil {
		return nil, c.failed(ctx, r, base, start, err)
	}
	// Every client's retry layer leaves the answer read in full.
	b, _ := httpx.Bytes(resp)
	out := &response{status: resp.StatusCode, header: resp.Header, body: b, url: resp.Request.URL.String(), closer: resp.Body}
	if httpx.RetryableStatus(resp.StatusCode) {
		// The retry layer returns such an answer only when it gave up on
		// it, or when Personio asked to wait longer than maxRetryAfter.
		re := &RetryError{Method: r.method, Path: r.path, Attempts: httpx.Attempts(resp), Elapsed: time.Since(start), StatusCode: resp.StatusCode, Setting: c.setting(r)}
		if ra, ok := httpx.RetryAfter(resp.Header, time.Now()); ok && ra > maxRetryAfter {
			re.RetryAfter = ra
		}
		c.release(out)
		return nil, re
	}
	if !r.pooled {
		b := bytes.Clone(out.body)
		c.release(out)
		out.body = b
	}
	return out, nil
}

// failed turns an error of the HTTP stack into the client's own.
func (c *Client) failed(ctx context.Context, r request, base string, start time.Time, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	var (
		af *authFailure
		ae *answerError
		ce *httpx.CheckError
		ge *httpx.GiveUpError
		fr *feedRedirectsError
	)
	switch {
	case errors.As(err, &af):
		return af.err
	case errors.As(err, &ce) && errors.As(ce.Err, &ae):
		ae.times = ce.Times
		return ae
	case errors.As(err, &ce):
		return ce
	case errors.As(err, &ge):
		return &RetryError{Method: r.method, Path: r.path, Attempts: ge.Attempts, Elapsed: time.Since(start), Err: ge.Err, Setting: c.setting(r)}
	case errors.As(err, &fr):
		return fr
	}
	// A transport error that retrying will not fix, such as a refused
	// connection or an unknown host: usually a wrong URL.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("cannot reach %s (%s %s): %w; check %s and the network", base, r.method, r.path, err, c.setting(r))
}

// setting names the configuration setting that decides where r goes, for
// messages that tell the user what to check.
func (c *Client) setting(r request) string {
	switch {
	case r.api:
		return "personio.api_url"
	case c.opts.JobsURLSet:
		return "personio.jobs_url"
	case c.tenantJobs:
		return "personio.tenant"
	default:
		// The feed URL is derived from the tenant, or the caller did not
		// say whether it set jobs_url (Options.JobsURLSet).
		return "personio.jobs_url (or personio.tenant)"
	}
}
