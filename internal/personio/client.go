package personio

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"
	"golang.org/x/time/rate"

	"github.com/gridwork/gridsync/internal/httpx"
)

// Defaults, from Personio's documented limits: employees are limited to
// 300 requests a minute with bursts of 15.
const (
	DefaultAPIURL       = "https://api.personio.de"
	DefaultJobsLanguage = "en"
	DefaultRateLimit    = rate.Limit(300.0 / 60.0)
	DefaultBurst        = 15
	DefaultMaxAttempts  = 6
	DefaultConcurrency  = 4

	// PageSize is Personio's maximum employees page size (since 2025-01-31).
	PageSize = 100
)

// Options configure a Client. Only Credentials and Tenant (or JobsURL) are
// required; everything else has a default tuned to the real Personio.
type Options struct {
	// APIURL is the API base, paths /v1/... below it (default
	// https://api.personio.de).
	APIURL string
	// JobsURL is the career site base; the feed is {JobsURL}/xml?language=…
	// (default https://{Tenant}.jobs.personio.de).
	JobsURL string
	// JobsURLSet says that JobsURL was configured explicitly (personio.jobs_url)
	// rather than derived from the tenant by the caller, so that messages
	// about the feed name jobs_url rather than tenant. When JobsURL is empty
	// the client derives it from Tenant itself and knows; when Tenant is
	// empty JobsURL must have been set.
	JobsURLSet   bool
	Tenant       string
	JobsLanguage string // default "en"
	Credentials  Credentials
	// HTTPClient supplies the transport every request goes through and,
	// in its Timeout, the bound on each attempt (default 2 minutes);
	// retries, pacing and redirects are the client's own. nil → a
	// transport with connect and header timeouts.
	HTTPClient *http.Client
	// RateLimit and Burst are the server's limit for API requests
	// (default: Personio's 300/min with bursts of 15). The client paces
	// itself a little under it, see pace.
	RateLimit rate.Limit
	Burst     int
	// MaxAttempts bounds the tries of one request (default 6).
	MaxAttempts int
	// MinBackoff and MaxBackoff bound the exponential backoff between
	// attempts (default 1s .. 30s, httpx.Policy's); MinBackoff is also the
	// pause after a 429 that names no Retry-After.
	MinBackoff, MaxBackoff time.Duration
	// Concurrency bounds concurrent employee page fetches (default 4).
	Concurrency int
	Logger      *slog.Logger
	// KeepAttributes are the attribute keys whose values Employee.Attributes
	// keeps as text (for Employee.Attr) beyond the typed fields, which are
	// always decoded. nil keeps every attribute; an empty list keeps none,
	// which saves most of the memory a large listing holds.
	KeepAttributes []string
	// RequiredAttributes are the attribute keys the caller syncs. Personio
	// leaves out attributes the credential may not read, which makes their
	// values unknown rather than empty: Employees fails with a
	// *HiddenAttributesError when the attributes endpoint does not list one
	// of them, or when employees come without one. nil checks nothing.
	RequiredAttributes []string
	// Progress is called after each employees page with the number of
	// distinct employees fetched so far and the total Personio announced.
	Progress func(done, total int)
}

// Client talks to one Personio tenant. It is safe for concurrent use.
//
// Every request goes through a short stack of http.RoundTripper layers:
//
//	API:   retry → auth → pacer → count → timeout → transport
//	token: retry → pacer → count → timeout → transport
//	feed:  retry → count → timeout → transport, redirects followed within the tenant's feed hosts
//
// retry (httpx.Retry) repeats transient failures with backoff; auth
// (authLayer) sends the token and re-authenticates on a 401; the pacer
// (httpx.Pacer) holds API requests to Personio's rate and slows down for
// everyone on a 429; count tallies what was sent (Requests); timeout
// (httpx.Timeout) bounds each exchange with the server, and only that: the
// time a request waits for the pacer is not part of it.
type Client struct {
	opts    Options    // with the defaults applied
	apiURL  string     // without trailing slash
	jobsURL string     // without trailing slash
	sel     *selection // what pages keep and watch beyond the typed fields
	// requests sent, by class (Requests)
	counts struct{ auth, employees, feed, other atomic.Int64 }

	apiHTTP, tokenHTTP, feedHTTP *http.Client
	pacer                        *httpx.Pacer
	// feedHosts are the hosts a feed redirect may lead to (see followFeed).
	feedHosts map[string]bool
	// tenantJobs: the client derived the jobs URL from the tenant itself.
	// Otherwise opts.JobsURLSet says whether it was configured explicitly
	// (see Options.JobsURLSet).
	tenantJobs bool

	mu     sync.Mutex
	token  string
	authMu sync.Mutex // serialises (re)authentication

	attrs     []AttributeInfo    // the attribute list, once read (in attrGroup)
	attrGroup singleflight.Group // one attribute list request at a time
}

