package githubfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
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

	mu       sync.Mutex
	failNext int // answer this many more requests with failCode
	failCode int
	// failWrites answers the next writes to a resource ("comments",
	// "statuses") with an HTTP status code, one per write.
	failWrites map[string][]int
	comments   map[int][]*Comment
	nextID     int64
	statuses   []Status
	pulls      map[string][]PullRequest
	iss        issueStore
	requests   []Request
	mux        *http.ServeMux
}

// New returns a fake that knows repo.
func New(repo string) *Server {
	s := &Server{Repo: repo, comments: map[int][]*Comment{}, pulls: map[string][]PullRequest{}, nextID: 1000}
	m := http.NewServeMux()
	m.HandleFunc("GET /repos/{owner}/{repo}/issues/{number}/comments", s.listComments)
	m.HandleFunc("POST /repos/{owner}/{repo}/issues/{number}/comments", s.createComment)
	m.HandleFunc("PATCH /repos/{owner}/{repo}/issues/comments/{id}", s.editComment)
	m.HandleFunc("POST /repos/{owner}/{repo}/statuses/{sha}", s.createStatus)
	m.HandleFunc("GET /repos/{owner}/{repo}/commits/{sha}/pulls", s.listPulls)
	s.issueRoutes(m)
	s.mux = m
	return s
}

// FailNext makes the next n requests fail with HTTP status code, as GitHub
// does now and then (502, 503).
func (s *Server) FailNext(n, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext, s.failCode = n, code
}

// FailWrites makes the next n writes (creates and edits) to resource,
// "comments" or "statuses", fail with HTTP status code; other requests are
// answered as usual. Reads are never failed by it.
func (s *Server) FailWrites(resource string, n, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failWrites == nil {
		s.failWrites = map[string][]int{}
	}
	for range n {
		s.failWrites[resource] = append(s.failWrites[resource], code)
	}
}

// AddComment stores a comment on PR number as if someone had written it
// and returns its id.
func (s *Server) AddComment(number int, user, body string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.add(number, user, body).ID
}

// AddPull makes commit sha belong to pr.
func (s *Server) AddPull(sha string, pr PullRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pulls[sha] = append(s.pulls[sha], pr)
}

// Comments returns copies of the comments on PR number, oldest first.
func (s *Server) Comments(number int) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Comment
	for _, c := range s.comments[number] {
		out = append(out, *c)
	}
	return out
}

// Statuses returns the statuses set so far.
func (s *Server) Statuses() []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Status(nil), s.statuses...)
}

// Requests returns every request received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) add(number int, user, body string) *Comment {
	s.nextID++
	c := &Comment{ID: s.nextID, Body: body, HTMLURL: fmt.Sprintf("https://github.example/%s/pull/%d#issuecomment-%d", s.Repo, number, s.nextID)}
	c.User.Login = user
	s.comments[number] = append(s.comments[number], c)
	return c
}

// ServeHTTP records the request, checks repository and token, and routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Auth: r.Header.Get("Authorization"), Body: string(body)})
	fail := 0
	if s.failNext > 0 {
		s.failNext--
		fail = s.failCode
	}
	s.mu.Unlock()
	if fail != 0 {
		writeError(w, fail, http.StatusText(fail))
		return
	}

	if s.Token != "" && r.Header.Get("Authorization") != "Bearer "+s.Token {
		writeError(w, http.StatusUnauthorized, "Bad credentials")
		return
	}
	s.mux.ServeHTTP(w, r)
}

// repoOK answers 404 for unknown repositories.
func (s *Server) repoOK(w http.ResponseWriter, r *http.Request) bool {
	if r.PathValue("owner")+"/"+r.PathValue("repo") != s.Repo {
		writeError(w, http.StatusNotFound, "Not Found")
		return false
	}
	return true
}

// writeOK answers 403 when writes to resource are refused, and the code
// queued by FailWrites when there is one.
func (s *Server) writeOK(w http.ResponseWriter, resource string) bool {
	s.mu.Lock()
	fail := 0
	if q := s.failWrites[resource]; len(q) > 0 {
		fail, s.failWrites[resource] = q[0], q[1:]
	}
	s.mu.Unlock()
	if fail != 0 {
		writeError(w, fail, http.StatusText(fail))
		return false
	}
	if s.ReadOnly || s.Forbid[resource] {
		writeError(w, http.StatusForbidden, "Resource not accessible by integration")
		return false
	}
	return true
}

func (s *Server) listComments(w http.ResponseWriter, r *http.Request) {
	if !s.repoOK(w, r) {
		return
	}
	number, _ := strconv.Atoi(r.PathValue("number"))
	perPage, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	if perPage <= 0 {
		perPage = 30
	}
	if perPage > 100 {
		perPage = 100
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if page <= 0 {
		page = 1
	}
	s.mu.Lock()
	all := s.comments[number]
	from := min((page-1)*perPage, len(all))
	to := min(from+perPage, len(all))
	items := make([]Comment, 0, to-from)
	for _, c := range all[from:to] {
		items = append(items, *c)
	}
	s.mu.Unlock()
	last := (len(all) + perPage - 1) / perPage
	if page < last {
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

func (s *Server) createComment(w http.ResponseWriter, r *http.Request) {
	if !s.repoOK(w, r) || !s.writeOK(w, "comments") {
		return
	}
	var in struct {
		Body string `json:"body"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, "Problems parsing JSON")
		return
	}
	if tooLong(w, in.Body) {
		return
	}
	number, _ := strconv.Atoi(r.PathValue("number"))
	s.mu.Lock()
	c := *s.add(number, "github-actions[bot]", in.Body)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, c)
}

func (s *Server) editComment(w http.ResponseWriter, r *http.Request) {
	if !s.repoOK(w, r) || !s.writeOK(w, "comments") {
		return
	}
	var in struct {
		Body string `json:"body"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, "Problems parsing JSON")
		return
	}
	if tooLong(w, in.Body) {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, cs := range s.comments {
		for _, c := range cs {
			if c.ID == id {
				c.Body = in.Body
				writeJSON(w, http.StatusOK, *c)
				return
			}
		}
	}
	writeError(w, http.StatusNotFound, "Not Found")
}

func (s *Server) createStatus(w http.ResponseWriter, r *http.Request) {
	if !s.repoOK(w, r) || !s.writeOK(w, "statuses") {
		return
	}
	var st Status
	if err := json.NewDecoder(r.Body).Decode(&st); err != nil {
		writeError(w, http.StatusBadRequest, "Problems parsing JSON")
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
	if !s.repoOK(w, r) {
		return
	}
	s.mu.Lock()
	prs := append([]PullRequest{}, s.pulls[r.PathValue("sha")]...)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, prs)
}

// tooLong answers 422 for a comment or issue body over GitHub's limit.
func tooLong(w http.ResponseWriter, body string) bool {
	if len([]rune(body)) <= 65536 {
		return false
	}
	writeError(w, http.StatusUnprocessableEntity, "Body is too long (maximum is 65536 characters)")
	return true
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"message": msg, "documentation_url": "https://docs.github.com/rest"})
}
