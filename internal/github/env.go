package github

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"
)

// DefaultAPIURL is the REST API of github.com. GitHub Enterprise Server sets
// GITHUB_API_URL to https://HOST/api/v3.
const DefaultAPIURL = "https://api.github.com/"

// DefaultServerURL is github.com, used to build run links when
// GITHUB_SERVER_URL is unset.
const DefaultServerURL = "https://github.com"

// Env is what a GitHub Actions job tells gridsync through its environment,
// plus what the event payload says about the pull request.
type Env struct {
	Token       string // GITHUB_TOKEN; never logged, never put in a body
	Repository  string // GITHUB_REPOSITORY: owner/name
	EventName   string // GITHUB_EVENT_NAME: pull_request, push, schedule, …
	EventPath   string // GITHUB_EVENT_PATH
	APIURL      string // GITHUB_API_URL, default DefaultAPIURL
	ServerURL   string // GITHUB_SERVER_URL, default DefaultServerURL
	SHA         string // GITHUB_SHA: the merge commit on pull_request events
	StepSummary string // GITHUB_STEP_SUMMARY: file the job summary is appended to
	RunID       string // GITHUB_RUN_ID
	Actor       string // GITHUB_ACTOR
	Workspace   string // GITHUB_WORKSPACE: the checkout, to make dirs repo-relative

	// From the pull_request event payload; zero on other events.
	PRNumber int
	HeadSHA  string // the PR's head commit: statuses belong here
	HeadRepo string // owner/name the PR comes from; "" when the fork was deleted
	BaseRepo string // owner/name the PR goes into

	// HTTPClient is used for API calls; nil means a client with a timeout.
	HTTPClient *http.Client

	retryBase time.Duration // first wait before a retry; tests shorten it
}

// LoadEnv reads the Actions environment through getenv and, when
// GITHUB_EVENT_PATH names a pull_request event, the PR number, head SHA and
// head/base repositories from its payload.
func LoadEnv(getenv func(string) string) (Env, error) {
	e := Env{
		Token:       getenv("GITHUB_TOKEN"),
		Repository:  getenv("GITHUB_REPOSITORY"),
		EventName:   getenv("GITHUB_EVENT_NAME"),
		EventPath:   getenv("GITHUB_EVENT_PATH"),
		APIURL:      cmp.Or(getenv("GITHUB_API_URL"), DefaultAPIURL),
		ServerURL:   cmp.Or(getenv("GITHUB_SERVER_URL"), DefaultServerURL),
		SHA:         getenv("GITHUB_SHA"),
		StepSummary: getenv("GITHUB_STEP_SUMMARY"),
		RunID:       getenv("GITHUB_RUN_ID"),
		Actor:       getenv("GITHUB_ACTOR"),
		Workspace:   getenv("GITHUB_WORKSPACE"),
	}
	if e.EventPath == "" || e.EventName != "pull_request" && e.EventName != "pull_request_target" {
		return e, nil
	}
	data, err := os.ReadFile(e.EventPath)
	if err != nil {
		return e, fmt.Errorf("reading the %s event payload (GITHUB_EVENT_PATH): %w", e.EventName, err)
	}
	var ev gh.PullRequestEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		return e, fmt.Errorf("the event payload at %s is not valid JSON: %w", e.EventPath, err)
	}
	pr := ev.GetPullRequest()
	if pr.GetNumber() == 0 {
		return e, fmt.Errorf("the %s event payload at %s has no pull_request.number", e.EventName, e.EventPath)
	}
	e.PRNumber = pr.GetNumber()
	e.HeadSHA = pr.GetHead().GetSHA()
	e.HeadRepo = pr.GetHead().GetRepo().GetFullName()
	e.BaseRepo = cmp.Or(pr.GetBase().GetRepo().GetFullName(), e.Repository)
	return e, nil
}

// IsFork reports whether the pull request comes from another repository.
// GitHub gives such runs no secrets and at most a read-only token. A deleted
// head repository counts as a fork.
func (e Env) IsFork() bool {
	return e.PRNumber != 0 && !strings.EqualFold(e.HeadRepo, e.BaseRepo)
}

// RunURL links to the workflow run, or "" outside Actions.
func (e Env) RunURL() string {
	if e.Repository == "" || e.RunID == "" {
		return ""
	}
	return strings.TrimRight(e.ServerURL, "/") + "/" + e.Repository + "/actions/runs/" + e.RunID
}

// ownerRepo splits GITHUB_REPOSITORY.
func (e Env) ownerRepo() (owner, repo string, err error) {
	if e.Repository == "" {
		return "", "", errors.New("GITHUB_REPOSITORY is not set: run this in GitHub Actions, or set it to owner/name")
	}
	owner, repo, ok := strings.Cut(e.Repository, "/")
	if !ok || owner == "" || repo == "" || strings.Contains(repo, "/") {
		return "", "", fmt.Errorf("GITHUB_REPOSITORY %q is not of the form owner/name", e.Repository)
	}
	return owner, repo, nil
}

// RepoDir names a config directory the way the comment marker and the
// comment show it: relative to the checkout (GITHUB_WORKSPACE) when it lies
// inside it, else relative to the working directory, with forward slashes;
// "." is the repository root. A directory outside both stays as given.
func (e Env) RepoDir(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return filepath.ToSlash(filepath.Clean(dir))
	}
	wd, _ := os.Getwd() // "" on error, skipped as an unset workspace is
	for _, base := range []string{e.Workspace, wd} {
		if base == "" {
			continue
		}
		rel, err := filepath.Rel(base, abs)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(filepath.Clean(dir))
}
