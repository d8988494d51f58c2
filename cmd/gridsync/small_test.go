package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"

	"github.com/gridwork/gridsync/internal/engine"
	"github.com/gridwork/gridsync/internal/interrupt"
	"github.com/gridwork/gridsync/internal/store"
)

// TestVersion: `gridsync version` says what --version says, then the Go
// version and the module version from the build information.
func TestVersion(t *testing.T) {
	code, short, stderr := runConfigCLI(t, nil, "", "--version")
	if code != 0 || stderr != "" || !strings.HasPrefix(short, "gridsync ") {
		t.Fatalf("--version: exit %d, stdout %q, stderr %q", code, short, stderr)
	}
	code, long, stderr := runConfigCLI(t, nil, "", "version")
	if code != 0 || stderr != "" {
		t.Fatalf("version: exit %d, stderr %q", code, stderr)
	}
	if !strings.HasPrefix(long, short) {
		t.Errorf("version does not start with what --version says (%q):\n%s", short, long)
	}
	if want := "go:     " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n"; !strings.Contains(long, want) {
		t.Errorf("version lacks %q:\n%s", want, long)
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		t.Skip("no build information in the test binary")
	}
	if want := "module: " + bi.Main.Path + " "; !strings.Contains(long, want) {
		t.Errorf("version lacks %q:\n%s", want, long)
	}
}

