package httpx

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// Policy is how a client retries (Retry) and paces (NewPacer) its
// requests. Zero fields take the defaults named on them.
type Policy struct {
	// Name is the service the log lines name: "Personio request failed,
	// retrying".
	Name string
	// MaxAttempts bounds the tries of one request, the first included
	// (default 3).
	MaxAttempts int
	// MinBackoff and MaxBackoff bound the wait between attempts (default 1s
	// and 30s): the n-th wait is drawn from [MinBackoff·2^(n-1),
	// MinBackoff·2^n], and once that reaches MaxBackoff from
	// [⅔·MaxBackoff, MaxBackoff]. MinBackoff is also the floor under a
	// Retry-After and the pause after a 429 that names none.
	MinBackoff, MaxBackoff time.Duration
	// MaxRetryAfter is the longest Retry-After sat out (default 5 minutes).
	// A server asking for more is asking the user to come back later, not a
	// client to block for an hour: Retry returns that answer at once.
	MaxRetryAfter time.Duration
	// Repeatable reports whether req may be sent again without effect; nil
	// means every request. A request whose body cannot be sent again is
	// sent once whatever it says.
	Repeatable func(req *http.Request) bool
	// Logger receives one line per retry and per slow-down; nil discards.
	Logger *slog.Logger
}

func (p Policy) withDefaults() Policy {
	p.MaxAttempts = cmp.Or(max(p.MaxAttempts, 0), 3)
	p.MinBackoff = cmp.Or(max(p.MinBackoff, 0), time.Second)
	p.MaxBackoff = max(cmp.Or(max(p.MaxBackoff, 0), 30*time.Second), p.MinBackoff)
	p.MaxRetryAfter = cmp.Or(max(p.MaxRetryAfter, 0), 5*time.Minute)
	p.Logger = cmp.Or(p.Logger, slog.New(slog.DiscardHandler))
	return p
}

// backoff returns the waits between attempts, exponential with jitter:
// the n-th lies in [MinBackoff·2^(n-1), MinBackoff·2^n], and all within
// [MinBackoff, MaxBackoff] (the floor keeps a retry at least MinBackoff
// away from a server that just failed, as Personio asks).
func (p Policy) backoff() func() time.Duration {
	b := &backoff.ExponentialBackOff{
		InitialInterval:     p.MinBackoff * 3 / 2,
		RandomizationFactor: 1.0 / 3,
		Multiplier:          2,
		MaxInterval:         p.MaxBackoff,
	}
	b.Reset()
	return func() time.Duration { return min(max(b.NextBackOff(), p.MinBackoff), p.MaxBackoff) }
}

