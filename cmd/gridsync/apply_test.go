package main

import (
	"context"
	"strings"
	"testing"

	"github.com/gridwork/gridsync/internal/personio/personiosim"
	"github.com/gridwork/gridsync/internal/store"
)

// TestApplyOffTerminal: off a terminal, apply without -auto-approve fails
// at once, before Personio or the database is touched.
func TestApplyOffTerminal(t *testing.T) {
	w := newWorld(t, unitCompanies)
	out, stderr, code := w.run("apply")
	if code != 1 || out != "" || stderr != "Error: "+errNotTerminal.Error()+"\n" {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	w.untouched("apply off a terminal")
}

// TestApplyPrompt: on a terminal, apply shows the plan and asks; only
// "yes" writes, and the answer "no" says the apply was cancelled.
func TestApplyPrompt(t *testing.T) {
	yes := true
	for _, tt := range []struct {
		name    string
		answer  string
		code    int
		written int
		ending  string
	}{
		{"yes", "yes\n", 0, 1, "Apply complete! Resources: 2 added, 0 changed, 0 unlinked, 0 destroyed.\nRecorded as sync run 1.\n"},
		{"no", "no\n", 1, 0, "\nApply cancelled.\n"},
		{"end of input", "", 1, 0, "\nApply cancelled.\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, pausedCompanies)
			w.terminal = &yes
			out, stderr, code := w.runCtx(context.Background(), tt.answer, "apply")
			if code != tt.code || !strings.Contains(out, "# company.acme will be created") ||
				!strings.Contains(out, "Only 'yes' will be accepted to approve.") || !strings.HasSuffix(out, tt.ending) {
				t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
			}
			if got := len(w.store.written()); got != tt.written {
				t.Errorf("%d batches written, want %d", got, tt.written)
			}
		})
	}
}

// TestApplyNothingToDo: a plan without changes is applied (and recorded)
// without a question.
func TestApplyNothingToDo(t *testing.T) {
	yes := true
	w := newWorld(t, unitCompanies)
	w.inSync()
	w.terminal = &yes
	out, _ := w.mustRun(0, "apply")
	if strings.Contains(out, "Do you want to perform these actions?") || !strings.Contains(out, "Apply complete! Resources: 0 added") {
		t.Errorf("stdout:\n%s", out)
	}
}

// TestApplyGuard: apply refuses what the deletion guard refuses, writing
// nothing, unless -allow-mass-delete.
func TestApplyGuard(t *testing.T) {
	w := newWorld(t, unitCompanies)
	w.linkedAbsent("acme", 6)
	_, stderr, code := w.run("apply", "-auto-approve")
	if code != 1 || !strings.Contains(stderr, "Error: refusing to apply: the plan would remove or unlink 6 of 6 linked employees of company acme") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	if n := len(w.store.written()); n != 0 {
		t.Fatalf("the refused apply wrote %d batches", n)
	}
	out, _ := w.mustRun(0, "apply", "-auto-approve", "-allow-mass-delete")
	if !strings.Contains(out, "6 destroyed.") {
		t.Errorf("stdout:\n%s", out)
	}
}

// TestApplyPlanFile: a saved plan is applied as it was shown; once the
// configuration changed, it is stale and refused before Personio is read.
func TestApplyPlanFile(t *testing.T) {
	w := newWorld(t, unitCompanies)
	w.mustRun(0, "plan", "-out", "saved.plan")
	out, _ := w.mustRun(0, "-v", "apply", "saved.plan")
	if !strings.Contains(out, "Apply complete! Resources: ") {
		t.Errorf("stdout:\n%s", out)
	}
	b := w.store.written()
	if len(b) != 1 || b[0].Outcome != store.Succeeded || len(b[0].Plan.Changes) == 0 {
		t.Fatalf("written: %+v", b)
	}

	w.mustRun(0, "plan", "-out", "saved.plan")
	w.setConfig(strings.Replace(unitCompanies, "Acme GmbH", "Acme SE", 1))
	before := w.sim.Stats()
	_, stderr, code := w.run("apply", "saved.plan")
	if code != 1 || !strings.Contains(stderr, "Error: stale plan: the configuration changed since the plan was made; nothing was written.") {
		t.Errorf("stale plan: exit %d, stderr:\n%s", code, stderr)
	}
	if after := w.sim.Stats(); after.Total(personiosim.EndpointEmployees) != before.Total(personiosim.EndpointEmployees) {
		t.Errorf("the stale plan was checked against Personio: %v, then %v", before, after)
	}
	if n := len(w.store.written()); n != 1 {
		t.Errorf("%d batches written, want the first apply's alone", n)
	}
}
