package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gridwork/gridsync/internal/interrupt"
	"github.com/gridwork/gridsync/internal/store"
)

// twoCompanies adds globex, mapping Munich, to unitCompanies.
const twoCompanies = unitCompanies + `
company "globex" {
  name = "Globex AG"

  location "munich" {
    name   = "Munich"
    office = "Munich"
  }
}
`

// TestSyncApplies: sync applies without a prompt, says what it did and
// under which run; with -v, the run's log line follows.
func TestSyncApplies(t *testing.T) {
	w := newWorld(t, unitCompanies)
	out, stderr := w.mustRun(0, "-v", "sync")
	if !strings.Contains(out, "# company.acme will be created") || !strings.Contains(out, "\nSync complete! Resources: ") || !strings.HasSuffix(out, "\nRecorded as sync run 1.\n") {
		t.Errorf("stdout:\n%s", out)
	}
	if !strings.Contains(stderr, `level=INFO msg="sync run" outcome=succeeded`) || !strings.Contains(stderr, "run=1") || !strings.Contains(stderr, `companies.acme="`) {
		t.Errorf("stderr:\n%s", stderr)
	}
	if b := w.store.written(); len(b) != 1 || b[0].Outcome != store.Succeeded {
		t.Errorf("written: %+v", b)
	}
}

// TestSyncRefusal: a company the deletion guard refuses is left out and
// explained on stderr with the commands to proceed; the others are
// applied, and sync exits 4.
func TestSyncRefusal(t *testing.T) {
	w := newWorld(t, twoCompanies)
	w.linkedAbsent("acme", 6)
	out, stderr := w.mustRun(exitRefused, "sync")
	if !strings.Contains(out, "\nSync complete, except for acme (refused, see below)! Resources: ") || !strings.Contains(out, "# company.globex will be created") {
		t.Errorf("stdout:\n%s", out)
	}
	for _, want := range []string{
		"\nRefused company acme (deletion guard): nothing of it was written.\n",
		"  Why: the plan would remove or unlink 6 of 6 linked employees (at most 5 allowed).\n",
		"  It would have made: ",
		"    gridsync plan -chdir " + w.dir + " -company acme -out acme.plan\n",
		"    gridsync apply -chdir " + w.dir + " -allow-mass-delete acme.plan\n",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	b := w.store.written()
	if len(b) != 1 || b[0].Outcome != store.Refused {
		t.Fatalf("written: %+v", b)
	}
	for _, c := range b[0].Plan.Changes {
		if c.Company == "acme" {
			t.Errorf("the refused company's change %s was written", c.Address)
		}
	}
}

// TestSyncFlags: flag values that cannot work are refused before anything
// is read.
func TestSyncFlags(t *testing.T) {
	w := newWorld(t, unitCompanies)
	_, stderr, code := w.run("sync", "-every", "-1m")
	if code != 1 || stderr != "Error: -every must be a positive duration such as 30m, not -1m0s\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	_, stderr, code = w.run("sync", "-allow-mass-delete")
	if code != 1 || !strings.Contains(stderr, "unknown flag: -allow-mass-delete") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	w.untouched("sync with a bad flag")
}

// TestSyncEveryUnknownCompany: -every with a -company no block has ends at
// once, like an invalid configuration: no run could ever sync it, and a
// loop would only log the typo every tick. It opens nothing.
func TestSyncEveryUnknownCompany(t *testing.T) {
	w := newWorld(t, unitCompanies)
	// A loop that does not end is stopped after a while, so that the test
	// fails instead of hanging.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, stderr, code := w.runCtx(ctx, "", "sync", "-every", "1h", "-company", "acne")
	if code != 1 || !strings.Contains(stderr, `Unknown company "acne" in -company`) || !strings.Contains(stderr, "closest first: acme") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	w.untouched("sync -every with an unknown company")
}

// TestSyncFailure: a run that fails is recorded as failed and says so.
func TestSyncFailure(t *testing.T) {
	w := newWorld(t, unitCompanies)
	w.secret = "wrong"
	out, stderr, code := w.run("sync")
	if code != 1 || out != "" || !strings.Contains(stderr, "(recorded as sync run 1)") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	if len(w.store.failures) != 1 || len(w.store.written()) != 0 {
		t.Errorf("failures %v, batches %d", w.store.failures, len(w.store.written()))
	}
}

// TestSyncInterrupted: an interrupted sync exits 130 (SIGINT) or 143
// (SIGTERM) and says what it wrote: nothing, or everything once the write
// had committed. The sync log (status, history, the sync issue) says the
// same of a run cut short, naming the signal.
func TestSyncInterrupted(t *testing.T) {
	for _, tt := range []struct {
		name     string
		sig      os.Signal
		inCommit bool
		code     int
		message  string
		recorded string // the failure in the sync log, "" when none
	}{
		{"before", syscall.SIGTERM, false, exitSIGTERM, "Error: interrupted: nothing was written (recorded as failed sync run 1)\n", "interrupted by SIGTERM: nothing was written ("},
		{"after the commit", os.Interrupt, true, exitSIGINT, "Error: interrupted after the apply had finished: everything was written (sync run 1)\n", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, unitCompanies)
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			if tt.inCommit {
				w.store.afterWrite = func() { cancel(interrupt.Cause{Signal: tt.sig}) }
			} else {
				cancel(interrupt.Cause{Signal: tt.sig})
			}
			_, stderr, code := w.runCtx(ctx, "", "sync")
			if code != tt.code || !strings.HasSuffix(stderr, tt.message) {
				t.Errorf("exit %d, stderr:\n%s\nwant %d and %q", code, stderr, tt.code, tt.message)
			}
			switch f := w.store.failures; {
			case tt.recorded == "" && len(f) != 0:
				t.Errorf("failures recorded: %v", f)
			case tt.recorded != "" && (len(f) != 1 || !strings.HasPrefix(f[0].Error(), tt.recorded)):
				t.Errorf("failures recorded: %v, want one starting %q", f, tt.recorded)
			}
		})
	}
}