// New validates opts, applies defaults and returns a Client. It does not
// talk to Personio.
func New(opts Options) (*Client, error) {
	if opts.Credentials.ClientID == "" || opts.Credentials.ClientSecret == "" {
		return nil, errors.New("personio: client_id and client_secret are both required")
	}
	opts.APIURL = cmp.Or(opts.APIURL, DefaultAPIURL)
	apiURL, err := baseURL("api_url", opts.APIURL)
	if err != nil {
		return nil, err
	}
	tenantJobs, tenantGiven := opts.JobsURL == "", opts.Tenant != ""
	if tenantJobs {
		if opts.Tenant == "" {
			return nil, errors.New("personio: a tenant (or a jobs URL) is required")
		}
		opts.JobsURL = "https://" + opts.Tenant + ".jobs.personio.de"
		opts.JobsURLSet = false
	} else if opts.Tenant == "" {
		opts.JobsURLSet = true
	}
	jobsURL, err := baseURL("jobs_url", opts.JobsURL)
	if err != nil {
		return nil, err
	}
	if opts.Tenant == "" {
		// Only used in messages; the feed host's first label is the best guess.
		u, _ := url.Parse(jobsURL)
		opts.Tenant, _, _ = strings.Cut(u.Hostname(), ".")
	}
	opts.JobsLanguage = cmp.Or(opts.JobsLanguage, DefaultJobsLanguage)
	opts.RateLimit = cmp.Or(opts.RateLimit, DefaultRateLimit)
	opts.Burst = cmp.Or(max(opts.Burst, 0), DefaultBurst)
	opts.MaxAttempts = cmp.Or(max(opts.MaxAttempts, 0), DefaultMaxAttempts)
	opts.Concurrency = cmp.Or(max(opts.Concurrency, 0), DefaultConcurrency)
	opts.Logger = cmp.Or(opts.Logger, slog.New(slog.DiscardHandler))
	c := &Client{
		opts:       opts,
		apiURL:     apiURL,
		jobsURL:    jobsURL,
		tenantJobs: tenantJobs,
		sel:        newSelection(opts.KeepAttributes, opts.RequiredAttributes),
		feedHosts:  feedHosts(jobsURL, opts.Tenant, tenantGiven),
	}

	// The HTTP stacks described on Client.
	base, attemptTimeout := defaultTransport(), 2*time.Minute
	if hc := opts.HTTPClient; hc != nil {
		base = cmp.Or(hc.Transport, base)
		attemptTimeout = cmp.Or(max(hc.Timeout, 0), attemptTimeout)
	}
	// Everything the client sends may be sent again (the policy's default
	// Repeatable): reads, and the token request, which only hands out a
	// token.
	policy := httpx.Policy{
		Name: "Personio", MaxAttempts: opts.MaxAttempts, MinBackoff: opts.MinBackoff,
		MaxBackoff: opts.MaxBackoff, MaxRetryAfter: maxRetryAfter, Logger: opts.Logger,
	}
	// Running at the server's exact rate and burst would turn every bit of
	// network jitter into a 429 (two requests sent a token apart can arrive
	// closer together), so the client keeps headroom: 95% of the rate, which
	// also stays under a fixed per-minute window, and half the burst, which
	// leaves the server's bucket a reserve of tokens to absorb requests that
	// arrive bunched up.
	limit := opts.RateLimit
	if limit != rate.Inf {
		limit *= 0.95
	}
	c.pacer = httpx.NewPacer(policy, limit, max(1, (opts.Burst+1)/2))
	base = httpx.Timeout(base, attemptTimeout)
	paced := c.pacer.Wrap(c.counted(base, false))
	// The API never redirects a request the client makes; one that does
	// is reported (it means api_url points elsewhere), not followed.
	c.apiHTTP = &http.Client{Transport: httpx.Retry(c.authLayer(paced), policy), CheckRedirect: noRedirects}
	c.tokenHTTP = &http.Client{Transport: httpx.Retry(paced, policy), CheckRedirect: noRedirects}
	c.feedHTTP = &http.Client{Transport: httpx.Retry(c.counted(base, true), policy), CheckRedirect: c.followFeed}
	return c, nil
}

// String names the client by what is safe to show: tenant and URLs. The
// credentials and the token are unexported fields, and fmt's %v, %+v and
// %#v would print them without calling Credentials' redacting methods.
func (c *Client) String() string {
	if c == nil {
		return "personio.Client(nil)"
	}
	return fmt.Sprintf("personio.Client{Tenant: %q, APIURL: %q, JobsURL: %q}", c.opts.Tenant, c.apiURL, c.jobsURL)
}

// GoString is String, so that %#v does not dump the fields either.
func (c *Client) GoString() string { return c.String() }

// LogValue implements slog.LogValuer with the same fields as String.
func (c *Client) LogValue() slog.Value {
	if c == nil {
		return slog.StringValue("personio.Client(nil)")
	}
	return slog.GroupValue(slog.String("tenant", c.opts.Tenant), slog.String("api_url", c.apiURL), slog.String("jobs_url", c.jobsURL))
}

// Pace returns the rate the client holds itself to for API requests now,
// in requests a minute (+Inf when unpaced), and its burst. After 429s it is
// below the configured pace, which it wins back as answers come through.
func (c *Client) Pace() (perMinute float64, burst int) {
	limit, burst := c.pacer.Limit()
	return float64(limit) * 60, burst
}

// JobsURL returns the career site base URL (no trailing slash).
func (c *Client) JobsURL() string { return c.jobsURL }

func baseURL(name, raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("personio: %s %q is not an http(s) URL", name, raw)
	}
	return strings.TrimRight(raw, "/"), nil
}

// noRedirects hands 3xx answers back instead of following them.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func defaultTransport() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = 60 * time.Second
	t.MaxIdleConnsPerHost = 16
	return t
}
