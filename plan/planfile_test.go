package plan

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gridwork/gridsync/schema"
)

func TestPlanFileRoundTrip(t *testing.T) {
	first, _ := Build(baseConfig(), baseSnapshot(), State{}, BuildOptions{Now: testNow})
	plans := map[string]*Plan{"rich": richPlan(t), "empty": emptyPlan(t), "first": first, "jobs unavailable": jobsUnavailablePlan(t)}
	for name, p := range plans {
		t.Run(name, func(t *testing.T) {
			got := writeRead(t, p)
			// The file keeps what each suspicious answer says, not the
			// companies it concerns: read back, it concerns the whole plan.
			want := *p
			want.Suspicious = suspicions(p.SuspiciousTexts())
			if !reflect.DeepEqual(got, &want) {
				t.Errorf("round trip changed the plan:\n got %+v\nwant %+v", got, &want)
			}
		})
	}
}

// writeRead saves p with WriteFile and reads it back with ReadFile.
func writeRead(t *testing.T, p *Plan) *Plan {
	t.Helper()
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := WriteFile(path, p); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("WriteFile left %d files behind", len(entries))
	}
	return got
}

func TestReadFileRefuses(t *testing.T) {
	var rich bytes.Buffer
	if err := RenderJSON(&rich, richPlan(t)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, content, want string
	}{
		{"a newer major version", `{"format_version": "2.0", "changes": []}`, "format_version 2.0, but this gridsync reads 1.x only"},
		{"no version", `{"changes": []}`, "not a gridsync plan file: it has no format_version"},
		{"not JSON", "Plan: 1 to add", "not a gridsync plan file"},
		{"an unknown action", strings.Replace(rich.String(), `"action": "create"`, `"action": "replace"`, 1), `unknown action "replace"`},
		{"an address without its type", strings.Replace(rich.String(), `"address": "company.acme",`, `"address": "acme",`, 1), `has address "acme", which does not start with its type "company."`},
		{"no address", strings.Replace(rich.String(), `"address": "company.acme",`, ``, 1), `has address "", which does not start`},
		{"an edited change list", strings.Replace(rich.String(), `"action": "delete"`, `"action": "update"`, 1), "summary does not match"},
		{"unknown attributes, named the same every time", strings.Replace(rich.String(), `"after": {`, `"after": {"zeta": "1", "mu": "2", "alpha": "3", `, 1), `unknown attribute "alpha"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "plan.json")
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadFile(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("got %v, want an error naming the file and saying %q", err, tt.want)
			}
		})
	}
	t.Run("a newer minor version is read, its new properties ignored", func(t *testing.T) {
		newer := strings.Replace(rich.String(), `"format_version": "1.1"`, `"format_version": "1.7", "future_field": {"x": 1}`, 1)
		newer = strings.Replace(newer, `"add": `, `"replace": 0, "add": `, 1)
		newer = strings.Replace(newer, `"address": "company.acme",`, `"address": "company.acme", "importance": "high",`, 1)
		got, err := Decode(strings.NewReader(newer))
		if err != nil {
			t.Fatal(err)
		}
		if want := richPlan(t); !reflect.DeepEqual(got.Changes, want.Changes) || got.Summary != want.Summary {
			t.Error("the 1.7 file read differently from the same 1.0 plan")
		}
	})
}

func planSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.PlanSchema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(schema.PlanSchemaURL, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(schema.PlanSchemaURL)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRenderJSONMatchesSchema(t *testing.T) {
	sch := planSchema(t)
	first, _ := Build(baseConfig(), baseSnapshot(), State{}, BuildOptions{Now: testNow})
	filtered, _ := Build(baseConfig(), baseSnapshot(), State{}, BuildOptions{Companies: []string{"globex"}})
	cfg := baseConfig()
	cfg.Companies = cfg.Companies[:1]
	unlinks, _ := Build(cfg, baseSnapshot(), syncedState(t), BuildOptions{Now: testNow})
	plans := map[string]*Plan{"rich": richPlan(t), "empty": emptyPlan(t), "first": first, "filtered, no time": filtered, "unlinks": unlinks, "zero": {},
		"jobs unavailable": jobsUnavailablePlan(t)}
	for name, p := range plans {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := RenderJSON(&b, p); err != nil {
				t.Fatal(err)
			}
			inst, err := jsonschema.UnmarshalJSON(&b)
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(inst); err != nil {
				t.Errorf("%s plan does not match schema/plan.schema.json:\n%v", name, err)
			}
		})
	}
	t.Run("the schema rejects what it must", func(t *testing.T) {
		var b bytes.Buffer
		if err := RenderJSON(&b, richPlan(t)); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []struct{ from, to string }{
			{`"format_version": "1.1"`, `"format_version": "2.0"`},
			// The schema describes exactly 1.1; a 1.2 document brings its own.
			{`"format_version": "1.1"`, `"format_version": "1.2"`},
			{`"format_version": "1.1"`, `"format_version": "1.1", "future_field": 1`},
			{`"suspicious": [`, `"jobs_unavailable": "", "suspicious": [`},
			{`"action": "create"`, `"action": "replace"`},
			{`"address": "company.acme"`, `"address": "company acme"`},
			{`"before": null`, `"before": {"name": ""}`},
		} {
			inst, err := jsonschema.UnmarshalJSON(strings.NewReader(strings.Replace(b.String(), bad.from, bad.to, 1)))
			if err != nil {
				t.Fatal(err)
			}
			if sch.Validate(inst) == nil {
				t.Errorf("schema accepts %s", bad.to)
			}
		}
	})
}

func TestPlanHoldsNoSecrets(t *testing.T) {
	cfg := baseConfig()
	cfg.Target.DatabaseURL = "postgres://gridsync:s3cret-db@db.internal/gridwork"
	cfg.Personio.Credentials = "/repo/secrets/personio.enc.yaml"
	p, _ := Build(cfg, baseSnapshot(), State{}, BuildOptions{Now: testNow})
	for name, render := range map[string]func(*bytes.Buffer) error{
		"text":     func(b *bytes.Buffer) error { return RenderText(b, p, TextOptions{}) },
		"json":     func(b *bytes.Buffer) error { return RenderJSON(b, p) },
		"markdown": func(b *bytes.Buffer) error { return RenderMarkdown(b, p, MarkdownOptions{}) },
	} {
		var b bytes.Buffer
		if err := render(&b); err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"s3cret-db", "postgres://", "personio.enc.yaml"} {
			if strings.Contains(b.String(), secret) {
				t.Errorf("%s output contains %q", name, secret)
			}
		}
	}
}

// TestRenderJSONBytes: the streaming encoder writes the bytes
// encoding/json writes for the file* types (indented, HTML unescaped), for
// text that needs escaping too, so that files and -json output stay what
// scripts already read.
func TestRenderJSONBytes(t *testing.T) {
	// Invalid UTF-8 too, which neither Personio's answers nor PostgreSQL
	// let through: encoding/json writes \ufffd for each invalid byte.
	tricky := "<h3>a & b</h3>\u2028\u2029 \"q\" \\ \t\x01\b\x7f é 李 \ufffd a\xffb \xed\xa0\x80"
	p := &Plan{
		Digests:   Digests{Config: "c", Personio: "p", Target: "t"},
		Warnings:  []string{tricky},
		CreatedAt: testNow,
		Changes: []Change{
			{Address: "job.acme[1]", Type: TypeJob, Company: "acme", Key: "1", Action: Create,
				After: AttrsOf(map[string]string{FieldTitle: tricky, FieldDescription: "", FieldLocation: "x"}), Reason: tricky},
			{Address: "job.acme[2]", Type: TypeJob, Company: "acme", Key: "2", Action: Delete, TargetID: 7,
				Before: AttrsOf(map[string]string{})},
		},
	}
	p.Summary = summarize(p.Changes)
	want := &fileV1{
		FormatVersion: FormatVersion, CreatedAt: testNow.Format(time.RFC3339),
		Digests: p.Digests, Summary: p.Summary,
		Scope: []Scope{}, Warnings: p.Warnings, Suspicious: []string{},
		Changes: []fileChange{
			{Address: "job.acme[1]", Type: "job", Company: "acme", Key: "1", Action: "create",
				After: map[string]string{FieldTitle: tricky, FieldLocation: "x"}, Reason: tricky},
			{Address: "job.acme[2]", Type: "job", Company: "acme", Key: "2", Action: "delete", TargetID: 7,
				Before: map[string]string{}},
		},
	}
	var w bytes.Buffer
	enc := json.NewEncoder(&w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(want); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := RenderJSON(&got, p); err != nil {
		t.Fatal(err)
	}
	if got.String() != w.String() {
		t.Errorf("RenderJSON wrote\n%s\nencoding/json writes\n%s", got.String(), w.String())
	}
}
