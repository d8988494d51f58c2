// Command gridsync is config-as-code for Gridwork's Personio integration.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.Getenv)
	stop()
	os.Exit(code)
}

// run executes gridsync with args and returns the process exit code. It is
// the whole program minus os.Exit, so tests can drive it end to end.
func run(ctx context.Context, args []string, s streams, getenv func(string) string) int {
	g := &globals{streams: s, getenv: getenv}
	root := newRootCmd(g)
	root.SetArgs(normalizeArgs(args))
	root.SetIn(s.In)
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ec *exitError
	if errors.As(err, &ec) {
		if ec.err != nil {
			fmt.Fprintf(s.Err, "Error: %v\n", ec.err)
		}
		return ec.code
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		// Ctrl-C or SIGTERM: say so rather than "context canceled".
		fmt.Fprintf(s.Err, "Error: interrupted (%v)\n", err)
		return 1
	}
	fmt.Fprintf(s.Err, "Error: %v\n", err)
	return 1
}

// exitError carries a specific exit code. A nil err means the command has
// already said everything it needs to (for example diagnostics).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// exitCode returns an error that makes gridsync exit with code without
// printing anything more.
func exitCode(code int) error { return &exitError{code: code} }
