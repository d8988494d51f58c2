package personio

import (
	"net/http"
	"net/url"
)

// FollowsFeedRedirect reports whether c's feed client follows a redirect
// from one URL to another, for tests outside the package.
func FollowsFeedRedirect(c *Client, from, to string) bool {
	prev, _ := url.Parse(from)
	next, _ := url.Parse(to)
	return c.followFeed(&http.Request{URL: next}, []*http.Request{{URL: prev}}) == nil
}
