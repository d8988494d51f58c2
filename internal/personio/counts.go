package personio

import (
	"net/http"
	"strings"

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
	n := &c.counts
	return RequestCounts{Auth: int(n.auth.Load()), Employees: int(n.employees.Load()), Feed: int(n.feed.Load()), Other: int(n.other.Load())}
}

// counted returns the counting layer: each request is counted as it
// leaves, whatever becomes of it. Feed requests are all of a class; API
// requests are sorted by path (api_url may carry a path prefix).
func (c *Client) counted(next http.RoundTripper, feed bool) http.RoundTripper {
	return httpx.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		n := &c.counts.other
		switch p := req.URL.Path; {
		case feed:
			n = &c.counts.feed
		case strings.HasSuffix(p, "/v1/auth"):
			n = &c.counts.auth
		case strings.HasSuffix(p, "/v1/company/employees"):
			n = &c.counts.employees
		}
		n.Add(1)
		return next.RoundTrip(req)
	})
}
