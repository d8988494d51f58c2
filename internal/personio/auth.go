package personio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gridwork/gridsync/internal/httpx"
)

// Authenticate obtains a v1 API token (POST /v1/auth with a JSON body). It
// talks to Personio once per Client: later calls return at once, because
// auth is rate limited (60/min) and a token lasts 24 hours.
func (c *Client) Authenticate(ctx context.Context) error { return c.authenticate(ctx, "") }

// authenticate fetches a token unless the client has one other than stale,
// the token Personio refused ("" for none): when another request already
// replaced it (a rotated token, or a concurrent re-auth) there is nothing
// to do.
func (c *Client) authenticate(ctx context.Context, stale string) error {
	c.authMu.Lock()
	defer c.authMu.Unlock()
	if cur := c.currentToken(); cur != "" && cur != stale {
		return nil
	}
	if stale != "" {
		c.opts.Logger.Info("Personio refused the API token; authenticating again")
	}
	// A map of strings always marshals.
	body, _ := json.Marshal(map[string]string{
		"client_id":     c.opts.Credentials.ClientID,
		"client_secret": c.opts.Credentials.ClientSecret,
	})
	var ans struct {
		Success bool `json:"success"`
		Data    struct {
			Token string `json:"token"`
		} `json:"data"`
		Error *v1ErrorBody `json:"error"`
	}
	resp, err := c.do(ctx, request{
		method: http.MethodPost, path: "/v1/auth", body: body, api: true,
		decode: func(body []byte) error { return json.Unmarshal(body, &ans) },
	})
	var ge *httpx.CheckError
	switch {
	case errors.As(err, &ge):
		return fmt.Errorf("authenticating with Personio: the answer is not the expected JSON: %w; check personio.api_url (%s)", ge.Err, c.apiURL)
	case err != nil:
		return fmt.Errorf("authenticating with Personio: %w", err)
	}
	switch resp.status {
	case http.StatusOK, http.StatusCreated:
	case http.StatusUnauthorized, http.StatusForbidden:
		_, msg := v1Error(resp.body)
		return &AuthError{StatusCode: resp.status, Message: msg}
	default:
		return fmt.Errorf("authenticating with Personio: %w", c.statusError(http.MethodPost, "/v1/auth", resp))
	}
	if !ans.Success || ans.Data.Token == "" {
		if ans.Error != nil && ans.Error.Message != "" {
			return &AuthError{StatusCode: resp.status, Message: ans.Error.Message}
		}
		return errors.New("authenticating with Personio: the answer holds no token")
	}
	c.mu.Lock()
	c.token = ans.Data.Token
	c.mu.Unlock()
	return nil
}

func (c *Client) currentToken() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.token
}

// noteRotatedToken adopts a token Personio sent in the Authorization
// response header. Personio used to rotate the token on every answer and
// burn the old one; it no longer does, so this is accepted, never required.
func (c *Client) noteRotatedToken(h http.Header) {
	v := strings.TrimSpace(h.Get("Authorization"))
	if scheme, rest, ok := strings.Cut(v, " "); ok && strings.EqualFold(scheme, "Bearer") {
		v = strings.TrimSpace(rest)
	}
	c.mu.Lock()
	if v != "" && c.token != "" {
		c.token = v
	}
	c.mu.Unlock()
}

// authLayer is the layer that sends the API token: it sets the bearer
// token on each request, adopts a token Personio rotates in the
// Authorization response header, and on a 401 authenticates again and
// resends the request, once.
func (c *Client) authLayer(next http.RoundTripper) http.RoundTripper {
	send := func(req *http.Request, body io.ReadCloser, token string) (*http.Response, error) {
		r := req.Clone(req.Context())
		r.Body = body
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := next.RoundTrip(r)
		if err == nil {
			c.noteRotatedToken(resp.Header)
		}
		return resp, err
	}
	return httpx.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		token := c.currentToken()
		resp, err := send(req, req.Body, token)
		if err != nil || resp.StatusCode != http.StatusUnauthorized {
			return resp, err
		}
		// A token can be burnt by a rotation another request saw first, or
		// expire in a long run: get a fresh one, once.
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // so that the connection is reused
		resp.Body.Close()
		if err := c.authenticate(req.Context(), token); err != nil {
			return nil, httpx.Final(&authFailure{err})
		}
		body := req.Body
		if req.GetBody != nil {
			if body, err = req.GetBody(); err != nil {
				return nil, err
			}
		}
		return send(req, body, c.currentToken())
	})
}

// authFailure carries an error of re-authenticating through the HTTP stack
// to do, which returns it as is. It has no Unwrap, so that no layer takes
// a network error inside it for one of its own request's.
type authFailure struct{ err error }

func (e *authFailure) Error() string { return e.err.Error() }
