package github

import (
	"net/http"
	"strings"
	"time"
)

// retryTransport retries requests GitHub failed transiently (502, 503, 504,
// or no answer at all), so one hiccup does not fail a plan job. Only
// requests that are safe to repeat are retried: reads, comment edits and
// statuses (setting the same status twice is harmless). Creating a comment
// is not retried: a lost answer may hide a comment that was made, and
// repeating it would post a second one.
type retryTransport struct {
	next     http.RoundTripper
	attempts int
	base     time.Duration // first wait; doubles each time
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !repeatable(req) {
		return t.next.RoundTrip(req)
	}
	wait := t.base
	for attempt := 1; ; attempt++ {
		resp, err := t.next.RoundTrip(req)
		transient := err != nil || resp.StatusCode == http.StatusBadGateway ||
			resp.StatusCode == http.StatusServiceUnavailable || resp.StatusCode == http.StatusGatewayTimeout
		if !transient || attempt >= t.attempts || req.Context().Err() != nil {
			return resp, err
		}
		if resp != nil {
			resp.Body.Close()
		}
		if req.GetBody != nil {
			body, berr := req.GetBody()
			if berr != nil {
				return nil, berr
			}
			req = req.Clone(req.Context())
			req.Body = body
		}
		select {
		case <-time.After(wait):
		case <-req.Context().Done():
			return nil, req.Context().Err()
		}
		wait *= 2
	}
}

// repeatable reports whether req may be sent again without effect.
func repeatable(req *http.Request) bool {
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		return false // the body cannot be sent twice
	}
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodPatch:
		return true
	case http.MethodPost:
		return strings.Contains(req.URL.Path, "/statuses/")
	}
	return false
}
