package httpx

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// Defaults of RetryPolicy.
const (
	DefaultMaxAttempts   = 3
	DefaultMinBackoff    = time.Second
	DefaultMaxBackoff    = 30 * time.Second
	DefaultMaxRetryAfter = 5 * time.Minute
	DefaultMaxBody       = 128 << 20
)

// RetryPolicy configures Retry. Zero fields take the defaults above.
type RetryPolicy struct {
	// Name is the service the log lines name: "Personio request failed,
	// retrying".
	Name string
	// MaxAttempts bounds the tries of one request, the first included.
	MaxAttempts int
	// MinBackoff and MaxBackoff bound the wait between attempts: the n-th
	// wait is drawn from [MinBackoff·2^(n-1), MinBackoff·2^n], and once
	// that reaches MaxBackoff from [⅔·MaxBackoff, MaxBackoff]. MinBackoff is also the floor under a Retry-After and the
	// wait after a 429 that names none.
	MinBackoff, MaxBackoff time.Duration
	// MaxRetryAfter is the longest Retry-After the layer sits out. A server
	// asking for more is asking the user to come back later, not a client
	// to block for an hour: that answer is returned at once.
	MaxRetryAfter time.Duration
	// MaxBody is the largest answer read; a larger one fails the request.
	MaxBody int64
	// Repeatable reports whether req may be sent again without effect;
	// nil means idempotent. Other requests are sent exactly once.
	Repeatable func(req *http.Request) bool
	// Logger receives one line per retry; nil discards.
	Logger *slog.Logger
}

// Retry returns a layer that sends each request through next until it gets
// an answer retrying cannot change: any status but 429, 500, 502, 503 and
// 504, or a failure other than a timeout or a dropped connection. It reads
// every answer in full before deciding, so the response it returns has a
// buffered body (see Bytes) and a connection dropped mid-body is retried
// like one dropped before the headers. A 429 or 5xx that outlasts
// MaxAttempts is returned as the last answer; a transport failure that
// does is a *GiveUpError; a check (WithCheck) that keeps failing is a
// *CheckError.
func Retry(next http.RoundTripper, p RetryPolicy) http.RoundTripper {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.MinBackoff <= 0 {
		p.MinBackoff = DefaultMinBackoff
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = DefaultMaxBackoff
	}
	p.MaxBackoff = max(p.MaxBackoff, p.MinBackoff)
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if p.MaxBody <= 0 {
		p.MaxBody = DefaultMaxBody
	}
	if p.Repeatable == nil {
		p.Repeatable = idempotent
	}
	if p.Logger == nil {
		p.Logger = slog.New(slog.DiscardHandler)
	}
	return &retryTransport{next: next, p: p, pool: &bufferPool{}}
}

type retryTransport struct {
	next http.RoundTripper
	p    RetryPolicy
	pool *bufferPool
}

// failure is one attempt that may be retried.
type failure struct {
	status int   // a retryable status; 0 when the attempt got no answer
	err    error // the transport error or the check's complaint
	check  bool  // the answer came, but its body failed the check
	// wait is the pause the server asked for (Retry-After, floored at
	// MinBackoff), or MinBackoff after a 429 that named none; 0 leaves the
	// wait to the exponential backoff.
	wait time.Duration
}

func (f *failure) Error() string {
	if f.err != nil {
		return f.err.Error()
	}
	return fmt.Sprintf("%d %s", f.status, http.StatusText(f.status))
}

