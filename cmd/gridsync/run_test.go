package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestRunFunctions: each command's run function works from its options
// alone, without the flag layer, and says its exit code in the error it
// returns (nil for 0).
func TestRunFunctions(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name     string
		refusals int // linked employees of acme that Personio lacks
		run      func(g *globals) error
		code     int
		stdout   string
	}{
		{"plan", 0, func(g *globals) error { return runPlan(ctx, g, &planOptions{}) }, 0, "Plan: "},
		{"plan -detailed-exitcode", 0, func(g *globals) error { return runPlan(ctx, g, &planOptions{detailedExitcode: true}) }, 2, "Plan: "},
		{"apply -auto-approve", 0, func(g *globals) error { return runApply(ctx, g, &applyOptions{autoApprove: true}) }, 0, "Apply complete!"},
		{"apply refused", 6, func(g *globals) error { return runApply(ctx, g, &applyOptions{autoApprove: true}) }, 1, "6 to destroy."},
		{"sync", 0, func(g *globals) error { return runSync(ctx, g, &syncOptions{lockTimeout: time.Minute}) }, 0, "Sync complete!"},
		{"sync refused", 6, func(g *globals) error { return runSync(ctx, g, &syncOptions{lockTimeout: time.Minute}) }, exitRefused, "Sync complete, except for acme"},
		{"status", 0, func(g *globals) error { return runStatus(ctx, g, &statusOptions{json: true}) }, 0, `"companies": []`},
		{"history", 0, func(g *globals) error { return runHistory(ctx, g, &historyOptions{limit: 5}) }, 0, "No sync runs yet."},
		{"offices -json", 0, func(g *globals) error { return runOffices(ctx, g, &officesOptions{json: true}) }, 0, `"format_version": "1"`},
		{"explain", 0, func(g *globals) error { return runExplain(ctx, g, &explainOptions{what: "employee", id: "1"}) }, 0, "Address: employee.acme[1]."},
		{"explain unknown", 0, func(g *globals) error { return runExplain(ctx, g, &explainOptions{what: "employee", id: "4242"}) }, 1, "Personio has no employee 4242."},
		{"creds validate", 0, func(g *globals) error { return runCredsValidate(ctx, g) }, 0, "Personio is ready"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, unitCompanies)
			w.linkedAbsent("acme", tt.refusals)
			var out, errb bytes.Buffer
			err := tt.run(w.direct(&out, &errb))
			if code := exitCodeOf(err); code != tt.code || !strings.Contains(out.String(), tt.stdout) {
				t.Errorf("exit %d (%v), want %d\nstdout:\n%s\nstderr:\n%s", code, err, tt.code, out.String(), errb.String())
			}
		})
	}
}

// exitCodeOf is the exit code run gives err.
func exitCodeOf(err error) int {
	var ec *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ec):
		return ec.code
	}
	return 1
}
