package main

import (
	"context"
	"syscall"

	"github.com/gridwork/gridsync/internal/interrupt"
)

// Exit codes of an interrupted gridsync, as other command-line tools use
// them: 128 plus the signal number.
const (
	exitSIGINT  = 130
	exitSIGTERM = 143
)

// interrupted reports whether ctx ended by an interrupt, and the exit code
// that goes with it: 143 for SIGTERM, 130 for SIGINT or any other
// cancellation (tests cancel without a signal).
func interrupted(ctx context.Context) (int, bool) {
	if ctx.Err() == nil {
		return 0, false
	}
	if sig, ok := interrupt.Signal(ctx); ok && sig == syscall.SIGTERM {
		return exitSIGTERM, true
	}
	return exitSIGINT, true
}
