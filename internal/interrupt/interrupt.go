package interrupt

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// early receives SIGINT and SIGTERM from package initialisation until
// Context takes them over. Being a package variable is the point: it is
// set up before main and everything main imports.
var early = func() chan os.Signal {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	return ch
}()

// Cause is the cause of a context cancelled by a signal.
type Cause struct{ Signal os.Signal }

func (c Cause) Error() string { return "interrupted by " + Name(c.Signal) }

// Name is a signal's conventional name: SIGINT, SIGTERM.
func Name(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return sig.String()
}

// Context returns a context that the first SIGINT or SIGTERM since the
// process started cancels, with a Cause naming the signal; a signal that
// arrived before Context was called cancels it at once. After that first
// signal the default action is back, so a second one ends the process
// immediately (the database rolls back what was not committed). stop
// releases the signals; call it once, when the program ends.
func Context() (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-early:
			signal.Stop(early)
			cancel(Cause{Signal: sig})
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(early)
		close(done)
		cancel(nil)
	}
}

// Signal returns the signal that cancelled ctx, if one did.
func Signal(ctx context.Context) (os.Signal, bool) {
	c, ok := context.Cause(ctx).(Cause) // the zero Cause when not
	return c.Signal, ok
}