// As lets backoff.Retry see a server-given wait as a RetryAfterError.
func (f *failure) As(target any) bool {
	if p, ok := target.(**backoff.RetryAfterError); ok && f.wait > 0 {
		*p = &backoff.RetryAfterError{Duration: f.wait}
		return true
	}
	return false
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	check, _ := ctx.Value(checkKey{}).(CheckFunc)
	tries := t.p.MaxAttempts
	repeatable := t.p.Repeatable(req)
	if !repeatable {
		tries = 1
	}
	var (
		attempt, checks int
		last            *http.Response // the latest answer that asked for a retry
	)
	op := func() (*http.Response, error) {
		attempt++
		closeBody(last)
		last = nil
		resp, err := t.attempt(req, attempt)
		if err != nil {
			if ctx.Err() != nil || !retryable(err) {
				return nil, backoff.Permanent(err)
			}
			return nil, &failure{err: err}
		}
		if RetryableStatus(resp.StatusCode) {
			last = resp
			f := &failure{status: resp.StatusCode}
			ra, ok := RetryAfter(resp.Header, time.Now())
			switch {
			case ok && ra > t.p.MaxRetryAfter:
				return resp, backoff.Permanent(f)
			case ok:
				// Retry-After replaces the backoff but never undercuts its
				// floor: "Retry-After: 0" (or a date in the past) would
				// otherwise make the retries a burst.
				f.wait = max(ra, t.p.MinBackoff)
			case resp.StatusCode == http.StatusTooManyRequests:
				// A 429 is about the client's pace, not this request: the
				// pacer below slows every request down, so this one waits
				// only the floor instead of a backoff of its own.
				f.wait = t.p.MinBackoff
			}
			return resp, f
		}
		if check != nil && resp.StatusCode/100 == 2 {
			b, _ := Bytes(resp)
			if cerr := check(resp.Header, b); cerr != nil {
				closeBody(resp)
				checks++
				var fin *finalError
				if errors.As(cerr, &fin) {
					return nil, backoff.Permanent(&CheckError{Times: checks, Err: fin.err})
				}
				if checks == 2 {
					return nil, backoff.Permanent(&CheckError{Times: checks, Err: cerr})
				}
				return nil, &failure{err: cerr, check: true}
			}
		}
		return resp, nil
	}
	resp, err := backoff.Retry(ctx, op,
		backoff.WithBackOff(t.backoff()),
		backoff.WithMaxTries(uint(tries)),
		backoff.WithMaxElapsedTime(0),
		backoff.WithNotify(func(err error, wait time.Duration) { t.logRetry(req, attempt, tries, err, wait) }),
	)
	if err == nil {
		return resp, nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		closeBody(last)
		return nil, ctxErr
	}
	var f *failure
	if !errors.As(err, &f) {
		return nil, err // a failure retrying cannot fix, or a *CheckError
	}
	switch {
	case f.status != 0:
		if b, ok := last.Body.(*body); ok {
			b.attempts = attempt
		}
		return last, nil
	case f.check:
		return nil, &CheckError{Times: checks, Err: f.err}
	case !repeatable:
		return nil, f.err
	default:
		return nil, &GiveUpError{Attempts: attempt, Err: f.err}
	}
}

// attempt sends req once and reads the whole answer. (An attempt's time
// limit is the Timeout layer's, below: an http.Client's Timeout would
// bound all attempts and waits together, so leave it unset in a client
// that uses Retry.)
func (t *retryTransport) attempt(req *http.Request, n int) (*http.Response, error) {
	r := req
	if n > 1 && req.GetBody != nil {
		b, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r = req.WithContext(req.Context()) // a shallow copy for the new body
		r.Body = b
	}
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	b, err := t.pool.read(resp, t.p.MaxBody)
	if err != nil {
		return nil, err
	}
	resp.Body = b
	resp.Request = req
	return resp, nil
}

// backoff is the exponential backoff with jitter between attempts: the
// n-th wait lies in [MinBackoff·2^(n-1), MinBackoff·2^n], capped.
func (t *retryTransport) backoff() backoff.BackOff {
	return &bounded{
		b: &backoff.ExponentialBackOff{
			InitialInterval:     t.p.MinBackoff * 3 / 2,
			RandomizationFactor: 1.0 / 3,
			Multiplier:          2,
			MaxInterval:         t.p.MaxBackoff,
		},
		lo: t.p.MinBackoff, hi: t.p.MaxBackoff,
	}
}

// bounded keeps a backoff's waits within [lo, hi]: the floor keeps a retry
// at least MinBackoff away from a server that just failed, as Personio asks.
type bounded struct {
	b      backoff.BackOff
	lo, hi time.Duration
}

func (b *bounded) NextBackOff() time.Duration { return min(max(b.b.NextBackOff(), b.lo), b.hi) }
func (b *bounded) Reset()                     { b.b.Reset() }

func (t *retryTransport) logRetry(req *http.Request, attempt, tries int, err error, wait time.Duration) {
	var f *failure
	if !errors.As(err, &f) {
		return
	}
	msg := t.p.Name + " request failed, retrying"
	if f.check {
		msg = t.p.Name + "'s answer could not be decoded; asking for it once more"
	}
	errText := ""
	if f.err != nil {
		errText = f.err.Error()
	}
	t.p.Logger.Info(msg, "method", req.Method, "path", req.URL.RequestURI(), "attempt", attempt, "of", tries,
		"status", f.status, "error", errText, "wait", wait.Round(time.Millisecond))
}

// GiveUpError is a request whose every attempt failed without an answer
// (timeouts, dropped connections). Err is the last failure.
type GiveUpError struct {
	Attempts int
	Err      error
}

func (e *GiveUpError) Error() string {
	return fmt.Sprintf("%v (after %d attempts)", e.Err, e.Attempts)
}

func (e *GiveUpError) Unwrap() error { return e.Err }

// idempotent reports whether req is safe to send again by its method
// (GET, HEAD, OPTIONS, PUT, DELETE) and has a body that can be sent again.
func idempotent(req *http.Request) bool {
	if !Replayable(req) {
		return false
	}
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// Replayable reports whether req's body (if any) can be sent again.
func Replayable(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}
