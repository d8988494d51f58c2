package httpx

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"
)

const (
	// maxBody is the largest answer read; a larger one fails the request.
	maxBody = 128 << 20
	// maxPooled bounds the buffers kept for reuse: an unusually large
	// answer is left to the collector rather than kept alive.
	maxPooled = 4 << 20
)

// buffers recycles answer buffers. A large listing is a thousand answers
// of ~150 KB, and growing a fresh buffer for each was a client's largest
// allocation.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// body is an answer read in full. Close hands its buffer back for reuse.
type body struct {
	bytes.Reader
	buf      *bytes.Buffer
	attempts int // the attempts Retry made before it returned the answer
}

// buffer reads resp's body in full into a pooled buffer, closes it and
// puts the buffer in its place.
func buffer(resp *http.Response) error {
	raw := resp.Body
	defer raw.Close()
	b := &body{buf: buffers.Get().(*bytes.Buffer), attempts: 1}
	if n := resp.ContentLength; n > 0 && n <= maxBody {
		b.buf.Grow(int(n))
	}
	n, err := b.buf.ReadFrom(io.LimitReader(raw, maxBody+1))
	if err == nil && n > maxBody {
		err = fmt.Errorf("the answer is larger than %d MiB", maxBody>>20)
	}
	if err != nil {
		b.Close()
		return err
	}
	b.Reader.Reset(b.buf.Bytes())
	resp.Body = b
	return nil
}

func (b *body) Close() error {
	if b.buf != nil && b.buf.Cap() <= maxPooled {
		b.buf.Reset()
		buffers.Put(b.buf)
	}
	b.buf = nil
	b.Reader.Reset(nil)
	return nil
}

// Bytes returns the body of an answer that came through Retry without
// copying it. The slice is valid until resp.Body is closed, which hands the
// buffer back for reuse. ok is false for any other body.
func Bytes(resp *http.Response) (b []byte, ok bool) {
	if bb, ok := resp.Body.(*body); ok && bb.buf != nil {
		return bb.buf.Bytes(), true
	}
	return nil, false
}

// Attempts returns how many attempts Retry made before it gave up on resp
// (an answer it returned because retrying did not change it), or 1.
func Attempts(resp *http.Response) int {
	if bb, ok := resp.Body.(*body); ok {
		return bb.attempts
	}
	return 1
}
