package personio_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridwork/gridsync/internal/personio"
	"github.com/gridwork/gridsync/internal/personio/personiosim"
)

// TestFeedMovedWithinItsHost: a feed that redirects to another path on its
// own host is followed, and the jobs read from where it moved.
func TestFeedMovedWithinItsHost(t *testing.T) {
	env := startSim(t, personiosim.Options{Dataset: dataset(50), Faults: personiosim.Faults{FeedRedirect: personiosim.MovedFeedPath}})
	c := env.client(t, nil)
	src, err := c.Source(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Jobs) != len(env.sim.Jobs()) || src.JobsUnavailable != "" {
		t.Errorf("%d jobs (unavailable: %q), want the simulator's %d", len(src.Jobs), src.JobsUnavailable, len(env.sim.Jobs()))
	}
	st := env.sim.Stats()
	if st[personiosim.EndpointFeed][301] != 1 || st[personiosim.EndpointMovedFeed][200] != 1 {
		t.Errorf("feed requests %v, moved feed %v; want one 301, then one 200", st[personiosim.EndpointFeed], st[personiosim.EndpointMovedFeed])
	}
	if n := c.Requests().Feed; n != 2 {
		t.Errorf("Requests().Feed = %d, want 2 (the redirect and the feed)", n)
	}
}

// TestFeedRedirectToAnotherHostIsNotFollowed: a redirect off the feed's
// hosts is never followed, even to a host that serves a good feed. It keeps
// its meaning: an unknown tenant when the URL came from the tenant, a
// jobs_url problem when jobs_url was set.
func TestFeedRedirectToAnotherHostIsNotFollowed(t *testing.T) {
	elsewhere := startSim(t, personiosim.Options{Dataset: dataset(10)})
	// Same server, other host name: only the host differs.
	foreign := strings.Replace(elsewhere.url, "127.0.0.1", "localhost", 1) + "/xml"
	env := startSim(t, personiosim.Options{Dataset: dataset(10), Faults: personiosim.Faults{FeedRedirect: foreign}})
	for _, tt := range []struct {
		name string
		mod  func(*personio.Options)
		want string
	}{
		{"derived from the tenant", nil, "tenant subdomain not found: acme (URL answered 301); check personio.tenant"},
		{"jobs_url", func(o *personio.Options) { o.JobsURLSet = true }, "no Personio job feed at URL (it answered 301); check personio.jobs_url"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := env.client(t, tt.mod).Jobs(context.Background())
			var te *personio.TenantNotFoundError
			if !errors.As(err, &te) || err.Error() != strings.ReplaceAll(tt.want, "URL", env.url) {
				t.Errorf("err = %v\nwant  %s", err, strings.ReplaceAll(tt.want, "URL", env.url))
			}
		})
	}
	if n := elsewhere.sim.Stats().Total(personiosim.EndpointFeed); n != 0 {
		t.Errorf("the other host was asked for its feed %d times, want never", n)
	}
}

