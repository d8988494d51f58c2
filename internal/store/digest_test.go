package store

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/gridwork/gridsync/plan"
)

func TestAttrsJSON(t *testing.T) {
	tests := []struct {
		name  string
		attrs plan.Attrs
		want  string
	}{
		{"none", plan.Attrs{}, ""},
		{"empty", plan.AttrsOf(map[string]string{}), "{}"},
		{"sorted keys", plan.AttrsOf(map[string]string{"title": "2", "email": "1"}), `{"email":"1","title":"2"}`},
		{"escapes", plan.AttrsOf(map[string]string{"position": "quote\" backslash\\ nl\n tab\t cr\r bell\a"}), `{"position":"quote\" backslash\\ nl\n tab\t cr\r bell\u0007"}`},
		{"unicode kept", plan.AttrsOf(map[string]string{"name": "Zoë Müller 東京 <b>&</b>"}), `{"name":"Zoë Müller 東京 <b>&</b>"}`},
		{"invalid utf-8 replaced", plan.AttrsOf(map[string]string{"position": "a\xffb"}), "{\"position\":\"a\uFFFDb\"}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := attrsJSON(tt.attrs)
			if string(got) != tt.want {
				t.Fatalf("attrsJSON = %s, want %s", got, tt.want)
			}
			if tt.attrs.IsNone() {
				return
			}
			// Whatever encoding/json decodes must be what we encoded.
			var back map[string]string
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatalf("not valid JSON: %v", err)
			}
			std, _ := json.Marshal(tt.attrs.Map())
			var stdBack map[string]string
			_ = json.Unmarshal(std, &stdBack)
			if !reflect.DeepEqual(back, stdBack) {
				t.Errorf("decodes to %q, encoding/json round trip gives %q", back, stdBack)
			}
		})
	}
}

func TestPlanDigest(t *testing.T) {
	base := PlanDigest(basePlan())
	if len(base) != 64 {
		t.Fatalf("digest %q is not hex SHA-256", base)
	}
	tests := []struct {
		name   string
		mutate func(p *plan.Plan)
		same   bool
	}{
		{"unchanged", func(*plan.Plan) {}, true},
		{"reason is display only", func(p *plan.Plan) { p.Changes[5].Reason = "other words" }, true},
		{"no-ops are ignored", func(p *plan.Plan) {
			p.Changes = append(p.Changes, plan.Change{Address: "employee.acme[5]", Action: plan.NoOp})
		}, true},
		{"digests of inputs are not part of it", func(p *plan.Plan) { p.Digests.Personio = "x" }, true},
		{"an attribute", func(p *plan.Plan) { p.Changes[5].After = p.Changes[5].After.With(plan.FieldLastName, "Byron") }, false},
		{"an action", func(p *plan.Plan) { p.Changes[5].Action = plan.Update }, false},
		{"the order", func(p *plan.Plan) { p.Changes[5], p.Changes[6] = p.Changes[6], p.Changes[5] }, false},
		{"field boundaries", func(p *plan.Plan) {
			p.Changes[5].Company, p.Changes[5].Key = "acme1", "001"
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := basePlan()
			tt.mutate(p)
			if got := PlanDigest(p); (got == base) != tt.same {
				t.Errorf("digest changed = %t, want %t", got != base, !tt.same)
			}
		})
	}
}
