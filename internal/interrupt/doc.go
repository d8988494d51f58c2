// Package interrupt catches SIGINT and SIGTERM from the first milliseconds
// of a gridsync process and hands them to the program as the cancellation
// of a context.
//
// Signal handling is process-wide, and an interrupt must be caught before
// gridsync can say what it did: the Go runtime's default for SIGINT and
// SIGTERM ends the process at once, silently. The heavy packages gridsync
// links (SOPS's key services, cloud SDKs) spend tens of milliseconds
// initialising before main runs. This package installs its handler while
// it is initialised, which is right after os/signal because it imports
// nothing else of weight: a signal in that window is then kept and ends
// the run as one that arrived later would.
//
// It must not import anything beyond context, os, os/signal and syscall,
// or it would be initialised later.
package interrupt
