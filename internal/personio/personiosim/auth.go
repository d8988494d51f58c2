package personiosim

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"maps"
	"mime"
	"net/http"
	"strings"
	"time"
)

// tokenTTL is how long a token stays valid, as Personio documents.
const tokenTTL = 24 * time.Hour

// handleAuth serves POST /v1/auth. Credentials come in a JSON (or form)
// body; credentials in the query string are refused, as Personio announced
// for 2026-12-04.
func (s *Server) handleAuth(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Has("client_id") || q.Has("client_secret") {
		writeError(w, http.StatusBadRequest, "Credentials in the query string are no longer accepted: send client_id and client_secret in a JSON body")
		return
	}
	var creds struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			writeError(w, http.StatusBadRequest, "The request body could not be read")
			return
		}
		creds.ClientID, creds.ClientSecret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	default:
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&creds); err != nil {
			writeError(w, http.StatusBadRequest, "The request body must be JSON with client_id and client_secret")
			return
		}
	}
	if creds.ClientID == "" || creds.ClientSecret == "" {
		writeError(w, http.StatusBadRequest, "client_id and client_secret are required")
		return
	}
	idOK := subtle.ConstantTimeCompare([]byte(creds.ClientID), []byte(s.clientID)) == 1
	secretOK := subtle.ConstantTimeCompare([]byte(creds.ClientSecret), []byte(s.clientSecret)) == 1
	if !idOK || !secretOK {
		writeError(w, http.StatusUnauthorized, "Wrong credentials")
		return
	}
	b := appendString([]byte(`{"success":true,"data":{"token":`), s.issueToken())
	writeJSON(w, http.StatusOK, append(b, `,"expires_in":86400,"scope":"employees:read"}}`...))
}

// issueToken makes and registers a new token. Tokens are derived from the
// credentials and a counter: unique, deterministic, and not the secret.
func (s *Server) issueToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenSeq++
	sum := sha256.Sum256(binary.BigEndian.AppendUint64([]byte(s.tenant+"\x00"+s.clientID+"\x00"+s.clientSecret+"\x00"), s.tokenSeq))
	tok := "papi-" + hex.EncodeToString(sum[:24])
	now := s.now()
	s.tokens[tok] = now.Add(tokenTTL)
	if len(s.tokens) > 4096 {
		maps.DeleteFunc(s.tokens, func(_ string, exp time.Time) bool { return now.After(exp) })
	}
	return tok
}

// authorized wraps h with the Bearer token check: it answers 401 when the
// token is missing or invalid. With RotateTokens it sends a fresh token in
// the Authorization response header. With readScope it then answers 403
// when Faults.Forbidden takes the employees:read scope away. Otherwise h
// answers under the faults f read with the token.
func (s *Server) authorized(readScope bool, h func(w http.ResponseWriter, r *http.Request, f Faults)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		if auth == "" {
			writeError(w, http.StatusUnauthorized, "Authorization is not provided")
			return
		}
		tok, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok {
			writeError(w, http.StatusUnauthorized, "Authorization must be a Bearer token")
			return
		}
		s.mu.Lock()
		valid := s.now().Before(s.tokens[strings.TrimSpace(tok)]) // an unknown token expires at the zero time
		f := s.faults
		s.mu.Unlock()
		if !valid {
			writeError(w, http.StatusUnauthorized, "The provided token is invalid or expired")
			return
		}
		if f.RotateTokens {
			w.Header().Set("Authorization", "Bearer "+s.issueToken())
		}
		if readScope && f.Forbidden {
			writeError(w, http.StatusForbidden, "Forbidden: the API credentials lack the scope employees:read")
			return
		}
		h(w, r, f)
	}
}
