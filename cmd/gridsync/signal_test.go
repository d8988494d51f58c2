//go:build unix

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gridwork/gridsync/internal/personio/personiosim"
)

// buildGridsync builds the gridsync binary for tests that need a real
// process (signals).
func buildGridsync(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gridsync")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestSignalExitCodes interrupts a real `gridsync sync` with SIGINT and
// SIGTERM at moments from its first milliseconds to the middle of its
// write. It must exit 130 or 143 and say what was written (nothing, or
// everything, as the transaction commits whole or not at all), and the
// database must hold all of the sync or none of it. Only a signal that
// arrives while the Go runtime itself starts, before any package of
// gridsync runs, ends the process by the signal's default action (a shell
// reports that as 130 or 143 too); when that window ends depends on the
// machine's load, so the test asks only that every signal was caught in
// some of its runs (package interrupt's own test covers the earliest
// moment it can be).
func TestSignalExitCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds gridsync")
	}
	bin := buildGridsync(t)
	h := newE2E(t, e2eOptions{Employees: 3000})
	// Personio's pace is lifted and its pages slowed a little, so that the
	// run is short enough for a test and the read and the write each take
	// a good part of it.
	cfg, err := os.ReadFile(filepath.Join(h.dir, "gridsync.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	cfg = bytes.Replace(cfg, []byte("\n  sync {"), []byte("\n  requests_per_minute = 600000\n  burst               = 1000\n\n  sync {"), 1)
	if err := os.WriteFile(filepath.Join(h.dir, "gridsync.hcl"), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	h.sim.SetFaults(personiosim.Faults{Latency: 5 * time.Millisecond})
	env := os.Environ()
	for k, v := range h.env {
		env = append(env, k+"="+v)
	}
	reset := func() {
		t.Helper()
		ctx := context.Background()
		tx, err := h.db.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		if _, err := tx.Exec(ctx, "set local gridsync.writer = 'on'"); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, "truncate companies, locations, employees, jobs, sync_runs, sync_changes, company_sync, sync_status, sync_lock_holders cascade"); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}

	signals := []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, exitSIGINT}, {syscall.SIGTERM, exitSIGTERM}}
	// An undisturbed sync first, to time one.
	reset()
	start := time.Now()
	cmd := exec.Command(bin, "sync", "-chdir", h.dir)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sync: %v\n%s", err, out)
	}
	took := time.Since(start)
	delays := []time.Duration{0, time.Millisecond, 3 * time.Millisecond, 10 * time.Millisecond}
	for _, share := range []float64{0.2, 0.4, 0.6, 0.75, 0.9, 1.1} {
		delays = append(delays, time.Duration(share*float64(took)))
	}
	var byOutcome = map[string]int{}
	caught := map[syscall.Signal]int{}
	for _, s := range signals {
		for _, delay := range delays {
			name := fmt.Sprintf("%s after %s", s.sig, delay)
			t.Run(name, func(t *testing.T) {
				reset()
				var stdout, stderr bytes.Buffer
				cmd := exec.Command(bin, "sync", "-chdir", h.dir)
				cmd.Env, cmd.Stdout, cmd.Stderr = env, &stdout, &stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				time.Sleep(delay)
				if err := cmd.Process.Signal(s.sig); err != nil {
					t.Fatal(err)
				}
				_ = cmd.Wait()
				ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
				last := lastLine(stderr.String())
				switch {
				case ws.Signaled():
					if ws.Signal() != s.sig {
						t.Errorf("killed by %s, want %s", ws.Signal(), s.sig)
					}
					byOutcome["killed during runtime start"]++
				case ws.ExitStatus() == 0 && strings.Contains(stdout.String(), "\nSync complete! "):
					// The process had ended before the signal came.
					byOutcome["finished before the signal"]++
				case ws.ExitStatus() != s.code:
					t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", ws.ExitStatus(), s.code, stdout.String(), stderr.String())
				case strings.HasPrefix(last, "Error: interrupted: nothing was written"):
					byOutcome["nothing written"]++
					caught[s.sig]++
				case strings.HasPrefix(last, "Error: interrupted after the apply had finished: everything was written (sync run "):
					byOutcome["everything written"]++
					caught[s.sig]++
				case strings.HasPrefix(last, "Error: interrupted while committing: "):
					byOutcome["commit unknown"]++
					caught[s.sig]++
				default:
					t.Errorf("exit %d, the last line does not say what was written: %q\nstderr:\n%s", ws.ExitStatus(), last, stderr.String())
				}
				// All of the sync or none of it.
				h.assertWholeRuns()
				if h.count("select count(*) from sync_runs where outcome = 'succeeded'") == 0 {
					if n := h.count("select (select count(*) from companies) + (select count(*) from employees) + (select count(*) from jobs)"); n != 0 {
						t.Errorf("%d rows written by a sync that did not succeed", n)
					}
				} else {
					h.assertState(e2eMapping())
				}
			})
		}
	}
	for _, s := range signals {
		if caught[s.sig] == 0 {
			t.Errorf("gridsync caught %s in none of its runs", s.sig)
		}
	}
	t.Logf("outcomes of %d interrupted syncs (an undisturbed one took %s): %v", len(signals)*len(delays), took.Round(time.Millisecond), byOutcome)
}

func lastLine(s string) string {
	s = strings.TrimRight(s, "\n")
	return s[strings.LastIndexByte(s, '\n')+1:]
}
