package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes of an interrupted gridsync, as other command-line tools use
// them: 128 plus the signal number.
const (
	exitSIGINT  = 130
	exitSIGTERM = 143
)

// interruptSignal is the cause of a context cancelled by a signal.
type interruptSignal struct{ sig os.Signal }

func (s interruptSignal) Error() string { return "interrupted by " + s.sig.String() }

// signalContext returns a context that the first SIGINT or SIGTERM cancels,
// with the signal as its cause. After the first signal the default action
// is back, so a second one ends gridsync at once (the database rolls back
// whatever was not committed).
func signalContext() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			signal.Stop(ch)
			cancel(interruptSignal{sig})
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}

// interrupted reports whether ctx ended by an interrupt, and the exit code
// that goes with it: 143 for SIGTERM, 130 for SIGINT or any other
// cancellation (tests cancel without a signal).
func interrupted(ctx context.Context) (int, bool) {
	if ctx.Err() == nil {
		return 0, false
	}
	if s, ok := context.Cause(ctx).(interruptSignal); ok && s.sig == syscall.SIGTERM {
		return exitSIGTERM, true
	}
	return exitSIGINT, true
}
