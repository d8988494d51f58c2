//go:build unix

package interrupt

import (
	"os"
	"syscall"
	"testing"
	"time"
)

// TestSignalBeforeContext: a signal that arrives before Context is called
// (in the first milliseconds of a process) is kept and cancels the context
// at once, naming the signal. It is the only test here that signals: after
// the first signal the default action is back.
func TestSignalBeforeContext(t *testing.T) {
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Delivery is asynchronous; the handler installed at initialisation
	// keeps the signal until Context takes it.
	time.Sleep(50 * time.Millisecond)
	ctx, stop := Context()
	defer stop()
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the context was not cancelled by the early signal")
	}
	sig, ok := Signal(ctx)
	if !ok || sig != syscall.SIGTERM {
		t.Fatalf("Signal = %v, %v; want SIGTERM", sig, ok)
	}
	if got := ctx.Err(); got == nil {
		t.Error("ctx.Err() is nil")
	}
}

func TestName(t *testing.T) {
	for sig, want := range map[os.Signal]string{os.Interrupt: "SIGINT", syscall.SIGTERM: "SIGTERM", syscall.SIGHUP: "hangup"} {
		if got := Name(sig); got != want {
			t.Errorf("Name(%v) = %q, want %q", sig, got, want)
		}
	}
	if got := (Cause{Signal: syscall.SIGTERM}).Error(); got != "interrupted by SIGTERM" {
		t.Errorf("Cause.Error() = %q", got)
	}
}
