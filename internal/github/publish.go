package github

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	gh "github.com/google/go-github/v60/github"

	"github.com/gridwork/gridsync/internal/words"
)

// DefaultStatusContext is the commit status gridsync sets on a pull
// request's head; branch protection can require it.
const DefaultStatusContext = "gridsync/plan"

// Commit status states gridsync sets.
const (
	StateSuccess = "success"
	StateFailure = "failure"
)

// PlanComment is what PostPlan publishes for one config directory. It holds
// only rendered output, never configuration or credentials.
type PlanComment struct {
	// Dir is the repository-relative config directory ("." for the root);
	// it keys the sticky comment, so each directory has its own.
	Dir string
	// Markdown is the whole rendered plan (plan.RenderMarkdown without a
	// cap). The job summary gets all of it (up to GitHub's 1 MiB per
	// step); the comment keeps its head and tail and says what was cut.
	// Ignored when Failed.
	Markdown string
	// Summary is the plan's one-line summary, the status description.
	Summary string
	// Failed means the plan could not be made: the comment says so in place
	// of a stale plan, and the status is a failure.
	Failed bool
	// StatusContext defaults to DefaultStatusContext. Repositories that plan
	// several directories give each its own.
	StatusContext string
}

// Outcome says what PostPlan did, for the command to report.
type Outcome struct {
	PR         int
	CommentID  int64
	CommentURL string
	Created    bool // a new comment; false when an existing one was edited
	// Truncated means the comment holds the plan's head and tail only.
	Truncated bool
	// Summary tells whether the job summary got the whole plan, a cut one,
	// or nothing (outside Actions).
	SummaryWhole, SummaryCut bool
	// Status is the state set on StatusSHA under StatusContext.
	Status        string
	StatusContext string
	StatusSHA     string
	// ForkNoCredentials means the pull request comes from a fork and the
	// job has no token that may write to the base repository: nothing was
	// posted, the plan went to the job summary only. This is not an error.
	ForkNoCredentials bool
}

// ForkMessage is what gridsync says when ForkNoCredentials.
const ForkMessage = "No credentials on fork PRs: the plan was written to the job summary only."

// PostPlan publishes a plan on the pull request of a pull_request event:
// it appends the plan to the job summary, creates or edits the directory's
// sticky comment, and sets the commit status on the PR's head commit (not
// GITHUB_SHA, which on pull_request events is a merge commit nobody sees).
//
// A fork's pull request gets no secrets and a read-only token. When the
// token is missing there, or GitHub refuses it, PostPlan reports
// ForkNoCredentials with a nil error: a contributor's PR should not fail for
// something only maintainers can change, and the plan is still readable in
// the job summary. Other errors on a fork (not a 403) are still returned.
func PostPlan(ctx context.Context, env Env, pc PlanComment) (Outcome, error) {
	out := Outcome{PR: env.PRNumber, StatusContext: cmp.Or(pc.StatusContext, DefaultStatusContext)}
	if env.PRNumber == 0 {
		return out, fmt.Errorf("not a pull request: GITHUB_EVENT_NAME is %q; run `gridsync github comment` in a workflow triggered by pull_request", env.EventName)
	}
	owner, repo, err := env.ownerRepo()
	if err != nil {
		return out, err
	}
	sha := env.HeadSHA
	if sha == "" {
		return out, fmt.Errorf("the pull_request event at %s has no pull_request.head.sha", env.EventPath)
	}

	md := pc.Markdown
	if pc.Failed {
		md = failedMarkdown(pc.Dir, sha, env.RunURL())
	}
	out.SummaryWhole, out.SummaryCut, err = writeStepSummary(env.StepSummary, md, env.RunURL())
	if err != nil {
		return out, err
	}

	if env.Token == "" {
		if env.IsFork() {
			out.ForkNoCredentials = true
			return out, nil
		}
		return out, errors.New("GITHUB_TOKEN is not set: add `GITHUB_TOKEN: ${{ github.token }}` to the step's env")
	}
	c, err := newClient(env)
	if err != nil {
		return out, err
	}

	marker := Marker(pc.Dir)
	body, truncated := commentBody(marker, md, out.SummaryWhole, env.RunURL())
	out.Truncated = truncated
	cm, created, cerr := upsertComment(ctx, c, env, owner, repo, env.PRNumber, marker, body)
	// On an error cm is nil, whose getters give the zero values.
	out.CommentID, out.CommentURL, out.Created = cm.GetID(), cm.GetHTMLURL(), created

	state, desc := StateSuccess, pc.Summary
	if pc.Failed {
		state, desc = StateFailure, cmp.Or(desc, "The plan could not be made: see the workflow run")
	}
	st := &gh.RepoStatus{State: gh.String(state), Context: gh.String(out.StatusContext), Description: gh.String(TruncateRunes(desc, 140))}
	if u := env.RunURL(); u != "" {
		st.TargetURL = gh.String(u)
	}
	_, _, serr := c.Repositories.CreateStatus(ctx, owner, repo, sha, st)
	if serr != nil {
		serr = apiError(serr, env, "set commit statuses", permStatuses)
	} else {
		out.Status, out.StatusSHA = state, sha
	}

	// On a fork, GitHub refusing the token is expected and not an error;
	// anything else (a 5xx after retries, a 422, …) still is.
	if env.IsFork() {
		var perm *PermissionError
		if errors.As(cerr, &perm) {
			out.ForkNoCredentials, cerr = true, nil
		}
		if errors.As(serr, &perm) {
			out.ForkNoCredentials, serr = true, nil
		}
	}
	return out, errors.Join(cerr, serr)
}

// commentBody is the marker, then the plan, cut to the comment limit. The
// note at the cut says where the whole plan is.
func commentBody(marker, md string, inSummary bool, runURL string) (string, bool) {
	where := "The whole plan is in the " + runLink(runURL, "job summary") + "."
	if !inSummary {
		where = "Download the plan file from the artifacts of " + runLink(runURL, "the workflow run") + " and read it with `gridsync show`."
	}
	return fit(marker+"\n", md, MaxCommentChars, func(chars, lines int) string {
		return fmt.Sprintf("> [!WARNING]\n> **%s characters (%s lines) of this plan are not shown**: a comment holds at most %s characters. %s",
			words.Number(chars), words.Number(lines), words.Number(MaxCommentChars), where)
	})
}

// failedMarkdown replaces the plan in the comment when no plan could be
// made, so reviewers never read a plan that no longer matches the PR.
func failedMarkdown(dir, sha, runURL string) string {
	return fmt.Sprintf("### gridsync plan failed%s\n\nNo plan could be made for commit %s. The error is in the log of %s; fix it and push again.\n",
		forDir(dir), ShortSHA(sha), runLink(runURL, "the workflow run"))
}
