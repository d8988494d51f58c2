package httpx

import (
	"context"
	"io"
	"net/http"
	"time"
)

// Timeout returns a layer that bounds each exchange through next to d:
// sending the request, waiting for the answer and reading its body, until
// the body is closed. d <= 0 returns next unchanged.
//
// It belongs right above the network, below Retry (so that each attempt
// has its own bound) and below a Pacer: a request waiting for its turn
// after a 429 has not been sent, and that wait must not use up the time
// its exchange with the server is given.
func Timeout(next http.RoundTripper, d time.Duration) http.RoundTripper {
	if d <= 0 {
		return next
	}
	return RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		ctx, cancel := context.WithTimeout(req.Context(), d)
		resp, err := next.RoundTrip(req.WithContext(ctx))
		if err != nil {
			cancel()
			return nil, err
		}
		resp.Body = cancelOnClose{resp.Body, cancel}
		return resp, nil
	})
}

// cancelOnClose ends a Timeout's deadline when the body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b cancelOnClose) Close() error {
	defer b.cancel()
	return b.ReadCloser.Close()
}
