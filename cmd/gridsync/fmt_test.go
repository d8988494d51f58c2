package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	unformattedHCL = "personio {\ntenant = \"acme\"\n    credentials =   \"c.yaml\"\n}\n"
	formattedHCL   = "personio {\n  tenant      = \"acme\"\n  credentials = \"c.yaml\"\n}\n"
	brokenHCL      = "company \"acme\" {\n  name = \"Acme\"\n"
)

// fmtTree writes files (path → content) under a new directory.
func fmtTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFmt(t *testing.T) {
	tests := []struct {
		name       string
		files      map[string]string
		args       []string // after "fmt -chdir DIR"
		stdin      string
		wantCode   int
		wantStdout string
		wantStderr []string
		wantFiles  map[string]string // content afterwards; unlisted files are unchanged
	}{
		{
			name:       "rewrites and lists changed files only",
			files:      map[string]string{"a.hcl": unformattedHCL, "b.hcl": formattedHCL, "notes.txt": unformattedHCL},
			wantStdout: "a.hcl\n",
			wantFiles:  map[string]string{"a.hcl": formattedHCL},
		},
		{
			name:       "check exits 3 and writes nothing",
			files:      map[string]string{"a.hcl": unformattedHCL, "b.hcl": formattedHCL},
			args:       []string{"-check"},
			wantCode:   3,
			wantStdout: "a.hcl\n",
		},
		{
			name:  "check passes on formatted files",
			files: map[string]string{"b.hcl": formattedHCL},
			args:  []string{"-check"},
		},
		{
			name:     "diff without writing",
			files:    map[string]string{"a.hcl": unformattedHCL},
			args:     []string{"-diff", "-write=false", "-list=false"},
			wantCode: 0,
			wantStdout: "--- old/a.hcl\n+++ new/a.hcl\n@@ -1,4 +1,4 @@\n personio {\n" +
				"-tenant = \"acme\"\n-    credentials =   \"c.yaml\"\n" +
				"+  tenant      = \"acme\"\n+  credentials = \"c.yaml\"\n }\n",
		},
		{
			name:       "syntax error reported, file untouched, others still formatted",
			files:      map[string]string{"a.hcl": unformattedHCL, "broken.hcl": brokenHCL},
			wantCode:   1,
			wantStdout: "a.hcl\n",
			wantStderr: []string{"Error: Unclosed configuration block", "on broken.hcl line 1"},
			wantFiles:  map[string]string{"a.hcl": formattedHCL},
		},
		{
			name:       "syntax error wins over check",
			files:      map[string]string{"a.hcl": unformattedHCL, "broken.hcl": brokenHCL},
			args:       []string{"-check"},
			wantCode:   1,
			wantStdout: "a.hcl\n",
			wantStderr: []string{"on broken.hcl line 1"},
		},
		{
			name:       "subdirectories only with -recursive, hidden ones never",
			files:      map[string]string{"sub/a.hcl": unformattedHCL, ".git/x.hcl": unformattedHCL, "other/b.hcl": unformattedHCL},
			args:       []string{"-recursive", "sub", "."},
			wantStdout: filepath.Join("sub", "a.hcl") + "\n" + filepath.Join("other", "b.hcl") + "\n",
			wantFiles:  map[string]string{"sub/a.hcl": formattedHCL, "other/b.hcl": formattedHCL},
		},
		{
			// The files config.Load reads, no others (config.IsConfigFile).
			name:       "hidden and editor lock files skipped",
			files:      map[string]string{"a.hcl": unformattedHCL, ".a.hcl": unformattedHCL, "#a.hcl": unformattedHCL, ".#a.hcl": unformattedHCL, "a.hcl~": unformattedHCL},
			wantStdout: "a.hcl\n",
			wantFiles:  map[string]string{"a.hcl": formattedHCL},
		},
		{
			name:  "no recursion by default",
			files: map[string]string{"sub/a.hcl": unformattedHCL},
		},
		{
			name:       "explicit file",
			files:      map[string]string{"sub/a.txt": unformattedHCL},
			args:       []string{"sub/a.txt"},
			wantStdout: "sub/a.txt\n",
			wantFiles:  map[string]string{"sub/a.txt": formattedHCL},
		},
		{
			name:       "stdin to stdout",
			args:       []string{"-"},
			stdin:      unformattedHCL,
			wantStdout: formattedHCL,
		},
		{
			name:     "stdin with check",
			args:     []string{"-check", "-"},
			stdin:    unformattedHCL,
			wantCode: 3,
		},
		{
			name:       "stdin with a syntax error",
			args:       []string{"-"},
			stdin:      brokenHCL,
			wantCode:   1,
			wantStderr: []string{"on <stdin> line 1"},
		},
		{
			name:       "missing path",
			args:       []string{"nope.hcl"},
			wantCode:   1,
			wantStderr: []string{"Error: cannot format nope.hcl"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := fmtTree(t, tt.files)
			args := append([]string{"fmt", "-chdir", dir}, tt.args...)
			code, stdout, stderr := runConfigCLI(t, nil, tt.stdin, args...)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d\nstderr:\n%s", code, tt.wantCode, stderr)
			}
			if stdout != tt.wantStdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout, tt.wantStdout)
			}
			for _, w := range tt.wantStderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if tt.wantStderr == nil && stderr != "" {
				t.Errorf("unexpected stderr:\n%s", stderr)
			}
			for name, before := range tt.files {
				want, changed := tt.wantFiles[name]
				if !changed {
					want = before
				}
				if got := readFile(t, filepath.Join(dir, name)); got != want {
					t.Errorf("%s afterwards:\n%s\nwant:\n%s", name, got, want)
				}
			}
		})
	}
}

func TestFmtKeepsFileMode(t *testing.T) {
	dir := fmtTree(t, map[string]string{"a.hcl": unformattedHCL})
	path := filepath.Join(dir, "a.hcl")
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runConfigCLI(t, nil, "", "fmt", "-chdir", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
}

// TestFmtFollowsSymlinks: formatting a configuration file that is a
// symbolic link rewrites its target (atomically) and leaves the link.
func TestFmtFollowsSymlinks(t *testing.T) {
	dir := fmtTree(t, map[string]string{"shared/common.hcl": unformattedHCL})
	link := filepath.Join(dir, "common.hcl")
	if err := os.Symlink(filepath.Join("shared", "common.hcl"), link); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runConfigCLI(t, nil, "", "fmt", "-chdir", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	info, err := os.Lstat(link)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("common.hcl is no longer a symbolic link (mode %v)", info.Mode())
	}
	if got := readFile(t, filepath.Join(dir, "shared", "common.hcl")); got == unformattedHCL {
		t.Error("the link's target was not formatted")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "shared"))
	if len(entries) != 1 {
		t.Errorf("fmt left %d files in shared/, want 1", len(entries))
	}
}
