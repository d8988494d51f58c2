package plan

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/gridwork/gridsync/config"
)

// TestEnvValuesNeverShown: an office or an employee_fields key that env()
// read is named by the call in every message about it (diagnostics and
// warnings, which end up in CI logs, plans and pull-request comments),
// never by its value, and no hint derived from the value (the closest
// offices or attributes) gives it away.
func TestEnvValuesNeverShown(t *testing.T) {
	const value = "Berlni 7f3a"
	const config1 = `personio {
  tenant      = "acme"
  credentials = "secrets/personio.enc.yaml"
}
company "acme" {
  name = "Acme GmbH"
  location "hq" {
    name   = "HQ"
    office = env("HQ_OFFICE")
  }
}
`
	byID := strings.Replace(config1, `office = env("HQ_OFFICE")`, `office_id = env("HQ_OFFICE")`, 1)
	twice := config1 + `company "globex" {
  name = "Globex AG"
  location "berlin" {
    name      = "Berlin"
    office_id = 1
  }
}
`
	field := strings.Replace(config1, `credentials = "secrets/personio.enc.yaml"`, `credentials = "secrets/personio.enc.yaml"
  employee_fields {
    position = env("POSITION_ATTRIBUTE")
  }`, 1)
	field = strings.Replace(field, `office = env("HQ_OFFICE")`, `office = "Berlin"`, 1)
	tests := []struct {
		name    string
		src     string
		value   string // the value env() reads
		edit    func(*Source)
		opts    DesiredOptions
		summary string // of the one diagnostic, "" for none
		want    string // in the diagnostic's detail or the warning
	}{
		{name: "unknown", src: config1, value: value, summary: `Unknown Personio office the value of env("HQ_OFFICE")`,
			want: `Offices Personio knows: "Berlin" (id 1), "Hamburg" (id 2), "Munich" (id 3), "Remote Europe" (job feed only).`},
		{name: "unknown id", src: byID, value: "4711", summary: `Unknown Personio office the value of env("HQ_OFFICE")`,
			want: `Offices Personio knows: "Berlin" (id 1), "Hamburg" (id 2), "Munich" (id 3).`},
		{name: "ambiguous", src: config1, value: "Berlin", edit: func(s *Source) { s.Offices = append(s.Offices, Office{ID: 7, Name: "Berlin"}) },
			summary: `Ambiguous Personio office the value of env("HQ_OFFICE")`, want: "ids 1, 7"},
		{name: "renamed", src: config1, value: "Old Berlin",
			opts: DesiredOptions{KnownOffices: []Office{{ID: 1, Name: "Old Berlin"}}}, summary: `Personio office the value of env("HQ_OFFICE") was renamed`,
			want: `now called "Berlin"`},
		{name: "mapped twice", src: twice, value: "Berlin", summary: "Office mapped twice",
			want: `The same Personio office is mapped by location.acme.hq (office = env("HQ_OFFICE"), at main.hcl:9) and by location.globex.berlin`},
		{name: "unknown employee_fields key", src: field, value: "dynamic_4711", summary: `Unknown Personio attribute the value of env("POSITION_ATTRIBUTE")`,
			want: "Attributes Personio knows: dynamic_42, first_name."},
		{name: "gone from Personio", src: config1, value: value, opts: DesiredOptions{KnownOffices: []Office{{ID: 99, Name: value}}},
			want: `location.acme.hq: office the value of env("HQ_OFFICE") no longer appears in Personio.`},
		{name: "gone from Personio, by id", src: byID, value: "4799", opts: DesiredOptions{KnownOffices: []Office{{ID: 4799, Name: "Old HQ"}}},
			want: `location.acme.hq: office the value of env("HQ_OFFICE") no longer appears in Personio.`},
		{name: "feed unread", src: config1, value: value, edit: func(s *Source) { s.JobsUnavailable = "feed answered 404" },
			want: `office the value of env("HQ_OFFICE") is not among the offices`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, diags := config.Loader{Getenv: func(string) string { return tt.value }}.LoadFiles("/repo", map[string][]byte{"main.hcl": []byte(tt.src)})
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			snap := baseSnapshot()
			if tt.edit != nil {
				tt.edit(snap)
			}
			d, diags := Desired(cfg, snap, tt.opts)
			var said []string
			for _, dg := range diags {
				said = append(said, dg.Summary, dg.Detail)
			}
			if d != nil {
				said = append(said, d.Warnings...)
			}
			all := strings.Join(said, "\n")
			if strings.Contains(all, tt.value) {
				t.Errorf("a message shows the value env() read:\n%s", all)
			}
			if tt.summary != "" && (len(diags) != 1 || diags[0].Severity != hcl.DiagError || diags[0].Summary != tt.summary) {
				t.Errorf("want one error %q, got:\n%s", tt.summary, all)
			}
			if !strings.Contains(all, tt.want) {
				t.Errorf("the messages lack %q:\n%s", tt.want, all)
			}
		})
	}
}
