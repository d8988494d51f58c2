package github

import (
	"context"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// Permissions a workflow grants for what gridsync does.
const (
	permComments = "pull-requests: write"
	permStatuses = "statuses: write"
)

const whatComment = "write pull-request comments"

// firstListed returns the first item list returns that match accepts, or
// nil. It reads every page, 100 items each (a busy pull request has
// hundreds of comments), until one matches.
func firstListed[T any](list func(gh.ListOptions) ([]*T, *gh.Response, error), match func(*T) bool) (*T, error) {
	opts := gh.ListOptions{PerPage: 100}
	for {
		items, resp, err := list(opts)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if match(it) {
				return it, nil
			}
		}
		if resp == nil || resp.NextPage == 0 {
			return nil, nil
		}
		opts.Page = resp.NextPage
	}
}

// upsertComment edits the comment carrying marker in place, or creates it:
// the first comment on PR number whose body starts with marker. A marker
// quoted in someone's reply does not start its body, so it does not count.
func upsertComment(ctx context.Context, c *gh.Client, env Env, owner, repo string, number int, marker, body string) (cm *gh.IssueComment, created bool, err error) {
	existing, err := firstListed(func(lo gh.ListOptions) ([]*gh.IssueComment, *gh.Response, error) {
		return c.Issues.ListComments(ctx, owner, repo, number, &gh.IssueListCommentsOptions{ListOptions: lo})
	}, func(cm *gh.IssueComment) bool { return strings.HasPrefix(cm.GetBody(), marker) })
	if err != nil {
		return nil, false, apiError(err, env, "read pull-request comments", permComments)
	}
	if existing != nil {
		cm, _, err = c.Issues.EditComment(ctx, owner, repo, existing.GetID(), &gh.IssueComment{Body: gh.String(body)})
	} else {
		cm, _, err = c.Issues.CreateComment(ctx, owner, repo, number, &gh.IssueComment{Body: gh.String(body)})
	}
	if err != nil {
		return nil, false, apiError(err, env, whatComment, permComments)
	}
	return cm, existing == nil, nil
}
