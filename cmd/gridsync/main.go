// Command gridsync is config-as-code for Gridwork's Personio integration.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"

	"github.com/gridwork/gridsync/internal/engine"
	"github.com/gridwork/gridsync/internal/interrupt"
	"github.com/gridwork/gridsync/internal/store"
)

func main() {
	// Package interrupt caught signals since before main; an interrupt in
	// the first milliseconds ends gridsync like any other.
	ctx, stop := interrupt.Context()
	code := run(ctx, os.Args[1:], streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.Getenv)
	stop()
	os.Exit(code)
}

// run executes gridsync with args and returns the process exit code. It is
// the whole program minus os.Exit, so tests can drive it end to end.
func run(ctx context.Context, args []string, s streams, getenv func(string) string) int {
	return runGlobals(ctx, &globals{streams: s, getenv: getenv}, args)
}

// runGlobals is run with the globals given, so that tests can set what
// has no flag (how patient the Personio client is).
func runGlobals(ctx context.Context, g *globals, args []string) int {
	root := newRootCmd(g)
	root.SetArgs(normalizeArgs(args))
	root.SetIn(g.In)
	root.SetOut(g.Out)
	root.SetErr(g.Err)
	err := root.ExecuteContext(ctx)
	if code := interruptCode(ctx); code != 0 && !g.interruptHandled {
		fmt.Fprintf(g.Err, "Error: %s\n", interruptMessage(g, err))
		return code
	}
	if err == nil {
		return 0
	}
	code := 1
	var ec *exitError
	if errors.As(err, &ec) {
		code, err = ec.code, ec.err
	}
	if err != nil {
		fmt.Fprintf(g.Err, "Error: %v\n", err)
	}
	return code
}

// interruptMessage says what an interrupted command wrote: nothing, or all
// of it (the transaction commits whole or not at all).
func interruptMessage(g *globals, err error) string {
	var rec *engine.RecordedError
	switch {
	case err == nil && g.runID != 0:
		return fmt.Sprintf("interrupted after the apply had finished: everything was written (sync run %d)", g.runID)
	case err == nil:
		return "interrupted after gridsync had finished its work"
	case errors.Is(err, store.ErrCommitUnknown):
		return "interrupted while committing: " + err.Error()
	case errors.As(err, &rec):
		return fmt.Sprintf("interrupted: nothing was written (recorded as failed sync run %d)", rec.RunID)
	}
	return "interrupted: nothing was written"
}

// exitError carries a specific exit code. A nil err means the command has
// already said everything it needs to (for example diagnostics), which is
// what its message says where one is needed (sync -every's log line).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return "see the messages above"
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// exitCode returns an error that makes gridsync exit with code without
// printing anything more.
func exitCode(code int) error { return &exitError{code: code} }

// Exit codes of an interrupted gridsync, as other command-line tools use
// them: 128 plus the signal number.
const (
	exitSIGINT  = 130
	exitSIGTERM = 143
)

// interruptCode is 0 unless ctx ended by an interrupt, and then the exit
// code that goes with it: 143 for SIGTERM, 130 for SIGINT or any other
// cancellation (tests cancel without a signal).
func interruptCode(ctx context.Context) int {
	sig, _ := interrupt.Signal(ctx)
	switch {
	case ctx.Err() == nil:
		return 0
	case sig == syscall.SIGTERM:
		return exitSIGTERM
	}
	return exitSIGINT
}
