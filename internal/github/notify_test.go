package github

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gridwork/gridsync/internal/github/githubfake"
)

func TestNotifyApply(t *testing.T) {
	merged := "2024-05-01T10:00:00Z"
	tests := []struct {
		name    string
		event   string
		pulls   []githubfake.PullRequest
		outcome ApplyOutcome
		wantPR  int      // 0: no comment
		want    []string // in the comment body
	}{
		{
			name:    "success",
			event:   "push",
			pulls:   []githubfake.PullRequest{{Number: 3, State: "open"}, {Number: 9, State: "closed", MergeCommitSHA: testMergeSHA, MergedAt: &merged}},
			outcome: ApplyOutcome{Summary: "Apply complete: 2 added, 1 changed, 0 unlinked, 0 destroyed.", RunID: 77, Dir: "."},
			wantPR:  9,
			want:    []string{"gridsync apply succeeded", "2222222", "sync run 77", "Apply complete: 2 added", "actions/runs/4242"},
		},
		{
			name:    "failure comments too",
			event:   "push",
			pulls:   []githubfake.PullRequest{{Number: 9, State: "closed", MergeCommitSHA: testMergeSHA, MergedAt: &merged}},
			outcome: ApplyOutcome{Err: errors.New("deletion guard: plan removes 40% of acme's employees; re-run with -allow-mass-delete"), Dir: "configs/prod"},
			wantPR:  9,
			want:    []string{"gridsync apply failed for `configs/prod`", "deletion guard: plan removes 40%", "2222222"},
		},
		{
			name:    "direct push: no pull request, no comment",
			event:   "push",
			outcome: ApplyOutcome{Summary: "x"},
		},
		{
			name:    "not a push: nothing",
			event:   "workflow_dispatch",
			pulls:   []githubfake.PullRequest{{Number: 9, MergeCommitSHA: testMergeSHA, MergedAt: &merged}},
			outcome: ApplyOutcome{Summary: "x"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.env.EventName = tt.event
			f.env.PRNumber = 0
			for _, pr := range tt.pulls {
				f.fake.AddPull(testMergeSHA, pr)
			}
			if err := NotifyApply(context.Background(), f.env, tt.outcome); err != nil {
				t.Fatal(err)
			}
			for _, n := range []int{3, 9} {
				comments := f.fake.Comments(n)
				if n != tt.wantPR {
					if len(comments) != 0 {
						t.Errorf("PR #%d got %d comments, want none", n, len(comments))
					}
					continue
				}
				if len(comments) != 1 {
					t.Fatalf("PR #%d got %d comments, want 1", n, len(comments))
				}
				for _, w := range tt.want {
					if !strings.Contains(comments[0].Body, w) {
						t.Errorf("comment %q lacks %q", comments[0].Body, w)
					}
				}
			}
			if tt.event != "push" && len(f.fake.Requests()) != 0 {
				t.Errorf("%d requests on a %s event, want none", len(f.fake.Requests()), tt.event)
			}
		})
	}
}

func TestNotifyApplyPermission(t *testing.T) {
	f := newFixture(t)
	f.env.EventName = "push"
	merged := "2024-05-01T10:00:00Z"
	f.fake.AddPull(testMergeSHA, githubfake.PullRequest{Number: 9, MergeCommitSHA: testMergeSHA, MergedAt: &merged})
	f.fake.Forbid = map[string]bool{"comments": true}
	err := NotifyApply(context.Background(), f.env, ApplyOutcome{Summary: "x"})
	if err == nil || !strings.Contains(err.Error(), "grant `pull-requests: write`") {
		t.Fatalf("error %v, want one naming pull-requests: write", err)
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"dial postgres://gridsync:s3cret@db.internal:5432/gridwork failed",
			"dial postgres://db.internal:5432/gridwork failed"},
		{`parse "postgres://u:p@ss@db:5432/x?sslmode=require": invalid`, `parse "postgres://db:5432/x?sslmode=require": invalid`},
		{"https://x-access-token:ghs_abc@github.com/acme/repo.git", "https://github.com/acme/repo.git"},
		{"host=db user=gridsync password=s3cret dbname=gridwork", "host=db user=gridsync password=[redacted] dbname=gridwork"},
		{"password = 'two words' sslpassword=\"q\"", "password = [redacted] sslpassword=[redacted]"},
		{"postgres://db/x?user=a&password=s3cret&sslmode=disable", "postgres://db/x?user=a&password=[redacted]&sslmode=disable"},
		{"PGPASSWORD=s3cret psql", "PGPASSWORD=[redacted] psql"},
		// Nothing to redact: left alone.
		{"deletion guard: plan removes 40% of acme's employees", "deletion guard: plan removes 40% of acme's employees"},
		{"see https://github.com/acme/repo/pull/9 by ada@acme.example", "see https://github.com/acme/repo/pull/9 by ada@acme.example"},
	}
	for _, tt := range tests {
		if got := redact(tt.in); got != tt.want {
			t.Errorf("redact(%q)\n = %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// TestNotifyApplyRedactsError plants a database password in the apply's
// error, in a URL and in a connection string, and checks that the comment
// keeps the error but not the password.
func TestNotifyApplyRedactsError(t *testing.T) {
	const planted = "pl4nted-db-passw0rd"
	merged := "2024-05-01T10:00:00Z"
	f := newFixture(t)
	f.env.EventName = "push"
	f.env.PRNumber = 0
	f.fake.AddPull(testMergeSHA, githubfake.PullRequest{Number: 9, State: "closed", MergeCommitSHA: testMergeSHA, MergedAt: &merged})
	applyErr := errors.New(`connecting to postgres://gridsync:` + planted + `@db.internal:5432/gridwork: ` +
		`failed to connect to "host=db.internal user=gridsync password=` + planted + ` database=gridwork": timeout`)
	if err := NotifyApply(context.Background(), f.env, ApplyOutcome{Err: applyErr, Dir: "."}); err != nil {
		t.Fatal(err)
	}
	comments := f.fake.Comments(9)
	if len(comments) != 1 {
		t.Fatalf("%d comments, want 1", len(comments))
	}
	body := comments[0].Body
	if strings.Contains(body, planted) {
		t.Errorf("the comment carries the password:\n%s", body)
	}
	for _, want := range []string{"postgres://db.internal:5432/gridwork", "password=[redacted]", "timeout"} {
		if !strings.Contains(body, want) {
			t.Errorf("comment lacks %q:\n%s", want, body)
		}
	}
	for _, r := range f.fake.Requests() {
		if strings.Contains(r.Body, planted) {
			t.Errorf("%s %s carries the password", r.Method, r.Path)
		}
	}
}
