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

// The endpoint classes, indexes of Client.counts.
const (
	classAuth = iota
	classEmployees
	classFeed
	classOther
)

// Requests returns how many HTTP requests the client has sent so far.
func (c *Client) Requests() RequestCounts {
	n := func(class int) int { return int(c.counts[class].Load()) }
	return RequestCounts{Auth: n(classAuth), Employees: n(classEmployees), Feed: n(classFeed), Other: n(classOther)}
}

// counted returns the counting layer: each request is counted as it
// leaves, whatever becomes of it. Feed requests are all of a class; API
// requests are sorted by path (api_url may carry a path prefix).
func (c *Client) counted(next http.RoundTripper, feed bool) http.RoundTripper {
	return httpx.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		class := classOther
		switch p := req.URL.Path; {
		case feed:
			class = classFeed
		case strings.HasSuffix(p, "/v1/auth"):
			class = classAuth
		case strings.HasSuffix(p, "/v1/company/employees"):
			class = classEmployees
		}
		c.counts[class].Add(1)
		return next.RoundTrip(req)
	})
}