// TestSyncEvery: sync -every runs until interrupted, prints no plan, logs
// each run, and ends with exit 0.
func TestSyncEvery(t *testing.T) {
	w := newWorld(t, twoCompanies)
	w.linkedAbsent("acme", 6)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	w.store.afterWrite = func() { cancel(interrupt.Cause{Signal: syscall.SIGTERM}) }
	out, stderr, code := w.runCtx(ctx, "", "sync", "-every", "1h")
	if code != 0 || out != "" {
		t.Errorf("exit %d\nstdout:\n%s", code, out)
	}
	for _, want := range []string{
		`level=INFO msg="syncing on a schedule" every=1h0m0s dir=` + w.dir,
		"\nRefused company acme (deletion guard)",
		`level=WARN msg="sync run" outcome=refused`,
		`companies.acme=refused companies.globex="`,
		`level=INFO msg=stopped reason=`,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// TestSyncRunStartsBeforePersonio: the sync log stamps a run with when it
// began, before Personio was read, whether the run wrote or failed and for
// a saved plan's apply too (it once took the time the write began, or the
// failure was recorded).
func TestSyncRunStartsBeforePersonio(t *testing.T) {
	w := newWorld(t, unitCompanies)
	var mu sync.Mutex
	var firstRequest time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if firstRequest.IsZero() {
			firstRequest = time.Now()
		}
		mu.Unlock()
		w.sim.ServeHTTP(rw, r)
	}))
	t.Cleanup(srv.Close)
	w.url = srv.URL
	w.setConfig(unitCompanies)

	planFile := filepath.Join(w.dir, "saved.plan")
	w.mustRun(0, "plan", "-out", planFile)
	for _, tt := range []struct {
		name   string
		secret string
		args   []string
		code   int
	}{
		{"apply PLANFILE", "", []string{"apply", planFile}, 0}, // it reads Personio again before writing
		{"succeeded", "", []string{"sync"}, 0},
		{"failed", "wrong", []string{"sync"}, 1},
	} {
		mu.Lock()
		firstRequest = time.Time{}
		mu.Unlock()
		w.secret = tt.secret
		before := time.Now()
		if _, stderr, code := w.run(tt.args...); code != tt.code {
			t.Fatalf("%s: exit %d\n%s", tt.name, code, stderr)
		}
		started := w.store.started[len(w.store.started)-1]
		if started.Before(before) || started.After(firstRequest) {
			t.Errorf("%s: run stamped %s; the command began at %s and first asked Personio at %s", tt.name,
				started.Format(time.StampMicro), before.Format(time.StampMicro), firstRequest.Format(time.StampMicro))
		}
	}
}
