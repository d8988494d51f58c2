package personiosim

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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
	// The employees endpoints answer only to a valid token (authorized).
	mux.Handle(EndpointEmployees, s.endpoint(EndpointEmployees, kindEmployees, s.authorized(true, s.handleEmployees)))
	mux.Handle(EndpointAttributes, s.endpoint(EndpointAttributes, kindEmployees, s.authorized(true, s.handleAttributes)))
	mux.Handle(EndpointEmployee, s.endpoint(EndpointEmployee, kindEmployees, s.authorized(true, s.handleEmployee)))
	mux.Handle(EndpointPicture, s.endpoint(EndpointPicture, kindEmployees, s.authorized(false, s.handlePicture)))
	mux.Handle("GET /v1/company/employees/{id}/profile-picture", s.endpoint(EndpointPicture, kindEmployees, s.authorized(false, s.handlePicture)))
	mux.Handle(EndpointFeed, s.endpoint(EndpointFeed, kindFeed, s.handleFeed))
	mux.Handle(EndpointMovedFeed, s.endpoint(EndpointMovedFeed, kindFeed, s.handleFeed))
	s.adminRoutes(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.count("other", http.StatusNotFound)
		writeError(w, http.StatusNotFound, "The requested resource does not exist in the simulator")
	})
	s.mux = mux
}

// decide draws the faults for one request at its arrival: the latency to
// add, whether to drop the connection, and otherwise what answers it (h, a
// 429 or an injected 5xx). Random draws happen in a fixed order under the
// lock, so a seed and an order of requests give the same faults.
func (s *Server) decide(kind endpointKind, h http.HandlerFunc) (latency time.Duration, drop bool, answer http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults
	if f.DropRate > 0 && s.rng.Float64() < f.DropRate {
		return f.Latency, true, nil
	}
	if now := s.now(); kind == kindEmployees && s.limiter != nil && !s.limiter.AllowN(now, 1) {
		retry := ""
		if f.RetryAfter {
			retry = retryAfter(s.limiter, now)
		}
		return f.Latency, false, func(w http.ResponseWriter, _ *http.Request) {
			if retry != "" {
				w.Header().Set("Retry-After", retry)
			}
			writeError(w, http.StatusTooManyRequests, "Too Many Requests: the rate limit of this endpoint is exceeded")
		}
	}
	if kind != kindFeed && f.ErrorRate > 0 && s.rng.Float64() < f.ErrorRate {
		status := []int{500, 502, 503, 504}[s.rng.IntN(4)]
		return f.Latency, false, func(w http.ResponseWriter, _ *http.Request) { writeServerError(w, status) }
	}
	return f.Latency, false, h
}

// endpoint wraps a handler with fault injection and request counting.
func (s *Server) endpoint(name string, kind endpointKind, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		latency, dropped, answer := s.decide(kind, h)
		if latency > 0 {
			select {
			case <-time.After(latency):
			case <-r.Context().Done():
				s.count(name, 0)
				return
			}
		}
		if dropped {
			s.count(name, 0)
			s.logger.Debug("personiosim: dropped connection", "endpoint", name)
			drop(w)
			return
		}
		rec := &statusRecorder{ResponseWriter: w, decided: func(status int) { s.count(name, status) }}
		answer(rec, r)
		rec.decide(http.StatusOK) // when nothing was written
		s.logger.Debug("personiosim: request", "endpoint", name, "path", r.URL.Path, "query", loggableQuery(r.URL.Query()), "status", rec.status)
	})
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
		r.decided(code)
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

// writeError writes Personio's v1 error body.
func writeError(w http.ResponseWriter, status int, message string) {
	b := fmt.Appendf(nil, `{"success":false,"error":{"code":%d,"message":`, status)
	writeJSON(w, status, append(appendString(b, message), "}}"...))
}

// writeServerError answers like Personio's stack does under trouble: the
// application's JSON error for 500 and 503, a proxy's HTML page for 502 and
// 504.
func writeServerError(w http.ResponseWriter, status int) {
	switch status {
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		title := strconv.Itoa(status) + " " + http.StatusText(status)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<html><head><title>%s</title></head><body><center><h1>%s</h1></center></body></html>\n", title, title)
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
		out = strings.TrimPrefix(out+" (+"+strconv.Itoa(n)+" not logged)", " ")
	}
	return out
}
