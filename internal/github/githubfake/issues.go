package githubfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Issue is an issue as the fake stores and answers it.
type Issue struct {
	Number      int     `json:"number"`
	Title       string  `json:"title"`
	Body        string  `json:"body"`
	State       string  `json:"state"` // "open" or "closed"
	StateReason string  `json:"state_reason,omitempty"`
	Labels      []Label `json:"labels"`
	HTMLURL     string  `json:"html_url"`
}

// Label is a repository label.
type Label struct {
	Name        string `json:"name"`
	Color       string `json:"color,omitempty"`
	Description string `json:"description,omitempty"`
}

// issueStore holds the fake's issues and labels.
type issueStore struct {
	issues []*Issue
	labels []Label
}

// issueRoutes adds the issue and label endpoints gridsync uses.
func (s *Server) issueRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /repos/{owner}/{repo}/issues", s.listIssues)
	m.HandleFunc("POST /repos/{owner}/{repo}/issues", s.createIssue)
	m.HandleFunc("PATCH /repos/{owner}/{repo}/issues/{number}", s.editIssue)
	m.HandleFunc("POST /repos/{owner}/{repo}/labels", s.createLabel)
}

// AddIssue stores an issue as if someone had opened it and returns its
// number. Issues and pull requests share numbers with the comments the
// fake keeps per number.
func (s *Server) AddIssue(title, body string, labels ...string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addIssue(title, body, labels).Number
}

// Issues returns copies of every issue, oldest first.
func (s *Server) Issues() []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Issue, 0, len(s.iss.issues))
	for _, is := range s.iss.issues {
		c := *is
		c.Labels = slices.Clone(is.Labels)
		out = append(out, c)
	}
	return out
}

// Labels returns the repository's labels.
func (s *Server) Labels() []Label {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.iss.labels)
}

func (s *Server) addIssue(title, body string, labels []string) *Issue {
	// Numbers follow the highest issue or pull request seen so far.
	n := 1
	for _, is := range s.iss.issues {
		n = max(n, is.Number+1)
	}
	for number := range s.comments {
		n = max(n, number+1)
	}
	is := &Issue{Number: n, Title: title, Body: body, State: "open",
		HTMLURL: fmt.Sprintf("https://github.example/%s/issues/%d", s.Repo, n)}
	for _, l := range labels {
		is.Labels = append(is.Labels, Label{Name: l})
	}
	s.iss.issues = append(s.iss.issues, is)
	return is
}

func (s *Server) listIssues(w http.ResponseWriter, r *http.Request) {
	if !s.repoOK(w, r) {
		return
	}
	q := r.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	var want []string
	if l := q.Get("labels"); l != "" {
		want = strings.Split(l, ",")
	}
	perPage, _ := strconv.Atoi(q.Get("per_page"))
	if perPage <= 0 || perPage > 100 {
		perPage = 30
	}
	s.mu.Lock()
	var out []Issue
	for _, is := range s.iss.issues {
		if state != "all" && is.State != state {
			continue
		}
		ok := true
		for _, l := range want {
			ok = ok && slices.ContainsFunc(is.Labels, func(x Label) bool { return strings.EqualFold(x.Name, l) })
		}
		if ok {
			out = append(out, *is)
		}
	}
	s.mu.Unlock()
	// Newest first, as GitHub lists them by default.
	slices.Reverse(out)
	if len(out) > perPage {
		out = out[:perPage]
	}
	if out == nil {
		out = []Issue{}
	}
	writeJSON(w, http.StatusOK, out)
}

// issueRequest is the body of creating or editing an issue.
type issueRequest struct {
	Title       *string   `json:"title"`
	Body        *string   `json:"body"`
	State       *string   `json:"state"`
	StateReason *string   `json:"state_reason"`
	Labels      *[]string `json:"labels"`
}

func (s *Server) createIssue(w http.ResponseWriter, r *http.Request) {
	if !s.repoOK(w, r) || !s.writeOK(w, "issues") {
		return
	}
	var in issueRequest
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Title == nil || *in.Title == "" {
		writeError(w, http.StatusUnprocessableEntity, "Validation Failed: title is required")
		return
	}
	if in.Body != nil && tooLong(w, *in.Body) {
		return
	}
	var labels []string
	if in.Labels != nil {
		labels = *in.Labels
	}
	s.mu.Lock()
	body := ""
	if in.Body != nil {
		body = *in.Body
	}
	is := *s.addIssue(*in.Title, body, labels)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, is)
}

func (s *Server) editIssue(w http.ResponseWriter, r *http.Request) {
	if !s.repoOK(w, r) || !s.writeOK(w, "issues") {
		return
	}
	var in issueRequest
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, "Problems parsing JSON")
		return
	}
	if in.Body != nil && tooLong(w, *in.Body) {
		return
	}
	number, _ := strconv.Atoi(r.PathValue("number"))
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, is := range s.iss.issues {
		if is.Number != number {
			continue
		}
		if in.Title != nil {
			is.Title = *in.Title
		}
		if in.Body != nil {
			is.Body = *in.Body
		}
		if in.State != nil {
			is.State = *in.State
		}
		if in.StateReason != nil {
			is.StateReason = *in.StateReason
		}
		if in.Labels != nil {
			is.Labels = nil
			for _, l := range *in.Labels {
				is.Labels = append(is.Labels, Label{Name: l})
			}
		}
		writeJSON(w, http.StatusOK, *is)
		return
	}
	writeError(w, http.StatusNotFound, "Not Found")
}

func (s *Server) createLabel(w http.ResponseWriter, r *http.Request) {
	if !s.repoOK(w, r) || !s.writeOK(w, "labels") {
		return
	}
	var in Label
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Name == "" {
		writeError(w, http.StatusUnprocessableEntity, "Validation Failed: name is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if slices.ContainsFunc(s.iss.labels, func(l Label) bool { return strings.EqualFold(l.Name, in.Name) }) {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
			"message": "Validation Failed",
			"errors":  []map[string]string{{"resource": "Label", "code": "already_exists", "field": "name"}},
		})
		return
	}
	s.iss.labels = append(s.iss.labels, in)
	writeJSON(w, http.StatusCreated, in)
}
