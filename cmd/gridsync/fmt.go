package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
	"github.com/google/renameio/v2"
	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/gridwork/gridsync/config"
)

// fmtOptions are the flags of `gridsync fmt`, named as in terraform fmt.
type fmtOptions struct {
	list      bool
	write     bool
	diff      bool
	check     bool
	recursive bool
}

func newFmtCmd(g *globals) *cobra.Command {
	opts := fmtOptions{list: true, write: true}
	cmd := &cobra.Command{
		Use:   "fmt [-check] [-diff] [-write=false] [-list=false] [-recursive] [DIR or FILE or -]...",
		Short: "Rewrite configuration files in the canonical format",
		Long: `Fmt rewrites *.hcl files in the canonical layout, like terraform fmt: aligned
equals signs, two-space indentation. It changes layout only, never meaning.

Without arguments it formats the configuration directory (-chdir, or the working
directory). Arguments name directories (their *.hcl files; subdirectories too
with -recursive, skipping hidden ones) or files; relative paths are taken from
the configuration directory. "-" formats standard input to standard output.

It prints the name of each file it changes. A file with syntax errors is
reported and left untouched; the other files are still formatted.

Exit status: 0 on success, 1 if any file could not be read, parsed or written,
3 with -check when some file is not formatted (nothing is written).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runFmt(g, opts, args)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.list, "list", true, "print the names of files whose formatting differs")
	f.BoolVar(&opts.write, "write", true, "write the result back to the source file")
	f.BoolVar(&opts.diff, "diff", false, "print a unified diff of the formatting changes")
	f.BoolVar(&opts.check, "check", false, "exit with status 3 if any file is not formatted; write nothing")
	f.BoolVar(&opts.recursive, "recursive", false, "also format files in subdirectories")
	return cmd
}

// formatter formats one fmt invocation's files and remembers the outcome.
type formatter struct {
	g       *globals
	opts    fmtOptions
	changed bool // some file's formatting differs
	failed  bool // some file could not be processed
}

func runFmt(g *globals, opts fmtOptions, args []string) error {
	if opts.check {
		opts.write = false
	}
	if len(args) == 0 {
		args = []string{"."}
	}
	f := &formatter{g: g, opts: opts}
	for _, arg := range args {
		f.path(arg)
	}
	switch {
	case f.failed:
		return exitCode(1)
	case opts.check && f.changed:
		return exitCode(3)
	}
	return nil
}

// path formats the file or directory named by arg, or standard input for
// "-"; names are printed as the user wrote them.
func (f *formatter) path(arg string) {
	if arg == "-" {
		f.file("<stdin>", "")
		return
	}
	real := f.g.path(arg)
	info, err := os.Stat(real)
	if err != nil {
		f.fail(fmt.Errorf("cannot format %s: %w", arg, err))
		return
	}
	if !info.IsDir() {
		f.file(arg, real)
		return
	}
	err = filepath.WalkDir(real, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			f.fail(fmt.Errorf("cannot read %s: %w", p, err))
			return nil
		}
		if d.IsDir() {
			if p != real && (!f.opts.recursive || config.HiddenName(d.Name())) {
				return filepath.SkipDir
			}
			return nil
		}
		if !config.IsConfigFile(d.Name()) {
			return nil
		}
		rel, err := filepath.Rel(real, p)
		if err != nil {
			return err
		}
		f.file(filepath.Join(arg, rel), p)
		return nil
	})
	if err != nil {
		f.fail(fmt.Errorf("cannot read %s: %w", arg, err))
	}
}

// file formats one file, or standard input when real is ""; name is what
// is printed, real where it lives. Standard input's result goes to
// standard output unless -check or -diff asks only for the verdict or the
// diff.
func (f *formatter) file(name, real string) {
	stdin, what := real == "", name
	var src []byte
	var err error
	if stdin {
		what = "standard input"
		src, err = io.ReadAll(f.g.In)
	} else {
		src, err = os.ReadFile(real)
	}
	if err != nil {
		f.fail(fmt.Errorf("cannot read %s: %w", what, err))
		return
	}
	out, diags := config.Format(src, name)
	if diags.HasErrors() {
		// Reported with a source snippet.
		if err := f.g.view.Diagnostics(map[string]*hcl.File{name: {Bytes: src}}, diags); err != nil {
			f.g.logger.Warn("cannot write diagnostics", "err", err)
		}
		f.failed = true
		return
	}
	changed := !bytes.Equal(src, out)
	f.changed = f.changed || changed
	if changed && !stdin {
		if f.opts.list {
			fmt.Fprintln(f.g.Out, name)
		}
		if f.opts.write {
			// Atomically, keeping the file's permissions: an interrupted
			// fmt -write leaves the old file or the new one, never half of
			// one. A symbolic link is followed, not replaced.
			target, err := filepath.EvalSymlinks(real)
			if err == nil {
				err = renameio.WriteFile(target, out, 0o644, renameio.WithExistingPermissions())
			}
			if err != nil {
				f.fail(fmt.Errorf("cannot write %s: %w", name, err))
				return
			}
		}
	}
	if changed && f.opts.diff {
		// Like git, prefix the names with old/ and new/; an absolute path
		// keeps a single slash after the prefix.
		label := strings.TrimPrefix(filepath.ToSlash(name), "/")
		fmt.Fprint(f.g.Out, udiff.Unified("old/"+label, "new/"+label, string(src), string(out)))
	}
	if stdin && !f.opts.check && !f.opts.diff {
		if _, err := f.g.Out.Write(out); err != nil {
			f.fail(fmt.Errorf("cannot write standard output: %w", err))
		}
	}
}

func (f *formatter) fail(err error) {
	fmt.Fprintf(f.g.Err, "Error: %v\n", err)
	f.failed = true
}
