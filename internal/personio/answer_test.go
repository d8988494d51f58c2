package personio

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestAPIAnswersThatAreNotJSON: an api_url that answers 200 with an HTML
// page, other text, an empty body or JSON cut short gets a message naming
// api_url, for /v1/auth and employee pages alike. An HTML page or text is
// not asked for again; an empty or cut-short body may be a glitch and is,
// once.
func TestAPIAnswersThatAreNotJSON(t *testing.T) {
	page := `<!DOCTYPE html><html><head><title>
		Sign in – Corporate Proxy</title></head><body>…</body></html>`
	tests := []struct {
		name      string
		ctype     string
		body      string
		wantCalls int32
		want      string
	}{
		{"HTML page", "text/html; charset=utf-8", page, 1, `was answered with an HTML page titled "Sign in – Corporate Proxy", not Personio's JSON; check personio.api_url (URL): it must be Personio's API (https://api.personio.de)`},
		{"HTML without a title, sent as JSON", "application/json", "<html><body>Welcome</body></html>", 1, `was answered with an HTML page, not Personio's JSON; check personio.api_url (URL)`},
		{"plain text", "text/plain", "OK", 1, `was answered with text (text/plain) starting "OK", not Personio's JSON; check personio.api_url (URL)`},
		{"empty body", "application/json", "", 2, `was answered with an empty body, not Personio's JSON, twice in a row; check personio.api_url (URL): it must be Personio's API`},
		{"JSON cut short", "application/json", `{"success":true,"data":{"tok`, 2, `was answered with JSON that stops in the middle (after 28 bytes), twice in a row; check personio.api_url (URL) and any proxy in between, which may cut answers short; if both are right, try again later`},
	}
	for _, tt := range tests {
		answer := func(calls *atomic.Int32) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				w.Header().Set("Content-Type", tt.ctype)
				w.Write([]byte(tt.body))
			}
		}
		t.Run("auth/"+tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(answer(&calls))
			defer srv.Close()
			err := testClient(t, srv.URL, nil).Authenticate(context.Background())
			want := "authenticating with Personio: POST /v1/auth " + strings.ReplaceAll(tt.want, "URL", srv.URL)
			if err == nil || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("err = %v\nwant  %s", err, want)
			}
			if calls.Load() != tt.wantCalls {
				t.Errorf("%d requests, want %d", calls.Load(), tt.wantCalls)
			}
		})
		t.Run("employees/"+tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(&fakeAPI{employees: answer(&calls)})
			defer srv.Close()
			_, err := testClient(t, srv.URL, nil).pageAt(context.Background(), 200)
			want := "employees page at offset 200: GET /v1/company/employees?limit=100&offset=200 " + strings.ReplaceAll(tt.want, "URL", srv.URL)
			var pe *PageError
			if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), want) {
				t.Errorf("err = %v\nwant  %s", err, want)
			}
			if strings.Contains(err.Error(), "not a problem with the configuration") {
				t.Errorf("err = %v, which says the configuration is fine", err)
			}
			if calls.Load() != tt.wantCalls {
				t.Errorf("%d requests, want %d", calls.Load(), tt.wantCalls)
			}
		})
	}
}

// TestAPIAnswerNotJSONWithoutDecode: requests that decode their answer
// themselves (the attribute list) get the same message for an HTML page.
func TestAPIAnswerNotJSONWithoutDecode(t *testing.T) {
	srv := httptest.NewServer(&fakeAPI{employees: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><head><title>Login</title></head></html>"))
	}})
	defer srv.Close()
	_, err := testClient(t, srv.URL, nil).Attributes(context.Background())
	want := `GET /v1/company/employees/attributes was answered with an HTML page titled "Login", not Personio's JSON; check personio.api_url (` + srv.URL + ")"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v\nwant it to contain %s", err, want)
	}
}

// TestAuthAnswerGarbled: JSON broken inside (not cut short) is asked for
// once more, then named as unexpected JSON with api_url to check.
func TestAuthAnswerGarbled(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Write([]byte("{\"success\":true,\"data\":{\"tok\x00<!-- upstream timeout -->"))
	}))
	defer srv.Close()
	err := testClient(t, srv.URL, nil).Authenticate(context.Background())
	if err == nil || !strings.HasPrefix(err.Error(), "authenticating with Personio: the answer is not the expected JSON: ") ||
		!strings.HasSuffix(err.Error(), "; check personio.api_url ("+srv.URL+")") {
		t.Errorf("err = %v", err)
	}
	if calls.Load() != 2 {
		t.Errorf("%d requests, want 2", calls.Load())
	}
}
