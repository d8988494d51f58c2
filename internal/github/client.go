package github

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/gridwork/gridsync/internal/httpx"
)

// newClient builds an API client for env. GITHUB_API_URL is used as the
// base URL verbatim (Actions sets it to the right root for github.com and
// for GitHub Enterprise Server alike), so tests can point it at a fake.
func newClient(env Env) (*gh.Client, error) {
	hc, timeout := &http.Client{}, 30*time.Second
	if env.HTTPClient != nil {
		copied := *env.HTTPClient
		hc = &copied
		if hc.Timeout > 0 {
			// The timeout bounds each attempt; on the client it would bound
			// all attempts and waits together.
			timeout, hc.Timeout = hc.Timeout, 0
		}
	}
	// Transient failures (429, 5xx, a timeout or no answer at all) are
	// retried, so one hiccup does not fail a plan job: three attempts,
	// first wait retryBase.
	wait := cmp.Or(env.retryBase, time.Second)
	hc.Transport = httpx.Retry(httpx.Timeout(cmp.Or(hc.Transport, http.DefaultTransport), timeout), httpx.Policy{
		Name:          "GitHub",
		MaxAttempts:   3,
		MinBackoff:    wait,
		MaxBackoff:    4 * wait,
		MaxRetryAfter: time.Minute,
		Repeatable:    repeatable,
	})
	c := gh.NewClient(hc)
	if env.Token != "" {
		c = c.WithAuthToken(env.Token)
	}
	base, err := url.Parse(env.APIURL)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("GITHUB_API_URL %q is not an absolute URL", env.APIURL)
	}
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/"
	}
	c.BaseURL = base
	return c, nil
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

// PermissionError means GitHub refused an operation (403) because the
// token lacks a permission; the message names the one to grant.
type PermissionError struct {
	What       string // "write pull-request comments"
	Permission string // "pull-requests: write"
	Err        error
}

func (e *PermissionError) Error() string {
	// The short reason GitHub gave, without the request line.
	said := e.Err.Error()
	var er *gh.ErrorResponse
	if errors.As(e.Err, &er) && er.Response != nil {
		said = er.Response.Status
		if er.Message != "" {
			said = fmt.Sprintf("%d %s", er.Response.StatusCode, er.Message)
		}
	}
	return fmt.Sprintf("the token cannot %s: grant `%s` in the workflow's permissions (GitHub said: %s)", e.What, e.Permission, said)
}

func (e *PermissionError) Unwrap() error { return e.Err }

// apiError turns an API failure into a sentence a user can act on. what
// says what gridsync tried ("write pull-request comments"), permission the
// workflow permission that allows it ("pull-requests: write").
func apiError(err error, env Env, what, permission string) error {
	var rl *gh.RateLimitError
	if errors.As(err, &rl) {
		return fmt.Errorf("could not %s: GitHub's API rate limit is exhausted until %v: re-run the job later: %w", what, rl.Rate.Reset.Time, err)
	}
	var er *gh.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil {
		return fmt.Errorf("could not %s: %w", what, err)
	}
	switch er.Response.StatusCode {
	case http.StatusUnauthorized:
		return fmt.Errorf("could not %s: GitHub rejected the token (401): pass a valid one as GITHUB_TOKEN, e.g. `GITHUB_TOKEN: ${{ github.token }}`: %w", what, err)
	case http.StatusForbidden:
		return &PermissionError{What: what, Permission: permission, Err: err}
	case http.StatusNotFound:
		return fmt.Errorf("could not %s: repository %s or its pull request was not found, or the token cannot see it (it may lack `%s`): check GITHUB_REPOSITORY and the token's access: %w", what, env.Repository, permission, err)
	}
	return fmt.Errorf("could not %s: %w", what, err)
}
