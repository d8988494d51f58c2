package httpx

import (
	"context"
	"net/http"
)

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