// TestFeedUnavailable: a feed that answers 404, or cannot be read after
// the retries, makes the jobs unavailable: Jobs says so with the URL and
// the status, and Source still returns the employees.
func TestFeedUnavailable(t *testing.T) {
	tests := []struct {
		name   string
		faults personiosim.Faults
		// handler, when set, answers the feed instead of the simulator.
		handler    http.HandlerFunc
		status     int
		want       string
		wantCalled int32 // feed requests through handler; 0: not checked
	}{
		{name: "career page switched off", faults: personiosim.Faults{FeedMissing: true}, status: 404,
			want: "the job feed is unavailable: URL/xml?language=en answered 404 Not Found; the career page may be switched off in Personio"},
		{name: "moved, then missing", faults: personiosim.Faults{FeedRedirect: personiosim.MovedFeedPath, FeedMissing: true}, status: 404,
			want: "the job feed is unavailable: URL/xml?language=en answered 404 Not Found (redirected to URL/moved/xml?language=en); the career page may be switched off in Personio"},
		{name: "redirects in a loop", faults: personiosim.Faults{FeedRedirect: "/xml"}, status: 301,
			want: "the job feed is unavailable: URL/xml?language=en answered 301 Moved Permanently (redirecting more than 5 times, last to URL/xml?language=en)"},
		{name: "5xx storm", status: 503, wantCalled: 3, handler: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusServiceUnavailable)
		}, want: "the job feed is unavailable: URL/xml?language=en kept answering 503 Service Unavailable (3 attempts over "},
		{name: "no answer", status: 0, wantCalled: 3, handler: func(w http.ResponseWriter, r *http.Request) {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		}, want: "the job feed is unavailable: URL/xml?language=en could not be reached (3 attempts over "},
		{name: "a redirect to a 429", status: 429, wantCalled: 1 + 3, handler: func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/xml" {
				http.Redirect(w, r, "/busy", http.StatusFound)
				return
			}
			w.WriteHeader(http.StatusTooManyRequests)
		}, want: "the job feed is unavailable: URL/xml?language=en kept answering 429 Too Many Requests (3 attempts over "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := startSim(t, personiosim.Options{Dataset: dataset(120), Faults: tt.faults})
			jobsURL := env.url
			var called atomic.Int32
			if tt.handler != nil {
				feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					called.Add(1)
					tt.handler(w, r)
				}))
				t.Cleanup(feed.Close)
				jobsURL = feed.URL
			}
			c := env.client(t, func(o *personio.Options) { o.JobsURL, o.MaxAttempts = jobsURL, 3 })
			want := strings.ReplaceAll(tt.want, "URL", jobsURL)

			_, err := c.Jobs(context.Background())
			var fu *personio.FeedUnavailableError
			if !errors.As(err, &fu) || fu.Status != tt.status || fu.URL != jobsURL+"/xml?language=en" {
				t.Fatalf("err = %v, want a *FeedUnavailableError with status %d", err, tt.status)
			}
			if !strings.HasPrefix(err.Error(), want) {
				t.Errorf("err = %q\nwant prefix %q", err, want)
			}
			if tt.wantCalled != 0 && called.Load() != tt.wantCalled {
				t.Errorf("%d feed requests, want %d", called.Load(), tt.wantCalled)
			}

			src, err := c.Source(context.Background())
			if err != nil {
				t.Fatalf("Source failed for an unavailable feed: %v", err)
			}
			if len(src.Employees) != len(env.sim.Employees()) || len(src.Offices) == 0 || len(src.Jobs) != 0 {
				t.Errorf("Source: %d employees, %d offices, %d jobs; want the simulator's %d employees, their offices and no jobs",
					len(src.Employees), len(src.Offices), len(src.Jobs), len(env.sim.Employees()))
			}
			// The reasons of two reads differ at most in how long the
			// attempts took.
			gotReason, _, _ := strings.Cut(src.JobsUnavailable, " (")
			wantReason, _, _ := strings.Cut(fu.Reason(), " (")
			if gotReason == "" || gotReason != wantReason {
				t.Errorf("Source().JobsUnavailable = %q, want %q", src.JobsUnavailable, fu.Reason())
			}
		})
	}
}

// TestFeedErrorsThatStillFail: an unknown tenant, a feed that is not XML
// and an empty feed fail the whole read, each naming what to check.
func TestFeedErrorsThatStillFail(t *testing.T) {
	tests := []struct {
		name    string
		faults  personiosim.Faults
		handler http.HandlerFunc
		mod     func(*personio.Options)
		want    string
	}{
		{name: "unknown tenant", faults: personiosim.Faults{UnknownTenant: true}, want: "tenant subdomain not found: acme"},
		{name: "malformed XML", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("<workzag-jobs><position><id>1</id>"))
		}, want: "the feed is not well-formed XML"},
		{name: "empty body at jobs_url", mod: func(o *personio.Options) { o.JobsURLSet = true }, handler: func(w http.ResponseWriter, r *http.Request) {},
			want: "the job feed URL/xml?language=en answered with an empty body, not a Personio job feed; check personio.jobs_url"},
		{name: "empty body from the tenant", handler: func(w http.ResponseWriter, r *http.Request) {},
			want: "the job feed URL/xml?language=en answered with an empty body, not a Personio job feed; check personio.jobs_url (or personio.tenant)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := startSim(t, personiosim.Options{Dataset: dataset(120), Faults: tt.faults})
			jobsURL := env.url
			if tt.handler != nil {
				feed := httptest.NewServer(tt.handler)
				t.Cleanup(feed.Close)
				jobsURL = feed.URL
			}
			c := env.client(t, func(o *personio.Options) {
				o.JobsURL = jobsURL
				if tt.mod != nil {
					tt.mod(o)
				}
			})
			_, err := c.Source(context.Background())
			var fu *personio.FeedUnavailableError
			if err == nil || errors.As(err, &fu) {
				t.Fatalf("err = %v, want a failure that is not 'unavailable'", err)
			}
			if want := strings.ReplaceAll(tt.want, "URL", jobsURL); !strings.Contains(err.Error(), want) {
				t.Errorf("err = %q\nwant it to contain %q", err, want)
			}
		})
	}
}

