package personio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func TestAuthErrors(t *testing.T) {
	for _, status := range []int{http.StatusUnauthorized, http.StatusForbidden} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			api := &fakeAPI{authFail: status}
			srv := httptest.NewServer(api)
			defer srv.Close()
			err := testClient(t, srv.URL, nil).Authenticate(context.Background())
			var ae *AuthError
			if !errors.As(err, &ae) || ae.StatusCode != status {
				t.Fatalf("err = %v, want *AuthError %d", err, status)
			}
			want := fmt.Sprintf(`Personio rejected the credentials (%d, Personio says "Wrong credentials"): check client_id / client_secret`, status)
			if err.Error() != want {
				t.Errorf("err = %q\nwant  %q", err, want)
			}
			if strings.Contains(fmt.Sprintf("%v %+v %#v", err, err, err), testSecret) {
				t.Error("the error reveals the client secret")
			}
		})
	}
}

func TestAuthenticatesOnce(t *testing.T) {
	api := &fakeAPI{employees: func(w http.ResponseWriter, r *http.Request) { onePage(w) }}
	srv := httptest.NewServer(api)
	defer srv.Close()
	c := testClient(t, srv.URL, nil)
	for range 3 {
		if err := c.Authenticate(context.Background()); err != nil {
			t.Fatal(err)
		}
		if _, err := c.pageAt(context.Background(), 0); err != nil {
			t.Fatal(err)
		}
	}
	if n := api.authCalls.Load(); n != 1 {
		t.Errorf("authenticated %d times, want once", n)
	}
}

