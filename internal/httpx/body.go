package httpx

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// maxPooled bounds the buffers kept for reuse: an unusually large answer is
// left to the collector rather than kept alive.
const maxPooled = 4 << 20

// bufferPool recycles answer buffers. A large listing is a thousand answers
// of ~150 KB, and growing a fresh buffer for each was a client's largest
// allocation.
type bufferPool struct{ p sync.Pool }

func (p *bufferPool) get() *bytes.Buffer {
	if b, ok := p.p.Get().(*bytes.Buffer); ok {
		return b
	}
	return new(bytes.Buffer)
}

func (p *bufferPool) put(b *bytes.Buffer) {
	if b.Cap() > maxPooled {
		return
	}
	b.Reset()
	p.p.Put(b)
}

// read reads resp's body in full (at most limit bytes) into a pooled
// buffer and closes it.
func (p *bufferPool) read(resp *http.Response, limit int64) (*body, error) {
	defer resp.Body.Close()
	buf := p.get()
	if n := resp.ContentLength; n > 0 && n <= limit {
		buf.Grow(int(n))
	}
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	if err == nil && n > limit {
		err = fmt.Errorf("the answer is larger than %d MiB", limit>>20)
	}
	if err != nil {
		p.put(buf)
		return nil, err
	}
	b := &body{buf: buf, pool: p, attempts: 1}
	b.Reader.Reset(buf.Bytes())
	return b, nil
}

// body is an answer read in full. Close hands its buffer back for reuse.
type body struct {
	bytes.Reader
	buf      *bytes.Buffer
	pool     *bufferPool
	attempts int
}

func (b *body) Close() error {
	if b.buf != nil {
		b.Reader.Reset(nil)
		b.pool.put(b.buf)
		b.buf = nil
	}
	return nil
}

// Bytes returns the body of an answer that came through Retry without
// copying it. The slice is valid until resp.Body is closed, which hands the
// buffer back for reuse. ok is false for any other body.
func Bytes(resp *http.Response) (b []byte, ok bool) {
	if resp == nil {
		return nil, false
	}
	bb, ok := resp.Body.(*body)
	if !ok || bb.buf == nil {
		return nil, false
	}
	return bb.buf.Bytes(), true
}

// Attempts returns how many attempts Retry made before it gave up on resp
// (an answer it returned because retrying did not change it), or 1.
func Attempts(resp *http.Response) int {
	if bb, ok := resp.Body.(*body); ok {
		return bb.attempts
	}
	return 1
}

func closeBody(resp *http.Response) {
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
}
