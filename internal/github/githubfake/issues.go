package githubfake

import (
	"cmp"
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

// AddIssue stores an issue as if someone had opened it and returns its
// number. Issues and pull requests share numbers with the comments the
// fake keeps per number.
func (s *Server) AddIssue(title, body string, labels ...string) int {
	return locked(s, func() int { return s.addIssue(title, body, labels).Number })
}

// Issues returns copies of every issue, oldest first.
func (s *Server) Issues() []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := values(s.issues)
	for i := range out {
		out[i].Labels = slices.Clone(out[i].Labels)
	}
	return out
}

// Labels returns the repository's labels.
func (s *Server) Labels() []Label {
	return locked(s, func() []Label { return slices.Clone(s.labels) })
}

func (s *Server) addIssue(title, body string, labels []string) *Issue {
	// Numbers follow the highest issue or pull request seen so far.
	n := 1
	for _, is := range s.issues {
		n = max(n, is.Number+1)
	}
	for number := range s.comments {
		n = max(n, number+1)
	}
	is := &Issue{Number: n, Title: title, Body: body, State: "open", Labels: labelList(labels),
		HTMLURL: fmt.Sprintf("https://github.example/%s/issues/%d", s.Repo, n)}
	s.issues = append(s.issues, is)
	return is
}

func labelList(names []string) []Label {
	var out []Label
	for _, l := range names {
		out = append(out, Label{Name: l})
	}
	return out
}

// listIssues lists issues by state (default open) and labels (all of them),
// newest first, as GitHub does by default.
func (s *Server) listIssues(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	state := cmp.Or(q.Get("state"), "open")
	var want []string
	if l := q.Get("labels"); l != "" {
		want = strings.Split(l, ",")
	}
	s.mu.Lock()
	var out []Issue
	for _, is := range slices.Backward(s.issues) {
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
	writePage(w, r, out)
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
	var in issueRequest
	if !s.write(w, r, "issues", &in) {
		return
	}
	if in.Title == nil || *in.Title == "" {
		writeError(w, http.StatusUnprocessableEntity, "Validation Failed: title is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	writeJSON(w, http.StatusCreated, *s.addIssue(*in.Title, deref(in.Body, ""), deref(in.Labels, nil)))
}

func (s *Server) editIssue(w http.ResponseWriter, r *http.Request) {
	var in issueRequest
	if !s.write(w, r, "issues", &in) {
		return
	}
	number, _ := strconv.Atoi(r.PathValue("number"))
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.issues, func(is *Issue) bool { return is.Number == number })
	if i < 0 {
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	is := s.issues[i]
	is.Title, is.Body = deref(in.Title, is.Title), deref(in.Body, is.Body)
	is.State, is.StateReason = deref(in.State, is.State), deref(in.StateReason, is.StateReason)
	if in.Labels != nil {
		is.Labels = labelList(*in.Labels)
	}
	writeJSON(w, http.StatusOK, *is)
}

// deref is *p, or def when p is nil.
func deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

func (s *Server) createLabel(w http.ResponseWriter, r *http.Request) {
	var in Label
	if !s.write(w, r, "labels", &in) {
		return
	}
	if in.Name == "" {
		writeError(w, http.StatusUnprocessableEntity, "Validation Failed: name is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if slices.ContainsFunc(s.labels, func(l Label) bool { return strings.EqualFold(l.Name, in.Name) }) {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
			"message": "Validation Failed",
			"errors":  []map[string]string{{"resource": "Label", "code": "already_exists", "field": "name"}},
		})
		return
	}
	s.labels = append(s.labels, in)
	writeJSON(w, http.StatusCreated, in)
}