func TestRefusedTokenReauthenticatesOnce(t *testing.T) {
	api := &fakeAPI{employees: func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"success":false,"error":{"code":0,"message":"The token has expired"}}`))
	}}
	srv := httptest.NewServer(api)
	defer srv.Close()
	_, err := testClient(t, srv.URL, nil).pageAt(context.Background(), 0)
	var ae *AuthError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want *AuthError", err)
	}
	if n := api.authCalls.Load(); n != 2 {
		t.Errorf("authenticated %d times, want 2 (the first token, one fresh one)", n)
	}
}

func TestRotatedTokenIsUsed(t *testing.T) {
	var (
		mu   sync.Mutex
		seen []string
	)
	api := &fakeAPI{employees: func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		n := len(seen)
		mu.Unlock()
		if n == 1 {
			w.Header().Set("Authorization", "Bearer rotated-2")
		}
		onePage(w)
	}}
	srv := httptest.NewServer(api)
	defer srv.Close()
	c := testClient(t, srv.URL, nil)
	for range 2 {
		if _, err := c.pageAt(context.Background(), 0); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Join(seen, ",") != "Bearer tok-1,Bearer rotated-2" {
		t.Errorf("tokens sent: %q", seen)
	}
}

func TestForbidden(t *testing.T) {
	api := &fakeAPI{employees: func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`{"success":false,"error":{"code":403,"message":"Forbidden: the attribute dynamic_7 is not whitelisted for these API credentials"}}`))
	}}
	srv := httptest.NewServer(api)
	defer srv.Close()
	_, err := testClient(t, srv.URL, nil).pageAt(context.Background(), 100)
	var fe *ForbiddenError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want *ForbiddenError", err)
	}
	want := "employees page at offset 100: Personio refused /v1/company/employees (403): Forbidden: the attribute dynamic_7 is not whitelisted for these API credentials; allow it for the API credential in Personio"
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %q\nwant prefix %q", err, want)
	}
}

// TestUnknownTenant: Personio sends a feed host that belongs to no tenant
// to its website. That redirect leaves the tenant's feed hosts, so it is
// reported, not followed.
func TestUnknownTenant(t *testing.T) {
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "https://www.personio.de/en/", status)
			}))
			defer srv.Close()
			_, err := testClient(t, srv.URL, nil).Jobs(context.Background())
			var te *TenantNotFoundError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v, want *TenantNotFoundError", err)
			}
			want := fmt.Sprintf("tenant subdomain not found: acme (%s answered %d); check personio.tenant", srv.URL, status)
			if err.Error() != want {
				t.Errorf("err = %q\nwant  %q", err, want)
			}
		})
	}
}

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name   string
		opts   Options
		errHas string
	}{
		{"no secret", Options{Tenant: "acme", Credentials: Credentials{ClientID: "x"}}, "client_id and client_secret"},
		{"no tenant", Options{Credentials: Credentials{ClientID: "x", ClientSecret: testSecret}}, "tenant"},
		{"bad api url", Options{Tenant: "acme", APIURL: "api.personio.de", Credentials: Credentials{ClientID: "x", ClientSecret: testSecret}}, "not an http(s) URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.errHas)
			}
			if strings.Contains(err.Error(), testSecret) {
				t.Error("the error reveals the client secret")
			}
		})
	}
	c, err := New(Options{Tenant: "acme", Credentials: Credentials{ClientID: "x", ClientSecret: testSecret}})
	if err != nil {
		t.Fatal(err)
	}
	if c.JobsURL() != "https://acme.jobs.personio.de" || c.apiURL != DefaultAPIURL {
		t.Errorf("defaults: jobs %q api %q", c.JobsURL(), c.apiURL)
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	err := testClient(t, url, nil).Authenticate(context.Background())
	want := "authenticating with Personio: cannot reach " + url + " (POST /v1/auth): "
	if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), "; check personio.api_url and the network") {
		t.Fatalf("err = %v\nwant %q… check personio.api_url", err, want)
	}
}

func TestClientFormattingHidesSecrets(t *testing.T) {
	api := &fakeAPI{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	c := testClient(t, srv.URL, nil)
	if err := c.Authenticate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if c.currentToken() != "tok-1" {
		t.Fatalf("token %q, want tok-1", c.currentToken())
	}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("client", "c", c)
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("client", "c", c)
	out := fmt.Sprintf("%v|%+v|%#v|", c, c, c) + fmt.Sprint(c) + fmt.Sprintln(c) + logged.String()
	for _, secret := range []string{testSecret, "tok-1"} {
		if strings.Contains(out, secret) {
			t.Errorf("formatting the client reveals %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(fmt.Sprintf("%v", c), `Tenant: "acme"`) || !strings.Contains(fmt.Sprintf("%#v", c), srv.URL) {
		t.Errorf("formatting the client lost its identity: %v", c)
	}
}

// TestWrongAPIURL: a 404 or a redirect from the API means api_url points
// somewhere that is not Personio's API, and the error says so.
func TestWrongAPIURL(t *testing.T) {
	t.Run("404 on auth", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		defer srv.Close()
		err := testClient(t, srv.URL, nil).Authenticate(context.Background())
		want := "authenticating with Personio: Personio answered 404 to POST /v1/auth; check personio.api_url (" + srv.URL + ")"
		if err == nil || err.Error() != want {
			t.Errorf("err = %v\nwant  %s", err, want)
		}
	})
	t.Run("redirect on auth", func(t *testing.T) {
		srv := httptest.NewServer(http.RedirectHandler("https://www.personio.de/", http.StatusMovedPermanently))
		defer srv.Close()
		err := testClient(t, srv.URL, nil).Authenticate(context.Background())
		want := "authenticating with Personio: Personio answered 301 to POST /v1/auth (redirecting to https://www.personio.de/); check personio.api_url (" + srv.URL + ")"
		if err == nil || err.Error() != want {
			t.Errorf("err = %v\nwant  %s", err, want)
		}
	})
	t.Run("404 on employees", func(t *testing.T) {
		srv := httptest.NewServer(&fakeAPI{employees: http.NotFound})
		defer srv.Close()
		_, err := testClient(t, srv.URL, nil).pageAt(context.Background(), 0)
		var se *StatusError
		if !errors.As(err, &se) || !strings.HasSuffix(err.Error(), "; check personio.api_url ("+srv.URL+")") {
			t.Errorf("err = %v, want a *StatusError that names personio.api_url", err)
		}
	})
	t.Run("400 has no hint", func(t *testing.T) {
		srv := httptest.NewServer(&fakeAPI{employees: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadRequest) }})
		defer srv.Close()
		_, err := testClient(t, srv.URL, nil).pageAt(context.Background(), 0)
		if err == nil || strings.Contains(err.Error(), "api_url") {
			t.Errorf("err = %v, want no api_url hint on a 400", err)
		}
	})
}

// TestUnknownFeedAtExplicitJobsURL: when jobs_url was set explicitly the
// tenant plays no part in the feed URL, so the error names jobs_url.
func TestUnknownFeedAtExplicitJobsURL(t *testing.T) {
	srv := httptest.NewServer(http.RedirectHandler("https://www.personio.de/", http.StatusMovedPermanently))
	defer srv.Close()
	for name, mod := range map[string]func(*Options){
		"JobsURLSet": func(o *Options) { o.JobsURLSet = true },
		"no tenant":  func(o *Options) { o.Tenant = "" },
	} {
		t.Run(name, func(t *testing.T) {
			_, err := testClient(t, srv.URL, mod).Jobs(context.Background())
			var te *TenantNotFoundError
			if !errors.As(err, &te) || !te.JobsURLSet {
				t.Fatalf("err = %v, want *TenantNotFoundError with JobsURLSet", err)
			}
			want := "no Personio job feed at " + srv.URL + " (it answered 301); check personio.jobs_url"
			if err.Error() != want {
				t.Errorf("err = %q\nwant  %q", err, want)
			}
		})
	}
	// A URL the client derived from the tenant is the tenant's, whatever
	// the caller claims.
	c, err := New(Options{Tenant: "acme", JobsURLSet: true, Credentials: Credentials{ClientID: "x", ClientSecret: testSecret}})
	if err != nil {
		t.Fatal(err)
	}
	if c.opts.JobsURLSet || !c.tenantJobs || c.setting(request{}) != "personio.tenant" {
		t.Errorf("derived jobs URL: jobsURLSet %v, tenantJobs %v, setting %q", c.opts.JobsURLSet, c.tenantJobs, c.setting(request{}))
	}
}
