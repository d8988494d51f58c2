package personiosim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// testSim is a simulator behind a real HTTP server.
type testSim struct {
	*Server
	URL    string
	client *http.Client
	t      *testing.T
}

func startSim(t *testing.T, opts Options) *testSim {
	t.Helper()
	s := New(opts)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &testSim{Server: s, URL: ts.URL, client: ts.Client(), t: t}
}

// do sends a request and returns status, headers and body.
func (ts *testSim) do(method, path, token, contentType, body string) (int, http.Header, []byte) {
	ts.t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	if err != nil {
		ts.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := ts.client.Do(req)
	if err != nil {
		ts.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		ts.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return resp.StatusCode, resp.Header, b
}

func (ts *testSim) token() string {
	ts.t.Helper()
	status, _, b := ts.do("POST", "/v1/auth", "", "application/json",
		`{"client_id":"`+DefaultClientID+`","client_secret":"`+DefaultClientSecret+`"}`)
	if status != http.StatusOK {
		ts.t.Fatalf("auth: status %d: %s", status, b)
	}
	var a authAnswer
	if err := json.Unmarshal(b, &a); err != nil {
		ts.t.Fatalf("auth: %v: %s", err, b)
	}
	return a.Data.Token
}

type authAnswer struct {
	Success bool `json:"success"`
	Data    struct {
		Token     string `json:"token"`
		ExpiresIn int    `json:"expires_in"`
	} `json:"data"`
}

// page is the decoded employees envelope.
type page struct {
	Success  bool `json:"success"`
	Metadata struct {
		TotalElements int `json:"total_elements"`
		CurrentPage   int `json:"current_page"`
		TotalPages    int `json:"total_pages"`
	} `json:"metadata"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
	Data   []struct {
		Type       string                     `json:"type"`
		Attributes map[string]json.RawMessage `json:"attributes"`
	} `json:"data"`
}

type attr struct {
	Label       string          `json:"label"`
	Value       json.RawMessage `json:"value"`
	Type        string          `json:"type"`
	UniversalID *string         `json:"universal_id"`
}

func (p page) ids(t *testing.T) []int64 {
	t.Helper()
	var ids []int64
	for _, d := range p.Data {
		var a attr
		if err := json.Unmarshal(d.Attributes["id"], &a); err != nil {
			t.Fatalf("id attribute: %v", err)
		}
		var id int64
		if err := json.Unmarshal(a.Value, &id); err != nil {
			t.Fatalf("id value %s: %v", a.Value, err)
		}
		ids = append(ids, id)
	}
	return ids
}

func (ts *testSim) page(token string, query url.Values) (int, page, []byte) {
	ts.t.Helper()
	status, _, b := ts.do("GET", "/v1/company/employees?"+query.Encode(), token, "", "")
	var p page
	if status == http.StatusOK {
		if err := json.Unmarshal(b, &p); err != nil {
			ts.t.Fatalf("page %v: %v", query, err)
		}
	}
	return status, p, b
}

type v1Error struct {
	Success bool `json:"success"`
	Error   struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func decodeV1Error(t *testing.T, b []byte) v1Error {
	t.Helper()
	var e v1Error
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("error body %q: %v", b, err)
	}
	if e.Success || e.Error.Message == "" {
		t.Fatalf("error body %s: want success false and a message", b)
	}
	return e
}
