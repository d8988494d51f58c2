package personio

import (
	"bytes"
	"cmp"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// Jobs reads the tenant's public XML job feed ({JobsURL}/xml?language=…),
// sorted by id. The feed needs no credentials. Redirects are followed
// within the tenant's own feed hosts (see followFeed). An unknown tenant
// (Personio redirects it elsewhere) is a *TenantNotFoundError; a feed that
// answers 404 or cannot be read after retries is a *FeedUnavailableError.
func (c *Client) Jobs(ctx context.Context) ([]Job, error) {
	path := "/xml?language=" + url.QueryEscape(c.opts.JobsLanguage)
	feedURL := c.jobsURL + path
	resp, err := c.do(ctx, request{method: http.MethodGet, path: path})
	var re *RetryError
	var fr *feedRedirectsError
	switch {
	case errors.As(err, &re):
		return nil, &FeedUnavailableError{URL: feedURL, Status: re.StatusCode, Err: re}
	case errors.As(err, &fr):
		return nil, &FeedUnavailableError{URL: feedURL, Status: fr.status, Err: fr}
	case err != nil:
		return nil, fmt.Errorf("reading the job feed %s: %w", feedURL, err)
	}
	var via error
	if resp.url != feedURL {
		via = fmt.Errorf("redirected to %s", resp.url)
	}
	switch {
	case resp.status == http.StatusOK:
	case resp.status == http.StatusNotFound:
		// The career page is switched off (Personio answers an HTML page):
		// the jobs cannot be known, which is not the same as none.
		return nil, &FeedUnavailableError{URL: feedURL, Status: resp.status, Err: via}
	case resp.status >= 300 && resp.status < 400:
		// A redirect off the tenant's feed hosts: Personio sends unknown
		// tenants to its website.
		return nil, &TenantNotFoundError{Tenant: c.opts.Tenant, URL: c.jobsURL, StatusCode: resp.status, JobsURLSet: c.opts.JobsURLSet}
	default:
		return nil, fmt.Errorf("reading the job feed: %w", &StatusError{StatusCode: resp.status, Method: http.MethodGet, Path: feedURL})
	}
	if len(bytes.TrimSpace(resp.body)) == 0 {
		return nil, fmt.Errorf("the job feed %s answered with an empty body, not a Personio job feed; check %s", feedURL, c.setting(request{}))
	}
	jobs, err := decodeFeed(resp.body, c.jobsURL)
	if err != nil {
		return nil, fmt.Errorf("reading the job feed %s: %w", feedURL, err)
	}
	return jobs, nil
}

// maxFeedRedirects bounds the redirects followed for one feed request.
const maxFeedRedirects = 5

// followFeed is the feed client's redirect policy. Personio serves a feed
// from {tenant}.jobs.personio.de and .com and redirects between the two;
// a redirect within those hosts, or within the configured jobs_url's host,
// is followed (never from https to http), at most maxFeedRedirects times.
// A redirect anywhere else is handed back as the answer: Personio sends an
// unknown tenant to its website, which must be reported, not parsed.
func (c *Client) followFeed(req *http.Request, via []*http.Request) error {
	prev := via[len(via)-1].URL
	if !c.feedHosts[hostKey(req.URL)] || (prev.Scheme == "https" && req.URL.Scheme != "https") {
		return http.ErrUseLastResponse
	}
	if len(via) > maxFeedRedirects {
		// req.Response is the redirect that led to req: net/http always
		// sets it for CheckRedirect.
		return &feedRedirectsError{status: req.Response.StatusCode, last: req.URL.String()}
	}
	return nil
}

// feedRedirectsError is a feed that redirects more than maxFeedRedirects
// times within its own hosts.
type feedRedirectsError struct {
	status int
	last   string
}

func (e *feedRedirectsError) Error() string {
	return fmt.Sprintf("redirecting more than %d times, last to %s", maxFeedRedirects, e.last)
}

// feedHosts returns the hosts a feed redirect may lead to: jobsURL's, and
// the tenant's two feed hosts when the tenant is known (configured, or the
// first label of a Personio feed host).
func feedHosts(jobsURL, tenant string, tenantGiven bool) map[string]bool {
	u, _ := url.Parse(jobsURL)
	hosts := map[string]bool{hostKey(u): true}
	h := strings.ToLower(u.Hostname())
	if tenantGiven || strings.HasSuffix(h, ".jobs.personio.de") || strings.HasSuffix(h, ".jobs.personio.com") {
		t := strings.ToLower(tenant)
		hosts[t+".jobs.personio.de"] = true
		hosts[t+".jobs.personio.com"] = true
	}
	return hosts
}

// hostKey is u's host in lower case, without the scheme's default port.
func hostKey(u *url.URL) string {
	h, port := strings.ToLower(u.Hostname()), u.Port()
	if port == "" || (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") {
		return h
	}
	return h + ":" + port
}

// xmlPosition is a <position> of the feed.
type xmlPosition struct {
	Job
	ID        string `xml:"id"`
	CreatedAt string `xml:"createdAt"`
}

// decodeFeed parses a <workzag-jobs> document. jobsURL is the career site
// base the application URLs are built from.
func decodeFeed(body []byte, jobsURL string) ([]Job, error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.CharsetReader = charsetReader
	// Descriptions outside CDATA may use HTML entities such as &nbsp;.
	dec.Entity = xml.HTMLEntity
	var feed struct {
		XMLName   xml.Name      `xml:"workzag-jobs"`
		Positions []xmlPosition `xml:"position"`
	}
	if err := dec.Decode(&feed); err != nil {
		if errors.As(err, new(xml.UnmarshalError)) {
			return nil, fmt.Errorf("the answer is not a Personio job feed (%v)", err)
		}
		return nil, fmt.Errorf("the feed is not well-formed XML: %w", err)
	}
	// Decode stops after the root element; anything but whitespace (and
	// comments) after it means the document is damaged.
	for tok, err := dec.Token(); err != io.EOF; tok, err = dec.Token() {
		if err != nil {
			return nil, fmt.Errorf("the feed is not well-formed XML after </workzag-jobs>: %w", err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) == 0 {
				continue
			}
		case xml.Comment, xml.ProcInst:
			continue
		}
		return nil, errors.New("the feed has content after </workzag-jobs>")
	}

	jobs := make([]Job, 0, len(feed.Positions))
	for i, p := range feed.Positions {
		j, err := toJob(p, jobsURL)
		if err != nil {
			return nil, fmt.Errorf("position #%d (%s): %w", i+1, clip(strings.TrimSpace(p.Name)), err)
		}
		jobs = append(jobs, j)
	}
	// A position listed twice (several offices, a feed glitch) is one job:
	// the first listed, which the stable sort keeps first.
	slices.SortStableFunc(jobs, func(a, b Job) int { return cmp.Compare(a.ID, b.ID) })
	return slices.CompactFunc(jobs, func(a, b Job) bool { return a.ID == b.ID }), nil
}

func toJob(p xmlPosition, jobsURL string) (Job, error) {
	idText := strings.TrimSpace(p.ID)
	if idText == "" {
		return Job{}, errors.New("it has no id")
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return Job{}, fmt.Errorf("id %q is not a position id", clip(idText))
	}
	created, ok := parseFeedTime(p.CreatedAt)
	if !ok {
		return Job{}, fmt.Errorf("createdAt %q is not a timestamp", clip(p.CreatedAt))
	}
	j := p.Job
	j.ID, j.CreatedAt, j.ApplicationURL = id, created, jobsURL+"/job/"+strconv.FormatInt(id, 10)
	for _, s := range []*string{&j.Subcompany, &j.Office, &j.Department, &j.RecruitingCategory, &j.Name,
		&j.EmploymentType, &j.Seniority, &j.Schedule, &j.YearsOfExperience, &j.Keywords, &j.Occupation, &j.OccupationCategory} {
		*s = strings.TrimSpace(*s)
	}
	j.AdditionalOffices = nil
	for _, o := range p.AdditionalOffices {
		if o = strings.TrimSpace(o); o != "" {
			j.AdditionalOffices = append(j.AdditionalOffices, o)
		}
	}
	for i := range j.Descriptions {
		// The value is CDATA HTML; it is kept as HTML, only trimmed.
		d := &j.Descriptions[i]
		d.Name, d.Value = strings.TrimSpace(d.Name), strings.TrimSpace(d.Value)
	}
	return j, nil
}

// feedTimeLayouts are the createdAt spellings seen in Personio feeds: the
// documented 2016-05-31T12:14:07+0200, RFC 3339, and a zone-less form.
var feedTimeLayouts = []string{
	"2006-01-02T15:04:05-0700",
	time.RFC3339,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02",
}

// parseFeedTime parses a createdAt; ok is false when no layout fits. An
// empty one is the zero time.
func parseFeedTime(s string) (t time.Time, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	for _, layout := range feedTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// charsetReader accepts the encodings a Personio feed may declare. UTF-8 is
// what it sends; ISO-8859-1 maps byte for byte onto the first 256 runes.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return input, nil
	case "iso-8859-1", "latin1", "latin-1":
		return charmap.ISO8859_1.NewDecoder().Reader(input), nil
	}
	return nil, fmt.Errorf("the feed declares encoding %q, which gridsync cannot read", charset)
}
