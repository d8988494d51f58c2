package github

import (
	"net/http"
	"strings"
	"time"

	"github.com/gridwork/gridsync/internal/httpx"
)

// retryPolicy is how the client retries requests GitHub failed transiently
// (429, 5xx, a timeout or no answer at all), so one hiccup does not fail a
// plan job: three attempts, first wait base.
func retryPolicy(base time.Duration) httpx.Policy {
	return httpx.Policy{
		Name:          "GitHub",
		MaxAttempts:   3,
		MinBackoff:    base,
		MaxBackoff:    4 * base,
		MaxRetryAfter: time.Minute,
		Repeatable:    repeatable,
	}
}

// repeatable reports whether req may be sent again without effect: reads,
// comment edits and statuses (setting the same status twice is harmless).
// Creating a comment is not: a lost answer may hide a comment that was
// made, and repeating it would post a second one.
func repeatable(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodPatch:
		return true
	case http.MethodPost:
		return strings.Contains(req.URL.Path, "/statuses/")
	}
	return false
}
