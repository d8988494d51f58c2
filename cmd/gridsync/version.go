package main

import (
	"cmp"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print gridsync's version, the Go version and the module version it was built from",
		Long: `Version prints what "gridsync --version" says, then the Go version and
platform gridsync was built with and the module version from its build
information (what "go install …@VERSION" recorded; "(devel)" for a build from
a checkout), with the commit when the build recorded one.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			bi, _ := debug.ReadBuildInfo()
			writeVersion(cmd.OutOrStdout(), bi)
			return nil
		},
	}
}

// writeVersion prints the version lines; bi may be nil (a binary built
// without module support).
func writeVersion(w io.Writer, bi *debug.BuildInfo) {
	fmt.Fprintf(w, "gridsync %s\n", buildVersion())
	fmt.Fprintf(w, "go:     %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if bi == nil {
		fmt.Fprintln(w, "module: unknown (built without module information)")
		return
	}
	fmt.Fprintf(w, "module: %s %s\n", bi.Main.Path, cmp.Or(bi.Main.Version, "(devel)"))
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		if settings["vcs.modified"] == "true" {
			rev += " (with uncommitted changes)"
		}
		fmt.Fprintf(w, "commit: %s\n", rev)
	}
}