// TestFeedRedirectHosts: which redirects of the feed are followed.
func TestFeedRedirectHosts(t *testing.T) {
	tests := []struct {
		name    string
		opts    personio.Options
		from    string
		to      string
		follows bool
	}{
		{"tenant .de to .com", personio.Options{Tenant: "acme"}, "https://acme.jobs.personio.de/xml", "https://acme.jobs.personio.com/xml", true},
		{"tenant .com to .de, other case", personio.Options{Tenant: "acme"}, "https://acme.jobs.personio.com/xml", "https://ACME.jobs.personio.de:443/xml", true},
		{"another tenant", personio.Options{Tenant: "acme"}, "https://acme.jobs.personio.de/xml", "https://evil.jobs.personio.de/xml", false},
		{"Personio's website", personio.Options{Tenant: "acme"}, "https://acme.jobs.personio.de/xml", "https://www.personio.de/", false},
		{"https to http", personio.Options{Tenant: "acme"}, "https://acme.jobs.personio.de/xml", "http://acme.jobs.personio.com/xml", false},
		{"jobs_url's own host", personio.Options{JobsURL: "https://careers.example.com"}, "https://careers.example.com/xml", "https://careers.example.com/new/xml", true},
		{"jobs_url elsewhere", personio.Options{JobsURL: "https://careers.example.com"}, "https://careers.example.com/xml", "https://example.org/xml", false},
		{"jobs_url on a Personio host: the tenant's other host", personio.Options{JobsURL: "https://acme.jobs.personio.de"}, "https://acme.jobs.personio.de/xml", "https://acme.jobs.personio.com/xml", true},
		{"jobs_url and tenant", personio.Options{JobsURL: "https://careers.example.com", Tenant: "acme"}, "https://careers.example.com/xml", "https://acme.jobs.personio.com/xml", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Credentials = personio.Credentials{ClientID: "x", ClientSecret: "y"}
			c, err := personio.New(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := personio.FollowsFeedRedirect(c, tt.from, tt.to); got != tt.follows {
				t.Errorf("follows %s → %s: %v, want %v", tt.from, tt.to, got, tt.follows)
			}
		})
	}
}

// TestRequestsCounted: Requests counts every request the client sent, by
// class, retries included, as the server saw them.
func TestRequestsCounted(t *testing.T) {
	env := startSim(t, personiosim.Options{Dataset: dataset(1234), Faults: personiosim.Faults{ErrorRate: 0.3}, Seed: 5})
	c := env.client(t, nil)
	if _, err := c.Source(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Attributes(context.Background()); err != nil {
		t.Fatal(err)
	}
	st := env.sim.Stats()
	want := personio.RequestCounts{
		Auth:      st.Total(personiosim.EndpointAuth),
		Employees: st.Total(personiosim.EndpointEmployees),
		Feed:      st.Total(personiosim.EndpointFeed),
		Other:     st.Total(personiosim.EndpointAttributes),
	}
	if got := c.Requests(); got != want || got.Total() != want.Auth+want.Employees+want.Feed+want.Other {
		t.Errorf("Requests() = %+v, the simulator saw %+v", got, want)
	}
	if want.Employees <= 13 {
		t.Errorf("%d employees requests: the 5xx were not retried, so the test proves nothing", want.Employees)
	}
}

// TestFeedUnavailableReason: the reason a plan shows starts with the feed
// URL and says what came back.
func TestFeedUnavailableReason(t *testing.T) {
	const u = "https://acme.jobs.personio.de/xml?language=en"
	tests := []struct {
		err  *personio.FeedUnavailableError
		want string
	}{
		{&personio.FeedUnavailableError{URL: u, Status: 404}, u + " answered 404 Not Found; the career page may be switched off in Personio"},
		{&personio.FeedUnavailableError{URL: u, Status: 502, Err: &personio.RetryError{StatusCode: 502, Attempts: 6, Elapsed: 31400 * time.Millisecond}},
			u + " kept answering 502 Bad Gateway (6 attempts over 31s)"},
		{&personio.FeedUnavailableError{URL: u, Status: 429, Err: &personio.RetryError{StatusCode: 429, Attempts: 1, RetryAfter: time.Hour}},
			u + " answered 429 Too Many Requests and asks to wait 1h0m0s"},
		{&personio.FeedUnavailableError{URL: u, Err: &personio.RetryError{Attempts: 6, Elapsed: 2 * time.Second, Err: io.ErrUnexpectedEOF, Setting: "personio.tenant"}},
			u + " could not be reached (6 attempts over 2s): unexpected EOF; check the network and personio.tenant, then try again"},
	}
	for _, tt := range tests {
		if got := tt.err.Reason(); got != tt.want {
			t.Errorf("Reason() = %q\nwant       %q", got, tt.want)
		}
		if got := tt.err.Error(); got != "the job feed is unavailable: "+tt.want {
			t.Errorf("Error() = %q", got)
		}
	}
}
