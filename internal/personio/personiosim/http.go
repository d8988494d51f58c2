package personiosim

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// endpointKind says which faults apply to an endpoint.
type endpointKind int

const (
	kindAPI       endpointKind = iota // latency, drops, 5xx
	kindEmployees                     // as kindAPI, plus the rate limit
	kindFeed                          // latency and drops only
)

func (s *Server) routes() {
	mux := http.NewServeMux()
	mux.Handle(EndpointAuth, s.endpoint(EndpointAuth, kindAPI, s.handleAuth))
	mux.Handle(EndpointEmployees, s.endpoint(EndpointEmployees, kindEmployees, s.handleEmployees))
	mux.Handle(EndpointAttributes, s.endpoint(EndpointAttributes, kindEmployees, s.handleAttributes))
	mux.Handle(EndpointEmployee, s.endpoint(EndpointEmployee, kindEmployees, s.handleEmployee))
	mux.Handle(EndpointPicture, s.endpoint(EndpointPicture, kindEmployees, s.handlePicture))
	mux.Handle("GET /v1/company/employees/{id}/profile-picture", s.endpoint(EndpointPicture, kindEmployees, s.handlePicture))
	mux.Handle(EndpointFeed, s.endpoint(EndpointFeed, kindFeed, s.handleFeed))
	mux.Handle(EndpointMovedFeed, s.endpoint(EndpointMovedFeed, kindFeed, s.handleFeed))
	s.adminRoutes(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.count("other", http.StatusNotFound)
		writeError(w, http.StatusNotFound, "The requested resource does not exist in the simulator")
	})
	s.mux = mux
}

// decision is what the faults make of one request, drawn at arrival.
type decision struct {
	drop       bool
	latency    time.Duration
	limited    bool
	retryAfter string // set when limited and Faults.RetryAfter
	errStatus  int    // injected 5xx, 0 for none
}

// decide draws the faults for one request. Random draws happen in a fixed
// order under the lock, so a seed and an order of requests give the same
// faults.
func (s *Server) decide(kind endpointKind) decision {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults
	d := decision{latency: f.Latency}
	if f.DropRate > 0 && s.rng.Float64() < f.DropRate {
		d.drop = true
		return d
	}
	if kind == kindEmployees && s.limiter != nil {
		now := s.now()
		if !s.limiter.AllowN(now, 1) {
			d.limited = true
			if f.RetryAfter {
				d.retryAfter = retryAfter(s.limiter, now)
			}
			return d
		}
	}
	if kind != kindFeed && f.ErrorRate > 0 && s.rng.Float64() < f.ErrorRate {
		d.errStatus = []int{500, 502, 503, 504}[s.rng.IntN(4)]
	}
	return d
}

// endpoint wraps a handler with fault injection and request counting.
func (s *Server) endpoint(name string, kind endpointKind, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := s.decide(kind)
		if d.latency > 0 && !sleepCtx(r.Context(), d.latency) {
			s.count(name, 0)
			return
		}
		if d.drop {
			s.count(name, 0)
			s.logger.Debug("personiosim: dropped connection", "endpoint", name)
			drop(w)
			return
		}
		rec := &statusRecorder{ResponseWriter: w, decided: func(status int) { s.count(name, status) }}
		switch {
		case d.limited:
			if d.retryAfter != "" {
				w.Header().Set("Retry-After", d.retryAfter)
			}
			writeError(rec, http.StatusTooManyRequests, "Too Many Requests: the rate limit of this endpoint is exceeded")
		case d.errStatus != 0:
			writeServerError(rec, d.errStatus)
		default:
			h(rec, r)
		}
		if rec.status == 0 {
			rec.decide(http.StatusOK) // nothing written (or hijacked)
		}
		status := rec.status
		s.logger.Debug("personiosim: request", "endpoint", name, "path", r.URL.Path, "query", loggableQuery(r.URL.Query()), "status", status)
	})
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// statusRecorder remembers the status code a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
	// decided is called once with the status, before any byte of the answer
	// leaves, so that Stats already counts an answer its client has seen.
	decided func(status int)
}

func (r *statusRecorder) decide(code int) {
	if r.status == 0 {
		r.status = code
		if r.decided != nil {
			r.decided(code)
		}
	}
}

func (r *statusRecorder) WriteHeader(code int) {
	r.decide(code)
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.decide(http.StatusOK)
	return r.ResponseWriter.Write(b)
}

// Hijack lets handlers below the recorder drop connections too.
func (r *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if hj, ok := r.ResponseWriter.(http.Hijacker); ok {
		return hj.Hijack()
	}
	return nil, nil, errors.New("personiosim: connection cannot be hijacked")
}

// writeError writes Personio's v1 error body.
func writeError(w http.ResponseWriter, status int, message string) {
	b := append([]byte(`{"success":false,"error":{"code":`), strconv.Itoa(status)...)
	b = append(b, `,"message":`...)
	b = appendString(b, message)
	b = append(b, "}}"...)
	writeJSON(w, status, b)
}

// writeServerError answers like Personio's stack does under trouble: the
// application's JSON error for 500 and 503, a proxy's HTML page for 502 and
// 504.
func writeServerError(w http.ResponseWriter, status int) {
	switch status {
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		body := "<html><head><title>" + strconv.Itoa(status) + " " + http.StatusText(status) + "</title></head><body><center><h1>" +
			strconv.Itoa(status) + " " + http.StatusText(status) + "</h1></center></body></html>\n"
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		w.Write([]byte(body))
	default:
		writeError(w, status, "Something went wrong")
	}
}

func writeJSON(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

// loggedParams are the query parameters whose values the request log shows.
// Anything else (client_secret sent in the query by a careless caller, an
// email filter) is only counted: neither its key nor its value is logged,
// since a malformed query can put a secret in a key.
var loggedParams = []string{"limit", "offset", "language", "updated_since"}

// loggableQuery renders the allow-listed parameters of q, e.g.
// "limit=100&offset=200", and says how many others it left out.
func loggableQuery(q url.Values) string {
	kept := url.Values{}
	for _, k := range loggedParams {
		if v, ok := q[k]; ok {
			kept[k] = v
		}
	}
	out := kept.Encode()
	if n := len(q) - len(kept); n > 0 {
		if out != "" {
			out += " "
		}
		out += "(+" + strconv.Itoa(n) + " not logged)"
	}
	return out
}
