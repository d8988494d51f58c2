package personio

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// AuthError means Personio refused the API credentials: a 401 (or 403 from
// /v1/auth). Callers that know where the credentials came from add the file:
//
//	fmt.Errorf("%w in %s", err, file)
type AuthError struct {
	StatusCode int
	// Message is Personio's own error text, if it sent one.
	Message string
}

func (e *AuthError) Error() string {
	return fmt.Sprintf("Personio rejected the credentials (%s): check client_id / client_secret", statusDetail(e.StatusCode, e.Message))
}

// ForbiddenError is a 403 on a data endpoint: the credential lacks a scope or
// an attribute it asks for is not whitelisted. Message is Personio's text,
// which names the attribute or scope.
type ForbiddenError struct {
	Path    string
	Message string
}

func (e *ForbiddenError) Error() string {
	what := cmp.Or(e.Message, "an attribute or scope this request needs is not whitelisted")
	return fmt.Sprintf("Personio refused %s (403): %s; allow it for the API credential in Personio (Settings → Integrations → API credentials)", e.Path, what)
}

// TenantNotFoundError means the job feed host does not belong to a Personio
// tenant: Personio redirects unknown subdomains to its website (301).
type TenantNotFoundError struct {
	Tenant     string
	URL        string // the feed base URL that was asked
	StatusCode int
	// JobsURLSet is true when URL was configured explicitly (personio.jobs_url)
	// rather than derived from the tenant: then the tenant plays no part in
	// it and the message names jobs_url instead.
	JobsURLSet bool
}

func (e *TenantNotFoundError) Error() string {
	if e.JobsURLSet {
		return fmt.Sprintf("no Personio job feed at %s (it answered %d); check personio.jobs_url", e.URL, e.StatusCode)
	}
	return fmt.Sprintf("tenant subdomain not found: %s (%s answered %d); check personio.tenant", e.Tenant, e.URL, e.StatusCode)
}

// FeedUnavailableError means the job feed could not be read, so the jobs
// are unknown (which is not the same as none): it answered 404 (a tenant
// whose career page is switched off), or kept failing until the retries ran
// out (5xx, 429, timeouts, dropped connections, endless redirects).
// Source reports it in plan.Source.JobsUnavailable instead of failing.
type FeedUnavailableError struct {
	URL    string // the feed URL asked for
	Status int    // the last status seen; 0 when there was no answer
	Err    error  // what else is known, if anything
}

func (e *FeedUnavailableError) Error() string {
	return "the job feed is unavailable: " + e.Reason()
}

// Reason says what became of the feed request, starting with its URL:
// "https://acme.jobs.personio.de/xml?language=en answered 404 Not Found;
// the career page may be switched off in Personio". It is what a plan
// shows as the reason the jobs are unknown.
func (e *FeedUnavailableError) Reason() string {
	var re *RetryError
	status := fmt.Sprintf("%d %s", e.Status, http.StatusText(e.Status))
	switch {
	case errors.As(e.Err, &re) && re.RetryAfter > 0:
		return fmt.Sprintf("%s answered %s and asks to wait %s", e.URL, status, re.RetryAfter)
	case errors.As(e.Err, &re) && e.Status != 0:
		return fmt.Sprintf("%s kept answering %s (%d attempts over %s)", e.URL, status, re.Attempts, roundElapsed(re.Elapsed))
	case errors.As(e.Err, &re):
		s := fmt.Sprintf("%s could not be reached (%d attempts over %s): %v", e.URL, re.Attempts, roundElapsed(re.Elapsed), re.Err)
		if re.Setting != "" {
			s += "; check the network and " + re.Setting + ", then try again"
		}
		return s
	}
	s := e.URL + " answered " + status
	if e.Status == 0 {
		s = e.URL + " gave no answer"
	}
	if e.Err != nil {
		s += " (" + e.Err.Error() + ")"
	}
	if e.Status == http.StatusNotFound {
		s += "; the career page may be switched off in Personio"
	}
	return s
}

func (e *FeedUnavailableError) Unwrap() error { return e.Err }

// StatusError is any other non-success answer that retrying will not fix
// (400, 404 on the API, 422, …).
type StatusError struct {
	StatusCode int
	Method     string
	Path       string // path and query, never credentials
	// Code and Message come from a v1 error body {"success":false,"error":{…}}.
	Code    int
	Message string
	// Setting and URL, when set, name the configuration setting that most
	// likely is wrong and its value: a 404 or a redirect on an API endpoint
	// means the base URL is not Personio's API.
	Setting string
	URL     string
	// Location is where a 3xx answer redirects to.
	Location string
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("Personio answered %s to %s %s", statusDetail(e.StatusCode, e.Message), e.Method, e.Path)
	if e.Location != "" {
		s += " (redirecting to " + e.Location + ")"
	}
	if e.Setting != "" {
		s += "; check " + e.Setting
		if e.URL != "" {
			s += " (" + e.URL + ")"
		}
	}
	return s
}

