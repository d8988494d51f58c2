package github

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// ApplyOutcome is the result of an apply, as NotifyApply reports it.
type ApplyOutcome struct {
	Summary string // the applied plan's summary line
	RunID   int64  // the gridsync sync-run id in the target database
	Err     error  // nil on success; its message is posted through redact
	Commit  string // the commit applied (GITHUB_SHA)
	Dir     string // repository-relative config directory
}

// NotifyApply comments the outcome of an apply on the pull request that was
// merged into the pushed commit, failures included, so the PR's reviewers see
// what their change did. It does nothing, and returns nil, outside a push
// event, without a token, or when no pull request contains the commit (a
// direct push). Callers should log its error rather than fail the apply:
// the apply has already happened.
func NotifyApply(ctx context.Context, env Env, outcome ApplyOutcome) error {
	if env.EventName != "push" || env.Token == "" {
		return nil
	}
	commit := cmp.Or(outcome.Commit, env.SHA)
	if commit == "" {
		return nil
	}
	owner, repo, err := env.ownerRepo()
	if err != nil {
		return err
	}
	c, err := newClient(env)
	if err != nil {
		return err
	}
	prs, _, err := c.PullRequests.ListPullRequestsWithCommit(ctx, owner, repo, commit, &gh.ListOptions{PerPage: 100})
	if err != nil {
		return apiError(err, env, "find the pull request merged as "+ShortSHA(commit), "pull-requests: read")
	}
	pr := mergedPR(prs, commit)
	if pr == nil {
		return nil
	}
	body := applyBody(outcome, commit, env.RunURL())
	if _, _, err := c.Issues.CreateComment(ctx, owner, repo, pr.GetNumber(), &gh.IssueComment{Body: gh.String(body)}); err != nil {
		return apiError(err, env, whatComment, permComments)
	}
	return nil
}

// mergedPR picks the pull request a pushed commit came from: the one merged
// as exactly that commit, else the first merged one, else the first one.
func mergedPR(prs []*gh.PullRequest, commit string) *gh.PullRequest {
	for _, match := range []func(*gh.PullRequest) bool{
		func(pr *gh.PullRequest) bool { return pr.GetMergeCommitSHA() == commit },
		func(pr *gh.PullRequest) bool { return pr.MergedAt != nil },
		func(*gh.PullRequest) bool { return true },
	} {
		if i := slices.IndexFunc(prs, match); i >= 0 {
			return prs[i]
		}
	}
	return nil
}

// applyBody is the comment NotifyApply posts.
func applyBody(o ApplyOutcome, commit, runURL string) string {
	var b strings.Builder
	b.WriteString(hiddenMarker("apply", o.Dir) + "\n")
	where := forDir(o.Dir)
	if o.Err != nil {
		fmt.Fprintf(&b, "### gridsync apply failed%s\n\nApplying commit %s failed:\n\n```\n%s\n```\n",
			where, ShortSHA(commit), strings.ReplaceAll(redact(o.Err.Error()), "```", "'''"))
	} else {
		fmt.Fprintf(&b, "### gridsync apply succeeded%s\n\nApplied commit %s", where, ShortSHA(commit))
		if o.RunID != 0 {
			fmt.Fprintf(&b, " as sync run %d (`gridsync history`)", o.RunID)
		}
		b.WriteString(".\n")
		if o.Summary != "" {
			fmt.Fprintf(&b, "\n%s\n", o.Summary)
		}
	}
	if runURL != "" {
		fmt.Fprintf(&b, "\n[Workflow run](%s)\n", runURL)
	}
	return fitBody(b.String())
}

var (
	// urlUserinfo matches the userinfo of a URL-looking token, up to the
	// last '@' before the host: scheme://user:pass@host.
	urlUserinfo = regexp.MustCompile(`\b([A-Za-z][A-Za-z0-9+.-]*://)[^\s/?#]*@`)
	// passwordPair matches password=VALUE (also sslpassword=, passwd=,
	// pwd=), VALUE bare or quoted, as in a libpq connection string or a
	// URL query.
	passwordPair = regexp.MustCompile(`(?i)\b([a-z_]*password|passwd|pwd)(\s*=\s*)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^\s&;,'"]+)`)
)

// redact removes credentials an error message may quote before it is
// posted where everyone who can read the pull request sees it: the
// userinfo of URLs (scheme://user:pass@host becomes scheme://host, as in a
// database connection error) and the values of password= pairs (a libpq
// connection string). Errors should carry neither; this is the last line of
// defence at the publishing boundary.
func redact(s string) string {
	s = urlUserinfo.ReplaceAllString(s, "$1")
	return passwordPair.ReplaceAllString(s, "${1}${2}[redacted]")
}
