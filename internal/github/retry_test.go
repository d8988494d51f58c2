package github

import (
	"context"
	"net/http"
	"testing"
	"time"
)

func TestRetryTransientFailures(t *testing.T) {
	tests := []struct {
		name     string
		existing bool // a sticky comment exists: the write is an edit
		fails    int
		wantErr  bool
		wantReqs int
	}{
		{"list retried, then edit", true, 2, false, 2 + 1 + 1 + 1}, // 2 failed lists, list, edit, status
		{"list fails three times", true, 3, true, 3 + 1},           // gives up on the list; the status is still set
		{"create is not repeated", false, 0, false, 1 + 1 + 1},     // baseline: list, create, status
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.env.retryBase = time.Millisecond
			if tt.existing {
				f.fake.AddComment(testPR, "github-actions[bot]", Marker(".")+"\nold")
			}
			f.fake.FailNext(tt.fails, http.StatusBadGateway)
			_, err := PostPlan(context.Background(), f.env, PlanComment{Dir: ".", Markdown: "plan\n"})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if n := len(f.fake.Requests()); n != tt.wantReqs {
				t.Errorf("%d requests, want %d", n, tt.wantReqs)
			}
			if len(f.fake.Statuses()) != 1 {
				t.Errorf("status not set")
			}
		})
	}
}

func TestRetryNeverRepeatsCreate(t *testing.T) {
	f := newFixture(t)
	f.env.retryBase = time.Millisecond
	c, err := newClient(f.env)
	if err != nil {
		t.Fatal(err)
	}
	f.fake.FailNext(1, http.StatusBadGateway)
	if _, _, err := upsertComment(context.Background(), c, f.env, "acme", "people-config", testPR, Marker("."), "body"); err != nil {
		t.Fatalf("list after one failure: %v", err) // the failed GET is retried
	}
	f.fake.FailNext(1, http.StatusBadGateway)
	_, _, err = c.Issues.CreateComment(context.Background(), "acme", "people-config", testPR, nil)
	if err == nil {
		t.Fatal("a failed create was retried")
	}
	if n := len(f.fake.Comments(testPR)); n != 1 {
		t.Errorf("%d comments, want 1", n)
	}
}
