package github

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gridwork/gridsync/internal/github/githubfake"
)

func TestRetryTransientFailures(t *testing.T) {
	tests := []struct {
		name        string
		existing    bool // a sticky comment exists: the write is an edit
		fails       int  // the next requests fail with 502, whatever they are
		writeFails  int  // the next comment writes (create or edit) fail with 502
		wantErr     bool
		wantReqs    int
		wantCreates int // POSTs to the comments endpoint
	}{
		{"list retried, then edit", true, 2, 0, false, 2 + 1 + 1 + 1, 0}, // 2 failed lists, list, edit, status
		{"list fails three times", true, 3, 0, true, 3 + 1, 0},           // gives up on the list; the status is still set
		{"edit retried", true, 0, 1, false, 1 + 2 + 1, 0},                // list, failed edit, edit, status
		{"create is not repeated", false, 0, 1, true, 1 + 1 + 1, 1},      // list, failed create (not sent again), status
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.env.retryBase = time.Millisecond
			if tt.existing {
				f.fake.AddComment(testPR, "github-actions[bot]", Marker(".")+"\nold")
			}
			f.fake.FailNext(tt.fails, http.StatusBadGateway)
			f.fake.FailWrites("comments", tt.writeFails, http.StatusBadGateway)
			_, err := PostPlan(context.Background(), f.env, PlanComment{Dir: ".", Markdown: "plan\n"})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			reqs := f.fake.Requests()
			if len(reqs) != tt.wantReqs {
				t.Errorf("%d requests, want %d", len(reqs), tt.wantReqs)
			}
			if n := countCreates(reqs); n != tt.wantCreates {
				t.Errorf("%d comment creates, want %d", n, tt.wantCreates)
			}
			if len(f.fake.Statuses()) != 1 {
				t.Errorf("status not set")
			}
		})
	}
}

// TestRetryNeverRepeatsCreate sends a real comment through upsertComment
// with no comment to edit, and fails the create once: a retry would succeed
// and post the comment, so the error and the empty PR show it was not sent
// again.
func TestRetryNeverRepeatsCreate(t *testing.T) {
	f := newFixture(t)
	f.env.retryBase = time.Millisecond
	c, err := newClient(f.env)
	if err != nil {
		t.Fatal(err)
	}
	f.fake.FailWrites("comments", 1, http.StatusBadGateway)
	_, created, err := upsertComment(context.Background(), c, f.env, "acme", "people-config", testPR, Marker("."), Marker(".")+"\nthe plan")
	if err == nil || created {
		t.Fatalf("upsertComment after a failed create: created %v, err %v; want the 502", created, err)
	}
	if n := countCreates(f.fake.Requests()); n != 1 {
		t.Errorf("the create was sent %d times, want once", n)
	}
	if n := len(f.fake.Comments(testPR)); n != 0 {
		t.Errorf("%d comments, want none", n)
	}
}

// countCreates counts the requests that create a comment.
func countCreates(reqs []githubfake.Request) int {
	n := 0
	for _, r := range reqs {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/comments") {
			n++
		}
	}
	return n
}