func TestWriteVersion(t *testing.T) {
	var b strings.Builder
	writeVersion(&b, &debug.BuildInfo{
		Main:     debug.Module{Path: "github.com/gridwork/gridsync", Version: "v1.2.3"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "a3f09eb0"}, {Key: "vcs.modified", Value: "true"}},
	})
	for _, want := range []string{"module: github.com/gridwork/gridsync v1.2.3\n", "commit: a3f09eb0 (with uncommitted changes)\n"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("version lacks %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	writeVersion(&b, nil)
	if !strings.Contains(b.String(), "module: unknown") {
		t.Errorf("version without build information:\n%s", b.String())
	}
}

// TestPlanOutCheckedFirst: plan -out fails before reading Personio (minutes
// on a large tenant) when the plan could not be saved.
func TestPlanOutCheckedFirst(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	readOnly := filepath.Join(t.TempDir(), "read-only")
	if err := os.Mkdir(readOnly, 0o555); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, out, want string
	}{
		{"missing directory", filepath.Join(t.TempDir(), "missing", "saved.plan"), "no such file or directory"},
		{"a directory", t.TempDir(), "it is a directory; give -out a file name"},
	}
	if os.Geteuid() != 0 { // root writes anywhere
		tests = append(tests, struct{ name, out, want string }{"read-only directory", filepath.Join(readOnly, "saved.plan"), "permission denied"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := h.sim.Stats()
			out, stderr, code := h.gs("plan", "-out", tt.out)
			if code != 1 || out != "" || !strings.Contains(stderr, "Error: cannot save the plan to "+tt.out) || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s\nwant %q", code, out, stderr, tt.want)
			}
			if after := h.sim.Stats(); !maps.EqualFunc(before, after, maps.Equal) {
				t.Errorf("plan read Personio before failing: %v, then %v", before, after)
			}
		})
	}
	entries, err := os.ReadDir(readOnly)
	if err != nil || len(entries) != 0 {
		t.Errorf("the check left files behind: %v %v", entries, err)
	}
	h.mustGS(0, "plan", "-out", "saved.plan")
	if left, _ := filepath.Glob(filepath.Join(h.dir, ".saved.plan*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestNonInteractiveApplyNeedsAutoApprove: without a terminal, apply
// without -auto-approve fails at once and says to pass it, before it reads
// Personio or takes the lock.
func TestNonInteractiveApplyNeedsAutoApprove(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	before := h.sim.Stats()
	out, stderr, code := h.gs("apply")
	if code != 1 || out != "" || stderr != "Error: "+errNotTerminal.Error()+"\n" || !strings.Contains(stderr, "apply needs -auto-approve") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	if after := h.sim.Stats(); !maps.EqualFunc(before, after, maps.Equal) {
		t.Errorf("the refused apply read Personio: %v, then %v", before, after)
	}
	if n := h.count("select count(*) from sync_runs"); n != 0 {
		t.Errorf("the refused apply recorded %d runs", n)
	}
}

// markdownLink matches the target of a Markdown link or image.
var markdownLink = regexp.MustCompile(`\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)

// TestREADMELinksStayInTheRepository: every link of the README and the
// examples' READMEs points at a file of the repository or a heading of the
// same file; nothing outside the repository.
func TestREADMELinksStayInTheRepository(t *testing.T) {
	root := filepath.Join("..", "..")
	readmes, err := filepath.Glob(filepath.Join(root, "examples", "*", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readmes = append(readmes, filepath.Join(root, "README.md"))
	for _, readme := range readmes {
		data, err := os.ReadFile(readme)
		if err != nil {
			t.Fatal(err)
		}
		anchors := headingAnchors(string(data))
		for _, m := range markdownLink.FindAllStringSubmatch(string(data), -1) {
			target := m[1]
			switch {
			case strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:"):
				t.Errorf("%s links outside the repository: %s", readme, target)
			case strings.HasPrefix(target, "#"):
				if !anchors[target[1:]] {
					t.Errorf("%s links to a heading it does not have: %s", readme, target)
				}
			default:
				path, _, _ := strings.Cut(target, "#")
				full := filepath.Join(filepath.Dir(readme), filepath.FromSlash(path))
				if rel, err := filepath.Rel(root, full); err != nil || strings.HasPrefix(rel, "..") {
					t.Errorf("%s links outside the repository: %s", readme, target)
				} else if _, err := os.Stat(full); err != nil {
					t.Errorf("%s links to %s, which is not in the repository", readme, target)
				}
			}
		}
	}
}

// headingAnchors returns the GitHub anchors of a Markdown file's headings.
func headingAnchors(md string) map[string]bool {
	out := map[string]bool{}
	inCode := false
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
		}
		if inCode || !strings.HasPrefix(line, "#") {
			continue
		}
		title := strings.TrimSpace(strings.TrimLeft(line, "#"))
		var b strings.Builder
		for _, r := range strings.ToLower(title) {
			switch {
			case r == ' ' || r == '-':
				b.WriteRune('-')
			case r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127:
				b.WriteRune(r)
			}
		}
		out[b.String()] = true
	}
	return out
}

// TestInterruptMessage: an interrupted command says what it wrote.
func TestInterruptMessage(t *testing.T) {
	failed := &engine.RecordedError{Err: errors.New("apply rolled back, nothing was written: context canceled"), RunID: 7}
	tests := []struct {
		runID int64
		err   error
		want  string
	}{
		{0, errors.New("reading Personio: context canceled"), "interrupted: nothing was written"},
		{0, failed, "interrupted: nothing was written (recorded as failed sync run 7)"},
		{0, fmt.Errorf("%w on the Gridwork database at db: EOF", store.ErrCommitUnknown), "interrupted while committing: the connection failed while committing the apply, so it is unknown whether it was written"},
		{12, nil, "interrupted after the apply had finished: everything was written (sync run 12)"},
		{0, nil, "interrupted after gridsync had finished its work"},
	}
	for _, tt := range tests {
		if got := interruptMessage(&globals{runID: tt.runID}, tt.err); !strings.HasPrefix(got, tt.want) {
			t.Errorf("interruptMessage(%d, %v) = %q, want %q", tt.runID, tt.err, got, tt.want)
		}
	}
}

// TestInterruptExitCodes: run exits 130 for SIGINT (and a plain
// cancellation), 143 for SIGTERM, even when the interrupt came before the
// command started.
func TestInterruptExitCodes(t *testing.T) {
	for _, tt := range []struct {
		cause error
		code  int
	}{{nil, exitSIGINT}, {interrupt.Cause{Signal: os.Interrupt}, exitSIGINT}, {interrupt.Cause{Signal: syscall.SIGTERM}, exitSIGTERM}} {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(tt.cause)
		var out, errb strings.Builder
		dir := dbTestDir(t, dbTestConfig)
		code := run(ctx, []string{"status", "-chdir", dir}, streams{In: strings.NewReader(""), Out: &out, Err: &errb},
			func(string) string { return "" })
		if code != tt.code || errb.String() != "Error: interrupted: nothing was written\n" {
			t.Errorf("cause %v: exit %d, stderr %q; want %d and the interrupt message", tt.cause, code, errb.String(), tt.code)
		}
	}
}

// TestVerboseTimings: -v shows each phase of a writer's run, the Personio
// read (done before the lock) included.
func TestVerboseTimings(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	timings := regexp.MustCompile(`(?m)^timings: fetch (\S+), read (\S+), diff (\S+)$`)
	for _, args := range [][]string{{"-v", "apply", "-auto-approve"}, {"-v", "sync"}} {
		_, stderr := h.mustGS(0, args...)
		m := timings.FindStringSubmatch(stderr)
		if m == nil || m[1] == "0s" {
			t.Errorf("%s: timings %q in stderr:\n%s", strings.Join(args, " "), m, stderr)
		}
	}
}

// TestInteractiveApplyUnderTheLock: on a terminal, apply shows the plan it
// computed under the lock and asks; "no" writes and records nothing, "yes"
// applies exactly that plan.
func TestInteractiveApplyUnderTheLock(t *testing.T) {
	h := newE2E(t, e2eOptions{})
	yes := true
	ask := func(answer string) (string, string, int) {
		var out, errb strings.Builder
		g := &globals{streams: streams{In: strings.NewReader(answer), Out: &out, Err: &errb},
			getenv: func(k string) string { return h.env[k] }, stdinTerminal: &yes}
		code := runGlobals(context.Background(), g, []string{"apply", "-chdir", h.dir})
		return out.String(), errb.String(), code
	}
	out, stderr, code := ask("no\n")
	if code != 1 || !strings.Contains(out, "Do you want to perform these actions?") || !strings.HasSuffix(out, "\nApply cancelled.\n") {
		t.Errorf("answering no: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	if n := h.count("select (select count(*) from companies) + (select count(*) from sync_runs)"); n != 0 {
		t.Errorf("%d rows written after answering no", n)
	}
	out, stderr, code = ask("yes\n")
	if code != 0 || !strings.Contains(out, "Apply complete! Resources: ") {
		t.Errorf("answering yes: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	h.assertState(e2eMapping())
}
