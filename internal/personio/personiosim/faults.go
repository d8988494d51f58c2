package personiosim

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// Faults are the simulator's switches. The zero value means no faults: no
// rate limit, no latency, no errors.
type Faults struct {
	// RatePerMinute is how many requests the employees endpoints allow per
	// RateWindow; 0 means unlimited. Requests over it get 429.
	RatePerMinute int `json:"rate_per_minute"`
	// Burst is the most requests the employees endpoints take at once
	// (Personio: 15 a second). The limit is a token bucket exactly like
	// golang.org/x/time/rate.NewLimiter(RatePerMinute per RateWindow, Burst);
	// 0 means a bucket of RatePerMinute. With RatePerMinute 0, Burst alone
	// allows Burst requests per RateWindow/60.
	Burst int `json:"burst"`
	// RateWindow is the window of RatePerMinute, time.Minute when zero; tests
	// and benchmarks scale time with time.Second.
	RateWindow time.Duration `json:"rate_window"`
	// RetryAfter sends a Retry-After header (whole seconds) with 429.
	RetryAfter bool `json:"retry_after"`

	// Latency is added to every API and feed answer.
	Latency time.Duration `json:"latency"`
	// ErrorRate is the share (0..1) of API answers replaced by 500, 502, 503
	// or 504.
	ErrorRate float64 `json:"error_rate"`
	// DropRate is the share (0..1) of API and feed requests whose connection
	// is closed without an answer.
	DropRate float64 `json:"drop_rate"`

	// Garbled makes the employees page at row offset GarbledOffset answer
	// 200 with truncated, malformed JSON, every time it is asked for.
	Garbled       bool `json:"garbled"`
	GarbledOffset int  `json:"garbled_offset"`

	// UnknownTenant makes the feed answer 301 to https://www.personio.de/
	// like Personio does for a tenant that does not exist.
	UnknownTenant bool `json:"unknown_tenant"`
	// FeedRedirect makes the feed (GET /xml) answer 301 Moved Permanently
	// to this location, with the request's query added when it names none,
	// as a feed that moved between Personio's hosts does. A path stays on
	// the simulator: MovedFeedPath serves the feed. An absolute URL sends
	// the client to another host.
	FeedRedirect string `json:"feed_redirect,omitempty"`
	// FeedMissing makes the feed (at /xml and MovedFeedPath) answer 404
	// with an HTML page, like a tenant whose career page is switched off.
	FeedMissing bool `json:"feed_missing"`
	// RotateTokens sends a fresh token in the Authorization response header
	// of every authenticated answer; older tokens stay valid.
	RotateTokens bool `json:"rotate_tokens"`
	// Forbidden answers the employees endpoints with 403 as for credentials
	// that lack the employees:read scope.
	Forbidden bool `json:"forbidden"`
	// HiddenAttributes are attribute keys not whitelisted for the
	// credential: left out of employee pages and the attributes list, and
	// answered with 403 when asked for with attributes[].
	HiddenAttributes []string `json:"hidden_attributes,omitempty"`

	// The switches below are described in switches.go.
	HiddenListed  bool `json:"hidden_listed,omitempty"`
	WideEmployees bool `json:"wide_employees,omitempty"`
	ShiftEvery    int  `json:"shift_every,omitempty"`
	ShiftTimes    int  `json:"shift_times,omitempty"`
}

// faultsJSON is Faults with durations as Go duration strings ("250ms") for
// the admin API; plain numbers (nanoseconds) are accepted too.
type faultsJSON struct {
	faultsAlias
	RateWindow jsonDuration `json:"rate_window"`
	Latency    jsonDuration `json:"latency"`
}

type faultsAlias Faults

// MarshalJSON writes durations as strings such as "1m0s".
func (f Faults) MarshalJSON() ([]byte, error) {
	return json.Marshal(faultsJSON{faultsAlias: faultsAlias(f), RateWindow: jsonDuration(f.RateWindow), Latency: jsonDuration(f.Latency)})
}

// UnmarshalJSON reads durations as strings ("250ms") or nanoseconds. An
// unknown field is an error: a misspelt switch would otherwise reset every
// fault and answer as if it had been set.
func (f *Faults) UnmarshalJSON(b []byte) error {
	var j faultsJSON
	if err := decodeStrict(bytes.NewReader(b), &j); err != nil {
		return err
	}
	*f = Faults(j.faultsAlias)
	f.RateWindow, f.Latency = time.Duration(j.RateWindow), time.Duration(j.Latency)
	return nil
}

type jsonDuration time.Duration

func (d jsonDuration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

func (d *jsonDuration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		if json.Unmarshal(b, (*int64)(d)) != nil {
			return fmt.Errorf("duration must be a string such as \"250ms\" or nanoseconds: %w", err)
		}
		return nil
	}
	v, err := time.ParseDuration(s)
	*d = jsonDuration(v)
	return err
}

// Validate reports switches that cannot be honoured.
func (f Faults) Validate() error {
	switch {
	case f.RatePerMinute < 0 || f.Burst < 0:
		return fmt.Errorf("rate_per_minute and burst must not be negative")
	case f.RateWindow < 0 || f.Latency < 0:
		return fmt.Errorf("rate_window and latency must not be negative")
	case f.ErrorRate < 0 || f.ErrorRate > 1 || f.DropRate < 0 || f.DropRate > 1:
		return fmt.Errorf("error_rate and drop_rate are shares between 0 and 1")
	case f.ShiftEvery < 0 || f.ShiftTimes < 0:
		return fmt.Errorf("shift_every and shift_times must not be negative")
	}
	if f.FeedRedirect != "" {
		u, err := url.Parse(f.FeedRedirect)
		if err != nil || (u.IsAbs() && u.Scheme != "http" && u.Scheme != "https") || (!u.IsAbs() && !strings.HasPrefix(u.Path, "/")) {
			return fmt.Errorf("feed_redirect %q must be an absolute path or an http(s) URL", f.FeedRedirect)
		}
	}
	return nil
}

// newLimiter builds the employees limiter for f, nil when unlimited.
func newLimiter(f Faults) *rate.Limiter {
	window := cmp.Or(max(f.RateWindow, 0), time.Minute) // a minute when zero or negative
	switch {
	case f.RatePerMinute > 0:
		return rate.NewLimiter(rate.Limit(float64(f.RatePerMinute)/window.Seconds()), cmp.Or(f.Burst, f.RatePerMinute))
	case f.Burst > 0:
		return rate.NewLimiter(rate.Limit(float64(f.Burst)/(window.Seconds()/60)), f.Burst)
	}
	return nil
}

// retryAfter is the whole number of seconds until lim has a token, at least 1.
func retryAfter(lim *rate.Limiter, now time.Time) string {
	r := lim.ReserveN(now, 1)
	d := r.DelayFrom(now)
	r.CancelAt(now)
	return strconv.Itoa(max(1, int(math.Ceil(d.Seconds()))))
}

// drop closes the client's connection without an answer.
func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	// Not hijackable (HTTP/2, a recorder): abort the handler, which makes
	// net/http reset the stream without logging.
	panic(http.ErrAbortHandler)
}
