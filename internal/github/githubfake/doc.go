// Package githubfake is a small in-memory fake of the GitHub REST API
// endpoints gridsync uses: issue comments (list with Link-header
// pagination, create, edit), commit statuses, pull requests for a commit,
// and issues (list by state and label, create, edit, close) with labels. It records every request, body included, so tests can assert what
// was (and was never) sent. It is for tests only.
package githubfake
