package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gridwork/gridsync/plan"
)

// showTestPlan saves a small plan with one change of each kind of
// rendering and returns its path.
func showTestPlan(t *testing.T) (string, *plan.Plan) {
	t.Helper()
	p := &plan.Plan{
		AllCompanies: true,
		CreatedAt:    time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC),
		Scope:        []plan.Scope{{Company: "acme", Employees: true, Jobs: true}},
		Changes: []plan.Change{
			{Address: "employee.acme[1001]", Type: plan.TypeEmployee, Company: "acme", Key: "1001", Action: plan.Create,
				After: plan.AttrsOf(map[string]string{plan.FieldFirstName: "Ada", plan.FieldLastName: "Lovelace"})},
			{Address: "employee.acme[1002]", Type: plan.TypeEmployee, Company: "acme", Key: "1002", Action: plan.Delete, TargetID: 7,
				Before: plan.AttrsOf(map[string]string{plan.FieldFirstName: "Bob"}), Reason: "no longer in Personio"},
		},
		Summary: plan.Summary{Add: 1, Destroy: 1},
	}
	path := filepath.Join(t.TempDir(), "gridsync.plan")
	if err := plan.WriteFile(path, p); err != nil {
		t.Fatal(err)
	}
	return path, p
}

func runShowCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, streams{In: strings.NewReader(""), Out: &out, Err: &errb}, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

func TestShow(t *testing.T) {
	path, p := showTestPlan(t)
	var text, js bytes.Buffer
	if err := plan.RenderText(&text, p, plan.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := plan.RenderJSON(&js, p); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"text", []string{"show", path}, text.String()},
		{"json, single-dash flag", []string{"show", "-json", path}, js.String()},
		{"json, flag after the file", []string{"show", path, "--json"}, js.String()},
		// As for apply, a relative PLANFILE is taken inside -chdir.
		{"relative to -chdir", []string{"show", "-chdir", filepath.Dir(path), filepath.Base(path)}, text.String()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runShowCLI(t, nil, tt.args...)
			if code != 0 || out != tt.want {
				t.Fatalf("exit %d, stderr %q\nstdout:\n%s\nwant:\n%s", code, errOut, out, tt.want)
			}
		})
	}
	t.Run("no colour when not a terminal", func(t *testing.T) {
		_, out, _ := runShowCLI(t, nil, "show", path)
		if strings.Contains(out, "\x1b[") {
			t.Error("colour escapes in output to a non-terminal")
		}
	})
}

func TestShowErrors(t *testing.T) {
	dir := t.TempDir()
	future := filepath.Join(dir, "future.plan")
	if err := os.WriteFile(future, []byte(`{"format_version": "2.0"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{"show", filepath.Join(dir, "nope.plan")}, "reading the plan file"},
		{"unknown major version", []string{"show", future}, "this gridsync reads 1.x only"},
		{"no file argument", []string{"show"}, "accepts 1 arg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runShowCLI(t, nil, tt.args...)
			if code != 1 || !strings.Contains(errOut, tt.want) || out != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 1 and %q", code, out, errOut, tt.want)
			}
		})
	}
}
