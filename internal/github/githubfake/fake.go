package githubfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Comment is an issue or pull-request comment.
type Comment struct {
	ID      int64  `json:"id"`
	Body    string `json:"body"`
	HTMLURL string `json:"html_url"`
	User    struct {
		Login string `json:"login"`
	} `json:"user"`
}

// Status is a commit status as set through the API.
type Status struct {
	SHA         string
	State       string `json:"state"`
	Context     string `json:"context"`
	Description string `json:"description"`
	TargetURL   string `json:"target_url"`
}

// PullRequest is what "list pull requests associated with a commit" returns.
type PullRequest struct {
	Number         int     `json:"number"`
	State          string  `json:"state"`
	MergeCommitSHA string  `json:"merge_commit_sha,omitempty"`
	MergedAt       *string `json:"merged_at,omitempty"`
}

// Request is one recorded request.
type Request struct {
	Method string
	Path   string
	Query  url.Values
	Auth   string // the Authorization header
	Body   string
}

// Server is the fake. Set its fields before serving; read them after.
type Server struct {
	// Repo is the only repository that exists ("owner/name"); others 404.
	Repo string
	// Token, when set, must be presented as "Bearer <Token>" (else 401).
	Token string
	// ReadOnly refuses every write with 403, like a fork PR's token.
	ReadOnly bool
	// Forbid refuses writes (not reads) to these resources with 403:
	// "comments", "statuses", "issues", "labels".
	Forbid map[string]bool

	mu sync.Mutex
	// fails holds the HTTP status codes the next requests are answered
	// with: under "" any request (FailNext), under a resource its writes
	// (FailWrites), one code per request.
	fails    map[string][]int
	comments map[int][]*Comment
	nextID   int64
	statuses []Status
	pulls    map[string][]PullRequest
	issues   []*Issue
	labels   []Label
	requests []Request
	mux      *http.ServeMux
}

// New returns a fake that knows repo.
func New(repo string) *Server {
	s := &Server{Repo: repo, fails: map[string][]int{}, comments: map[int][]*Comment{}, pulls: map[string][]PullRequest{}, nextID: 1000}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /repos/{owner}/{repo}/issues/{number}/comments", s.listComments)
	s.mux.HandleFunc("POST /repos/{owner}/{repo}/issues/{number}/comments", s.writeComment)
	s.mux.HandleFunc("PATCH /repos/{owner}/{repo}/issues/comments/{id}", s.writeComment)
	s.mux.HandleFunc("POST /repos/{owner}/{repo}/statuses/{sha}", s.createStatus)
	s.mux.HandleFunc("GET /repos/{owner}/{repo}/commits/{sha}/pulls", s.listPulls)
	s.mux.HandleFunc("GET /repos/{owner}/{repo}/issues", s.listIssues)
	s.mux.HandleFunc("POST /repos/{owner}/{repo}/issues", s.createIssue)
	s.mux.HandleFunc("PATCH /repos/{owner}/{repo}/issues/{number}", s.editIssue)
	s.mux.HandleFunc("POST /repos/{owner}/{repo}/labels", s.createLabel)
	return s
}

// FailNext makes the next n requests fail with HTTP status code, as GitHub
// does now and then (502, 503).
func (s *Server) FailNext(n, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fails[""] = slices.Repeat([]int{code}, n)
}

// FailWrites makes the next n writes (creates and edits) to resource,
// "comments" or "statuses", fail with HTTP status code; other requests are
// answered as usual. Reads are never failed by it.
func (s *Server) FailWrites(resource string, n, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fails[resource] = append(s.fails[resource], slices.Repeat([]int{code}, n)...)
}

// AddComment stores a comment on PR number as if someone had written it
// and returns its id.
func (s *Server) AddComment(number int, user, body string) int64 {
	return locked(s, func() int64 { return s.add(number, user, body).ID })
}

// AddPull makes commit sha belong to pr.
func (s *Server) AddPull(sha string, pr PullRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pulls[sha] = append(s.pulls[sha], pr)
}

// Comments returns copies of the comments on PR number, oldest first.
func (s *Server) Comments(number int) []Comment {
	return locked(s, func() []Comment { return values(s.comments[number]) })
}

// Statuses returns the statuses set so far.
func (s *Server) Statuses() []Status {
	return locked(s, func() []Status { return slices.Clone(s.statuses) })
}

// Requests returns every request received so far.
func (s *Server) Requests() []Request {
	return locked(s, func() []Request { return slices.Clone(s.requests) })
}

// locked returns get() under the server's lock.
func locked[T any](s *Server, get func() T) T {
	s.mu.Lock()
	defer s.mu.Unlock()
	return get()
}

func (s *Server) add(number int, user, body string) *Comment {
	s.nextID++
	c := &Comment{ID: s.nextID, Body: body, HTMLURL: fmt.Sprintf("https://github.example/%s/pull/%d#issuecomment-%d", s.Repo, number, s.nextID)}
	c.User.Login = user
	s.comments[number] = append(s.comments[number], c)
	return c
}

