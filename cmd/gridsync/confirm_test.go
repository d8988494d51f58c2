package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gridwork/gridsync/internal/views"
)

func TestConfirm(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name     string
		terminal *bool
		input    string
		want     error // nil: approved
	}{
		{"yes", &yes, "yes\n", nil},
		{"yes with spaces", &yes, "  yes  \n", nil},
		{"anything else", &yes, "y\n", errApplyCancelled},
		{"end of input", &yes, "", errApplyCancelled},
		{"not a terminal", &no, "yes\n", errNotTerminal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			g := &globals{streams: streams{In: strings.NewReader(tt.input), Out: &out}, stdinTerminal: tt.terminal}
			err := confirm(context.Background(), g, views.NewApply(views.New(&out, io.Discard, views.Options{})))
			if err != tt.want {
				t.Errorf("confirm = %v; want %v", err, tt.want)
			}
			if tt.want != errNotTerminal && !strings.Contains(out.String(), "Only 'yes' will be accepted to approve.") {
				t.Errorf("prompt missing: %q", out.String())
			}
		})
	}
}

// TestConfirmCancelled checks that Ctrl-C (a cancelled context) ends the
// prompt without waiting for a line that never comes.
func TestConfirmCancelled(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	yes := true
	g := &globals{streams: streams{In: pr, Out: io.Discard}, stdinTerminal: &yes}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- confirm(ctx, g, views.NewApply(views.New(io.Discard, io.Discard, views.Options{})))
	}()
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a cancelled prompt approved the apply")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the prompt kept waiting for input after the context was cancelled")
	}
}
