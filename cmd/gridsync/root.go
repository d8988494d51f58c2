package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gridwork/gridsync/internal/views"
)

// version is set at build time with -ldflags "-X main.version=…"; without
// it, the module version that `go install …@vX.Y.Z` recorded is used.
var version = "dev"

func buildVersion() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}

// streams are the command's standard streams, injected so tests capture them.
type streams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// globals are the options and services every command shares.
type globals struct {
	streams
	getenv func(string) string
	// factory makes the store and the Personio credentials; its zero
	// value makes the real ones.
	factory
	chdir   string // absolute once the command runs
	verbose bool
	noColor bool
	logger  *slog.Logger
	// view is what every command's view shares (streams, colour, -v).
	view *views.View
	// stdinTerminal overrides terminal detection of In (tests).
	stdinTerminal *bool

	// runID is the sync run a command wrote, and interruptHandled says
	// that the command dealt with an interrupt itself (sync -every ends on
	// one with exit 0): both for what run says after an interrupt.
	runID            int64
	interruptHandled bool
}

// setup completes g once the global flags are parsed: the factory's
// defaults, the logger (info with -v), the view, which decides colour and
// repeats -chdir as given in the commands it suggests, and -chdir made
// absolute.
func (g *globals) setup() error {
	g.defaults()
	level := slog.LevelWarn
	if g.verbose {
		level = slog.LevelInfo
	}
	g.logger = slog.New(slog.NewTextHandler(g.Err, &slog.HandlerOptions{Level: level}))
	g.view = views.New(g.Out, g.Err, views.Options{NoColor: g.noColor, Getenv: g.getenv, Verbose: g.verbose, Chdir: g.chdir})
	if g.chdir != "" {
		abs, err := filepath.Abs(g.chdir)
		if err != nil {
			return err
		}
		g.chdir = abs
	}
	return nil
}

// interactive reports whether someone can answer a prompt on In.
func (g *globals) interactive() bool {
	if g.stdinTerminal != nil {
		return *g.stdinTerminal
	}
	return views.IsTerminal(g.In)
}

// path resolves a file argument the way Terraform's -chdir does: relative
// paths are taken inside the configuration directory.
func (g *globals) path(p string) string {
	if g.chdir == "" || filepath.IsAbs(p) || p == "-" {
		return p
	}
	return filepath.Join(g.chdir, p)
}

// configDir returns the configuration directory: -chdir or the working
// directory.
func (g *globals) configDir() string { return cmp.Or(g.chdir, ".") }

func newRootCmd(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "gridsync",
		Short: "Config-as-code for Gridwork's Personio integration",
		Long: `gridsync keeps Gridwork's Personio integration in a git repository:
companies, location→office mappings and sync overrides in HCL, Personio
credentials encrypted with SOPS. "gridsync plan" shows what a sync would change
in the Gridwork database; "gridsync apply" makes it so in one transaction;
"gridsync sync" plans and applies unattended, on a schedule.

Exit codes: 0 success; 1 error; 2 plan -detailed-exitcode found changes;
3 fmt -check found files to format; 4 sync refused at least one company
and applied the rest; 130 / 143 interrupted by SIGINT / SIGTERM.`,
		Version:       buildVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return g.setup()
		},
	}
	root.PersistentFlags().StringVar(&g.chdir, "chdir", "", "configuration directory (default: the working directory)")
	root.PersistentFlags().BoolVarP(&g.verbose, "verbose", "v", false, "log progress and timings to stderr")
	root.PersistentFlags().BoolVar(&g.noColor, "no-color", false, "never colour output (also NO_COLOR)")
	root.SetVersionTemplate("gridsync {{.Version}}\n")
	root.SetFlagErrorFunc(flagError)

	root.AddCommand(
		newValidateCmd(g),
		newFmtCmd(g),
		newCredsCmd(g),
		newPlanCmd(g),
		newApplyCmd(g),
		newSyncCmd(g),
		newShowCmd(g),
		newStatusCmd(g),
		newHistoryCmd(g),
		newMigrateCmd(g),
		newGitHubCmd(g),
		newOfficesCmd(g),
		newExplainCmd(g),
		newVersionCmd(),
	)
	return root
}

// runs is the RunE of a command whose run function works from its options
// alone (o, which its flags fill in).
func runs[O any](g *globals, o *O, run func(context.Context, *globals, *O) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, _ []string) error { return run(cmd.Context(), g, o) }
}

// flagError words cobra's flag errors the way the user typed the flag (one
// dash: normalizeArgs added the second) and points at the command's help.
func flagError(cmd *cobra.Command, err error) error {
	msg := strings.NewReplacer(" --", " -", `"--`, `"-`).Replace(err.Error())
	return fmt.Errorf("%s; see %q", msg, cmd.CommandPath()+" -h")
}

// normalizeArgs lets users write Terraform-style single-dash long flags
// (-chdir DIR, -auto-approve, -out=FILE) as DESIGN.md promises, by turning
// them into the double-dash form cobra parses. "-v", "-" and negative
// numbers stay as they are; everything after "--" is left alone.
func normalizeArgs(args []string) []string {
	out := make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		// A negative number (-limit -10) is a value, not a flag.
		if len(a) > 2 && a[0] == '-' && a[1] != '-' && (a[1] < '0' || a[1] > '9') {
			if name, _, _ := strings.Cut(a[1:], "="); len(name) > 1 {
				a = "-" + a
			}
		}
		out = append(out, a)
	}
	return out
}
