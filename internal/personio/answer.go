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

// vet classifies a 2xx answer of the API. It returns nil when the body
// looks like JSON (a decode failure is then a garbled answer); otherwise an
// *answerError, and final when asking again cannot help (an HTML page stays
// an HTML page; an empty or cut-short body may be a glitch). Whether the
// JSON stops in the middle is only worked out when decodeFailed.
func (c *Client) vet(r request, h http.Header, body []byte, decodeFailed bool) (ae *answerError, final bool) {
	newErr := func(what string) *answerError {
		return &answerError{method: r.method, path: r.path, apiURL: c.apiURL, what: what, times: 1}
	}
	trimmed := bytes.TrimSpace(body)
	ctype, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	switch {
	case len(trimmed) == 0:
		return newErr("an empty body"), false
	case trimmed[0] == '<' || ctype == "text/html" || ctype == "application/xhtml+xml":
		what := "an HTML page"
		if t := htmlTitle(trimmed); t != "" {
			what += " titled " + strconv.Quote(t)
		}
		return newErr(what), true
	case trimmed[0] != '{' && trimmed[0] != '[':
		what := "text"
		if ctype != "" {
			what += " (" + ctype + ")"
		}
		return newErr(what + " starting " + strconv.Quote(clip(string(trimmed)))), true
	case decodeFailed && stopsEarly(trimmed):
		ae = newErr(fmt.Sprintf("JSON that stops in the middle (after %d bytes)", len(body)))
		ae.truncated = true
		return ae, false
	}
	return nil, false
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
