package views

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/gridwork/gridsync/plan"
)

// TestColor: a stream is coloured only on a terminal, and never with
// -no-color or NO_COLOR; the plan, the diagnostics and the checklist
// follow the decision.
func TestColor(t *testing.T) {
	for _, tt := range []struct {
		name                string
		terminal            bool
		noColor             bool
		env                 string
		wantColor, wantMark bool
	}{
		{"terminal", true, false, "", true, true},
		{"-no-color", true, true, "", false, true},
		{"NO_COLOR", true, false, "1", false, true},
		{"pipe", false, false, "", false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			v := newView(&out, &errb, Options{NoColor: tt.noColor, Getenv: func(k string) string {
				if k == "NO_COLOR" {
					return tt.env
				}
				return ""
			}}, func(any) bool { return tt.terminal })
			if err := NewPlan(false, v).Plan(&plan.Plan{}); err != nil {
				t.Fatal(err)
			}
			if err := v.Diagnostics(nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Broken"}}); err != nil {
				t.Fatal(err)
			}
			list := NewChecklist(v)
			list.Begin()
			list.Fail("check", errors.New("failed"))
			colored := strings.Contains(out.String(), "\x1b[") && strings.Contains(errb.String(), "\x1b[")
			if colored != tt.wantColor || strings.Contains(out.String(), "✗") != tt.wantMark {
				t.Errorf("stdout %q, stderr %q; want colour %v, marks %v", out.String(), errb.String(), tt.wantColor, tt.wantMark)
			}
		})
	}
}

// TestCommand: a suggested command repeats -chdir as the user gave it,
// quoted for a shell where needed.
func TestCommand(t *testing.T) {
	for _, tt := range []struct {
		chdir, want string
	}{
		{"", "gridsync apply saved.plan"},
		{"config/prod", "gridsync apply -chdir config/prod saved.plan"},
		{"my config", "gridsync apply -chdir 'my config' saved.plan"},
		{"it's", `gridsync apply -chdir 'it'\''s' saved.plan`},
	} {
		v := New(nil, nil, Options{Chdir: tt.chdir})
		if got := v.Command("apply", "saved.plan"); got != tt.want {
			t.Errorf("chdir %q: %q, want %q", tt.chdir, got, tt.want)
		}
	}
	if got := New(nil, nil, Options{}).Command("validate", ""); got != "gridsync validate" {
		t.Errorf("without arguments: %q", got)
	}
}
