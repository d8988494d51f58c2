package views

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gridwork/gridsync/internal/engine"
	"github.com/gridwork/gridsync/schema"
)

// TestOfficesJSONSchema: the -json output validates against
// schema/offices.schema.json in every shape (ids unknown, feed unread,
// statuses beyond the four), and the schema rejects what it must.
func TestOfficesJSONSchema(t *testing.T) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.OfficesSchema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schema.OfficesSchemaURL, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(schema.OfficesSchemaURL)
	if err != nil {
		t.Fatal(err)
	}
	full := &engine.OfficeReport{Offices: []engine.OfficeInfo{
		{ID: 1, Name: "Berlin", Employees: map[string]int{"active": 120, "inactive": 8}, OpenJobs: 3, Locations: []string{"location.acme.berlin-hq"}},
		{Name: "Lisbon", Employees: map[string]int{}, OpenJobs: 1},
		{ID: 7, Name: "Oslo", Employees: map[string]int{"probation": 2}},
	}}
	unread := &engine.OfficeReport{Offices: full.Offices, JobsUnavailable: "404"}
	for name, rep := range map[string]*engine.OfficeReport{"full": full, "feed unread": unread, "empty": {}} {
		var b bytes.Buffer
		if err := NewOffices(true, New(&b, io.Discard, Options{})).Report(rep); err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s: does not match the schema: %v\n%s", name, err, b.String())
		}
		if name == "feed unread" && !strings.Contains(b.String(), `"open_jobs": null`) {
			t.Errorf("open_jobs is not null without a feed:\n%s", b.String())
		}
		if name == "full" {
			for _, want := range []string{`"id": null`, `"locations": []`, `"onboarding": 0`, `"probation": 2`} {
				if !strings.Contains(b.String(), want) {
					t.Errorf("the document lacks %s:\n%s", want, b.String())
				}
			}
		}
	}
	var b bytes.Buffer
	if err := NewOffices(true, New(&b, io.Discard, Options{})).Report(full); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct{ from, to string }{
		{`"format_version": "1"`, `"format_version": "2"`},
		{`"id": 1,`, `"id": 0,`},
		{`"open_jobs": 3`, `"open_jobs": -1`},
		{`"active": 120,`, ``},
		{`"name": "Berlin",`, `"name": "Berlin", "extra": true,`},
		{`"location.acme.berlin-hq"`, `"acme.berlin-hq"`},
	} {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(strings.Replace(b.String(), bad.from, bad.to, 1)))
		if err != nil {
			t.Fatalf("%s: %v", bad.to, err)
		}
		if sch.Validate(inst) == nil {
			t.Errorf("the schema accepts %s", bad.to)
		}
	}
}

// TestOfficesTable: columns line up, whatever the width of names.
func TestOfficesTable(t *testing.T) {
	rep := &engine.OfficeReport{Employees: 131, Positions: 4, Offices: []engine.OfficeInfo{
		{ID: 1001, Name: "Berlin", Employees: map[string]int{"active": 120, "inactive": 8}, OpenJobs: 3, Locations: []string{"location.acme.berlin-hq"}},
		{Name: "Zürich", Employees: map[string]int{}, OpenJobs: 1},
		{ID: 12, Name: "Düsseldorf Süd", Employees: map[string]int{"leave": 3}},
	}}
	var b bytes.Buffer
	if err := NewOffices(false, New(&b, io.Discard, Options{})).Report(rep); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	col := func(l, what string) int { return len([]rune(l[:strings.Index(l, what)])) }
	header := lines[0]
	if got, want := strings.TrimRight(lines[0], " "), "  ID  OFFICE          ACTIVE  ONBOARDING  ON LEAVE  INACTIVE  OPEN JOBS  LOCATIONS"; got != want {
		t.Errorf("header:\n%q\nwant\n%q", got, want)
	}
	for i, want := range []string{"location.acme.berlin-hq", "(unmapped)", "(unmapped)"} {
		if got := col(lines[i+1], want); got != col(header, "LOCATIONS") {
			t.Errorf("row %d: locations at column %d, header at %d:\n%s", i+1, got, col(header, "LOCATIONS"), b.String())
		}
	}
	for _, want := range []string{"   ?  Zürich", "3 offices: 1 mapped, 2 unmapped. 131 employees, 4 open positions."} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the table lacks %q:\n%s", want, b.String())
		}
	}
}
