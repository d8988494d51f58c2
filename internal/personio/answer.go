package personio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/gridwork/gridsync/internal/httpx"
)

// answerError is a 2xx answer of the API that is not Personio's JSON at
// all: an HTML page (a proxy's login page, a website), other text, an empty
// body, or JSON that stops in the middle. Such answers usually mean that
// api_url points at something other than Personio's API, so the message
// names it.
type answerError struct {
	method, path, apiURL string
	what                 string // "an HTML page titled "Sign in""
	times                int    // answers seen like this in a row
	truncated            bool
}

func (e *answerError) Error() string {
	s := fmt.Sprintf("%s %s was answered with %s", e.method, e.path, e.what)
	if !e.truncated {
		s += ", not Personio's JSON"
	}
	if e.times > 1 {
		s += ", twice in a row"
	}
	s += fmt.Sprintf("; check personio.api_url (%s)", e.apiURL)
	if e.truncated {
		return s + " and any proxy in between, which may cut answers short; if both are right, try again later"
	}
	return s + fmt.Sprintf(": it must be Personio's API (%s)", DefaultAPIURL)
}

// vet is the check of a 2xx answer of the API (httpx.CheckFunc), given
// what decoding it said (nil when it was not decoded). An answer that does
// not look like JSON is an *answerError: final (Personio is not asked
// again) for an HTML page or text, which stay what they are; not for an
// empty or cut-short body, which may be a glitch. A body that looks like
// JSON but did not decode is garbled: decodeErr is returned as is.
func (c *Client) vet(r request, h http.Header, body []byte, decodeErr error) error {
	newErr := func(what string) *answerError {
		return &answerError{method: r.method, path: r.path, apiURL: c.apiURL, what: what, times: 1}
	}
	trimmed := bytes.TrimSpace(body)
	ctype, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	switch {
	case len(trimmed) == 0:
		return newErr("an empty body")
	case trimmed[0] == '<' || ctype == "text/html" || ctype == "application/xhtml+xml":
		what := "an HTML page"
		if t := htmlTitle(trimmed); t != "" {
			what += " titled " + strconv.Quote(t)
		}
		return httpx.Final(newErr(what))
	case trimmed[0] != '{' && trimmed[0] != '[':
		what := "text"
		if ctype != "" {
			what += " (" + ctype + ")"
		}
		return httpx.Final(newErr(what + " starting " + strconv.Quote(clip(string(trimmed)))))
	case decodeErr != nil && stopsEarly(trimmed):
		ae := newErr(fmt.Sprintf("JSON that stops in the middle (after %d bytes)", len(body)))
		ae.truncated = true
		return ae
	}
	return decodeErr
}

// stopsEarly reports whether b is the start of a JSON value that ends too
// soon, as opposed to JSON broken inside or of another shape.
func stopsEarly(b []byte) bool {
	err := json.NewDecoder(bytes.NewReader(b)).Decode(new(json.RawMessage))
	return errors.Is(err, io.ErrUnexpectedEOF)
}

var titleRE = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// htmlTitle returns the page's <title>, with whitespace collapsed and
// clipped, or "".
func htmlTitle(page []byte) string {
	m := titleRE.FindSubmatch(page[:min(len(page), 64<<10)])
	if m == nil {
		return ""
	}
	return clip(strings.Join(strings.Fields(string(m[1])), " "))
}