// Retry returns a layer that sends each request through next until it gets
// an answer retrying cannot change: any status but 429, 500, 502, 503 and
// 504, or a failure other than a timeout or a dropped connection. It reads
// every answer in full before deciding, so the response it returns has a
// buffered body (see Bytes) and a connection dropped mid-body is retried
// like one dropped before the headers. A 429 or 5xx that outlasts
// MaxAttempts is returned as the last answer (see Attempts); a transport
// failure that does is a *GiveUpError; a check (WithCheck) that keeps
// failing is a *CheckError.
//
// An attempt's time limit is the Timeout layer's, below: an http.Client's
// Timeout would bound all attempts and waits together, so leave it unset
// in a client that uses Retry.
func Retry(next http.RoundTripper, p Policy) http.RoundTripper {
	p = p.withDefaults()
	return RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		ctx := req.Context()
		check, _ := ctx.Value(checkKey{}).(CheckFunc)
		repeatable := (req.Body == nil || req.Body == http.NoBody || req.GetBody != nil) &&
			(p.Repeatable == nil || p.Repeatable(req))
		tries := 1
		if repeatable {
			tries = p.MaxAttempts
		}
		nextBackoff := p.backoff()
		checks := 0
		for n := 1; ; n++ {
			resp, err := attempt(next, req, n)
			var (
				status int           // a retryable status answered
				wait   time.Duration // what the server asked for; 0: the backoff's
			)
			msg := p.Name + " request failed, retrying"
			switch {
			case err != nil:
				switch {
				case ctx.Err() != nil:
					return nil, ctx.Err()
				case !retryable(err):
					return nil, err
				case n < tries:
				case !repeatable:
					return nil, err
				default:
					return nil, &GiveUpError{Attempts: n, Err: err}
				}
			case RetryableStatus(resp.StatusCode):
				ra, ok := RetryAfter(resp.Header, time.Now())
				if n == tries || ok && ra > p.MaxRetryAfter {
					resp.Body.(*body).attempts = n
					return resp, nil
				}
				resp.Body.Close()
				switch status = resp.StatusCode; {
				case ok:
					// Retry-After replaces the backoff but never undercuts its
					// floor: "Retry-After: 0" (or a date in the past) would
					// otherwise make the retries a burst.
					wait = max(ra, p.MinBackoff)
				case status == http.StatusTooManyRequests:
					// A 429 is about the client's pace, not this request: the
					// pacer below slows every request down, so this one waits
					// only the floor instead of a backoff of its own.
					wait = p.MinBackoff
				}
			case check != nil && resp.StatusCode/100 == 2:
				b, _ := Bytes(resp)
				if err = check(resp.Header, b); err == nil {
					return resp, nil
				}
				resp.Body.Close()
				checks++
				var fin *finalError
				if errors.As(err, &fin) {
					return nil, &CheckError{Times: checks, Err: fin.err}
				}
				if checks == 2 || n == tries {
					return nil, &CheckError{Times: checks, Err: err}
				}
				msg = p.Name + "'s answer could not be decoded; asking for it once more"
			default:
				return resp, nil
			}
			if wait > 0 {
				nextBackoff = p.backoff() // a server-given wait starts the backoff afresh
			} else {
				wait = nextBackoff()
			}
			errText := ""
			if err != nil {
				errText = err.Error()
			}
			p.Logger.Info(msg, "method", req.Method, "path", req.URL.RequestURI(), "attempt", n, "of", tries,
				"status", status, "error", errText, "wait", wait.Round(time.Millisecond))
			if err := sleep(ctx, wait); err != nil {
				return nil, err
			}
		}
	})
}

// attempt sends req through next once and reads the whole answer.
func attempt(next http.RoundTripper, req *http.Request, n int) (*http.Response, error) {
	r := req
	if n > 1 && req.GetBody != nil {
		b, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r = req.WithContext(req.Context()) // a shallow copy for the new body
		r.Body = b
	}
	resp, err := next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	if err := buffer(resp); err != nil {
		return nil, err
	}
	resp.Request = req
	return resp, nil
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

// CheckFunc vets the body of a 2xx answer, for example by decoding it. An
// error means the answer was mangled on the way (a proxy, a body cut short
// yet ended cleanly): Retry asks for it once more, within the same
// MaxAttempts. Wrap the error with Final when asking again cannot help.
type CheckFunc func(header http.Header, body []byte) error

type checkKey struct{}

// WithCheck returns a copy of ctx under which Retry vets the 2xx answers of
// a request with check, like net/http/httptrace attaches per-request hooks.
func WithCheck(ctx context.Context, check CheckFunc) context.Context {
	return context.WithValue(ctx, checkKey{}, check)
}

// CheckError is a request whose answer failed its check Times times: 2, or
// 1 when the check said Final or no attempt was left to ask again.
type CheckError struct {
	Times int
	Err   error
}

func (e *CheckError) Error() string { return e.Err.Error() }
func (e *CheckError) Unwrap() error { return e.Err }

type finalError struct{ err error }

func (e *finalError) Error() string { return e.err.Error() }
func (e *finalError) Unwrap() error { return e.err }

// Final marks an error as one that asking again cannot fix, so that Retry
// gives up at once: a check's complaint about an HTML page where JSON
// belongs, or a layer's failure that only looks like a network error.
func Final(err error) error { return &finalError{err} }