// ServeHTTP records the request, checks token and repository (others
// 404), and routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Auth: r.Header.Get("Authorization"), Body: string(body)})
	s.mu.Unlock()
	if s.failed(w, "") {
		return
	}
	if s.Token != "" && r.Header.Get("Authorization") != "Bearer "+s.Token {
		writeError(w, http.StatusUnauthorized, "Bad credentials")
		return
	}
	if !strings.HasPrefix(r.URL.Path, "/repos/"+s.Repo+"/") {
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	s.mux.ServeHTTP(w, r)
}

// failed answers with the next code queued under key, if there is one.
func (s *Server) failed(w http.ResponseWriter, key string) bool {
	s.mu.Lock()
	q := s.fails[key]
	if len(q) > 0 {
		s.fails[key] = q[1:]
	}
	s.mu.Unlock()
	if len(q) == 0 {
		return false
	}
	writeError(w, q[0], http.StatusText(q[0]))
	return true
}

// write admits a write to resource and decodes its JSON body into in. It
// answers the code queued by FailWrites when there is one, 403 when writes to resource are refused, 400 for a body
// that is not JSON, and 422 for a "body" over GitHub's limit.
func (s *Server) write(w http.ResponseWriter, r *http.Request, resource string, in any) bool {
	if s.failed(w, resource) {
		return false
	}
	if s.ReadOnly || s.Forbid[resource] {
		writeError(w, http.StatusForbidden, "Resource not accessible by integration")
		return false
	}
	data, _ := io.ReadAll(r.Body)
	var text struct {
		Body *string `json:"body"`
	}
	if json.Unmarshal(data, in) != nil || json.Unmarshal(data, &text) != nil {
		writeError(w, http.StatusBadRequest, "Problems parsing JSON")
		return false
	}
	if text.Body != nil && len([]rune(*text.Body)) > 65536 {
		writeError(w, http.StatusUnprocessableEntity, "Body is too long (maximum is 65536 characters)")
		return false
	}
	return true
}

func (s *Server) listComments(w http.ResponseWriter, r *http.Request) {
	number, _ := strconv.Atoi(r.PathValue("number"))
	s.mu.Lock()
	defer s.mu.Unlock()
	writePage(w, r, values(s.comments[number]))
}

// writeComment creates a comment on an issue or pull request (POST) or
// edits one (PATCH).
func (s *Server) writeComment(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Body string `json:"body"`
	}
	if !s.write(w, r, "comments", &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Method == http.MethodPost {
		number, _ := strconv.Atoi(r.PathValue("number"))
		writeJSON(w, http.StatusCreated, *s.add(number, "github-actions[bot]", in.Body))
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	for _, cs := range s.comments {
		if i := slices.IndexFunc(cs, func(c *Comment) bool { return c.ID == id }); i >= 0 {
			cs[i].Body = in.Body
			writeJSON(w, http.StatusOK, *cs[i])
			return
		}
	}
	writeError(w, http.StatusNotFound, "Not Found")
}

func (s *Server) createStatus(w http.ResponseWriter, r *http.Request) {
	var st Status
	if !s.write(w, r, "statuses", &st) {
		return
	}
	if len([]rune(st.Description)) > 140 {
		writeError(w, http.StatusUnprocessableEntity, "description is too long (maximum is 140 characters)")
		return
	}
	st.SHA = r.PathValue("sha")
	s.mu.Lock()
	s.statuses = append(s.statuses, st)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, st)
}

func (s *Server) listPulls(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	writePage(w, r, s.pulls[r.PathValue("sha")])
}

// writePage answers with the page of all that the query asks for
// (per_page at most 100, 30 by default), and Link headers to the next and
// last pages when more follow.
func writePage[T any](w http.ResponseWriter, r *http.Request, all []T) {
	perPage, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	if perPage <= 0 {
		perPage = 30
	}
	perPage = min(perPage, 100)
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	from := min((page-1)*perPage, len(all))
	items := append(make([]T, 0), all[from:min(from+perPage, len(all))]...)
	if last := (len(all) + perPage - 1) / perPage; page < last {
		link := func(p int, rel string) string {
			u := *r.URL
			u.Scheme, u.Host = "http", r.Host
			q := u.Query()
			q.Set("page", strconv.Itoa(p))
			q.Set("per_page", strconv.Itoa(perPage))
			u.RawQuery = q.Encode()
			return fmt.Sprintf("<%s>; rel=%q", u.String(), rel)
		}
		w.Header().Set("Link", link(page+1, "next")+", "+link(last, "last"))
	}
	writeJSON(w, http.StatusOK, items)
}

// values copies what ps point to.
func values[T any](ps []*T) []T {
	out := make([]T, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"message": msg, "documentation_url": "https://docs.github.com/rest"})
}