// RetryError means a request kept failing transiently (429, 5xx, dropped
// connections, timeouts) until the attempts ran out. StatusCode is the last
// status seen, 0 when the last failure was a network error (then Err says
// which).
type RetryError struct {
	Method     string
	Path       string
	Attempts   int
	Elapsed    time.Duration
	StatusCode int
	// RetryAfter is set when Personio asked to wait longer than the client
	// is willing to (5 minutes); the client then stops at once.
	RetryAfter time.Duration
	Err        error
	// Setting is the configuration setting that decides where the request
	// went (personio.api_url, personio.jobs_url, …), for the network case.
	Setting string
}

func (e *RetryError) Error() string {
	over := roundElapsed(e.Elapsed)
	switch {
	case e.RetryAfter > 0:
		return fmt.Sprintf("Personio answered %d %s to %s %s and asks to wait %s (Retry-After); try again later", e.StatusCode, http.StatusText(e.StatusCode), e.Method, e.Path, e.RetryAfter)
	case e.StatusCode == http.StatusTooManyRequests:
		return fmt.Sprintf("Personio kept answering 429 Too Many Requests after %d attempts over %s (%s %s); try again later or lower the request rate", e.Attempts, over, e.Method, e.Path)
	case e.StatusCode != 0:
		return fmt.Sprintf("Personio kept answering %d %s after %d attempts over %s (%s %s); try again later", e.StatusCode, http.StatusText(e.StatusCode), e.Attempts, over, e.Method, e.Path)
	default:
		return fmt.Sprintf("Personio could not be reached after %d attempts over %s (%s %s): %v; check the network and %s, then try again", e.Attempts, over, e.Method, e.Path, e.Err, cmp.Or(e.Setting, "the URL"))
	}
}

func (e *RetryError) Unwrap() error { return e.Err }

// roundElapsed rounds d to seconds, or to milliseconds when under one.
func roundElapsed(d time.Duration) time.Duration {
	if r := d.Round(time.Second); r != 0 {
		return r
	}
	return d.Round(time.Millisecond)
}

// PageError is an employees page that could not be read or understood.
type PageError struct {
	Offset int
	Err    error
}

func (e *PageError) Error() string {
	return fmt.Sprintf("employees page at offset %d: %v", e.Offset, e.Err)
}

func (e *PageError) Unwrap() error { return e.Err }

// ErrListingChanged is returned (wrapped) when the employee listing changed
// while it was being paged, again after one restart.
var ErrListingChanged = errors.New("the employee listing kept changing while it was read")

// statusDetail renders "401" or `401, Personio says "Wrong credentials"`.
func statusDetail(status int, msg string) string {
	s := strconv.Itoa(status)
	if msg = strings.TrimSpace(msg); msg != "" {
		s += ", Personio says " + strconv.Quote(msg)
	}
	return s
}

// v1ErrorBody is the error member of a v1 answer:
// {"success":false,"error":{"code":N,"message":"…"}}.
type v1ErrorBody struct {
	Code    json.RawMessage `json:"code"`
	Message string          `json:"message"`
}

// v1Error extracts code and message from a v1 error body; a body in
// another shape (HTML from a proxy, v2 errors {"errors":[{title, detail}]},
// "error":"…", "message":"…") yields what it can.
func v1Error(body []byte) (code int, message string) {
	var ans struct {
		Error   json.RawMessage
		Errors  []struct{ Title, Detail string }
		Message string
	}
	var s string
	switch {
	case json.Unmarshal(body, &ans) != nil:
		return 0, ""
	case len(ans.Errors) > 0:
		return 0, cmp.Or(ans.Errors[0].Detail, ans.Errors[0].Title)
	case json.Unmarshal(ans.Error, &s) == nil:
		return 0, s
	}
	if code, message, ok := v1ErrorMember(ans.Error); ok {
		return code, message
	}
	return 0, ans.Message
}

// v1ErrorMember reads the error member of a v1 answer,
// {"code":N,"message":"…"}; ok is false when raw is missing or not such an
// object (null reads as an empty one).
func v1ErrorMember(raw []byte) (code int, message string, ok bool) {
	var e v1ErrorBody
	if len(raw) == 0 || json.Unmarshal(raw, &e) != nil {
		return 0, "", false
	}
	n, _ := strconv.Atoi(strings.Trim(string(e.Code), `"`))
	return n, e.Message, true
}

// successFalseError is the error for an answer with success=false; message
// is its error.message, "" when it gives none.
func successFalseError(message string) error {
	return fmt.Errorf("Personio answered success=false: %s", cmp.Or(message, "no reason given"))
}

// statusError maps a final non-2xx API answer to a typed error.
func (c *Client) statusError(method, path string, resp *response) error {
	code, msg := v1Error(resp.body)
	switch resp.status {
	case http.StatusUnauthorized:
		return &AuthError{StatusCode: resp.status, Message: msg}
	case http.StatusForbidden:
		p, _, _ := strings.Cut(path, "?")
		return &ForbiddenError{Path: p, Message: msg}
	}
	se := &StatusError{StatusCode: resp.status, Method: method, Path: path, Code: code, Message: msg}
	if resp.status == http.StatusNotFound || (resp.status >= 300 && resp.status < 400) {
		// Every path the client asks for exists on Personio's API: a 404 or
		// a redirect (a website, http → https) means api_url points
		// elsewhere.
		se.Setting, se.URL = "personio.api_url", c.apiURL
		if resp.status >= 300 {
			se.Location = resp.header.Get("Location")
		}
	}
	return se
}
