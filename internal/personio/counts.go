package personio

import (
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/gridwork/gridsync/internal/httpx"
)

// RequestCounts are the HTTP requests a Client sent, by endpoint class.
// Every attempt counts, retries and redirect hops included: it is what
// Personio saw, and what its rate limits count.
type RequestCounts struct {
	Auth      int // POST /v1/auth
	Employees int // GET /v1/company/employees (the pages)
	Feed      int // the XML job feed
	Other     int // everything else (the attribute list, …)
}

// Total is the sum of all classes.
func (r RequestCounts) Total() int { return r.Auth + r.Employees + r.Feed + r.Other }

// Requests returns how many HTTP requests the client has sent so far.
func (c *Client) Requests() RequestCounts {
	return RequestCounts{
		Auth:      int(c.counts.auth.Load()),
		Employees: int(c.counts.employees.Load()),
		Feed:      int(c.counts.feed.Load()),
		Other:     int(c.counts.other.Load()),
	}
}

// requestCounter is the layer state behind Requests.
type requestCounter struct {
	auth, employees, feed, other atomic.Int64
}

// requestClass picks the counter a request adds to.
type requestClass func(rc *requestCounter, req *http.Request) *atomic.Int64

// apiClass sorts API requests by path (api_url may carry a path prefix).
func apiClass(rc *requestCounter, req *http.Request) *atomic.Int64 {
	switch p := req.URL.Path; {
	case strings.HasSuffix(p, "/v1/auth"):
		return &rc.auth
	case strings.HasSuffix(p, "/v1/company/employees"):
		return &rc.employees
	}
	return &rc.other
}

func feedClass(rc *requestCounter, _ *http.Request) *atomic.Int64 { return &rc.feed }

// wrap returns the counting layer: each request is counted as it leaves,
// whatever becomes of it.
func (rc *requestCounter) wrap(next http.RoundTripper, class requestClass) http.RoundTripper {
	return httpx.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		class(rc, req).Add(1)
		return next.RoundTrip(req)
	})
}
