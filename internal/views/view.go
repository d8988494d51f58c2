package views

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"golang.org/x/term"

	"github.com/gridwork/gridsync/config"
)

// Options are the global flags and environment a View follows.
type Options struct {
	NoColor bool                // -no-color
	Getenv  func(string) string // reads NO_COLOR; nil reads nothing
	Verbose bool                // -v: timings on stderr
	// Chdir is -chdir as the user gave it, repeated in the commands a
	// view suggests; "" without -chdir.
	Chdir string
}

// View is what the view of every command shares.
type View struct {
	stdout, stderr io.Writer
	// color and colorErr say whether stdout and stderr may carry ANSI
	// colour; outTerminal whether stdout is a terminal at all.
	color, colorErr, outTerminal bool
	verbose                      bool
	chdir                        string
}

// New returns the View for out and err. This is where colour is decided:
// a stream is coloured when it is a terminal, unless -no-color or the
// NO_COLOR environment variable says otherwise.
func New(out, err io.Writer, o Options) *View { return newView(out, err, o, IsTerminal) }

// newView is New with terminal detection given (tests).
func newView(out, err io.Writer, o Options, terminal func(any) bool) *View {
	noColor := o.NoColor || (o.Getenv != nil && o.Getenv("NO_COLOR") != "")
	v := &View{stdout: out, stderr: err, outTerminal: terminal(out), verbose: o.Verbose, chdir: o.Chdir}
	v.color = v.outTerminal && !noColor
	v.colorErr = terminal(err) && !noColor
	return v
}

// IsTerminal reports whether f (a stream) is an interactive terminal.
func IsTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}

// Diagnostics writes configuration problems on stderr, with the lines of
// the files they point at.
func (v *View) Diagnostics(files map[string]*hcl.File, diags hcl.Diagnostics) error {
	if err := config.WriteDiagnostics(v.stderr, files, diags, v.colorErr); err != nil {
		return fmt.Errorf("writing diagnostics: %w", err)
	}
	return nil
}

// Timings shows the phases of a run on stderr, with -v only.
func (v *View) Timings(t string) {
	if v.verbose {
		fmt.Fprintf(v.stderr, "timings: %s\n", t)
	}
}

// Waiting says on stderr that a writer waits for the apply lock, how long
// at most, and for whom (holder: ", held by …").
func (v *View) Waiting(holder string, wait time.Duration) {
	fmt.Fprintf(v.stderr, "Waiting up to %s for the apply lock%s…\n", wait, holder)
}

// Command writes a gridsync command to suggest: the verb, -chdir as the
// user gave it, then args (already quoted where needed).
func (v *View) Command(verb, args string) string {
	s := "gridsync " + verb
	if v.chdir != "" {
		s += " -chdir " + shellQuote(v.chdir)
	}
	if args != "" {
		s += " " + args
	}
	return s
}

// shellQuote quotes s for a POSIX shell unless it is made only of
// characters that need no quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-+:@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// paint wraps s in the ANSI colour sgr (such as "1" bold, "32" green)
// when stdout is coloured. The plan's text has colours of its own (plan).
func (v *View) paint(sgr, s string) string {
	if !v.color {
		return s
	}
	return "\x1b[" + sgr + "m" + s + "\x1b[0m"
}

// writeJSON writes doc indented, as every -json document is, with <, >
// and & as they are (job descriptions are HTML; the plan's JSON keeps them
// too).
func writeJSON(w io.Writer, doc any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

// position is where a range starts, as file:line.
func position(r hcl.Range) string {
	return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line)
}
