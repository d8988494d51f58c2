package personio

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// page wraps employee attribute maps (raw JSON objects) in the v1 envelope.
func page(total int, employees ...string) string {
	return `{"success":true,"metadata":{"total_elements":` + itoa(total) +
		`,"current_page":0,"total_pages":1},"offset":0,"limit":100,"data":[` +
		func() string {
			parts := make([]string, len(employees))
			for i, e := range employees {
				parts[i] = `{"type":"Employee","attributes":` + e + `}`
			}
			return strings.Join(parts, ",")
		}() + `]}`
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// attr renders one attribute envelope with a raw JSON value.
func attr(key, typ, value string) string {
	return `"` + key + `":{"label":"` + key + `","value":` + value + `,"type":"` + typ + `","universal_id":"` + key + `"}`
}

func emp(attrs ...string) string { return "{" + strings.Join(attrs, ",") + "}" }

// wantErr checks err against errHas, the text a wanted error contains ("":
// no error wanted), and reports whether there was an error to check.
func wantErr(t *testing.T, err error, errHas string) bool {
	t.Helper()
	switch {
	case errHas == "" && err != nil:
		t.Fatal(err)
	case errHas != "" && (err == nil || !strings.Contains(err.Error(), errHas)):
		t.Fatalf("err = %v, want it to contain %q", err, errHas)
	}
	return errHas != ""
}

// decodeAll decodes a first page keeping every attribute.
func decodeAll(body []byte) (employeePage, error) { return decodePage(body, nil, 0) }

func TestDecodePageDocumentedExample(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("testdata", "employees-example.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := decodeAll(body)
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 2 || len(p.Employees) != 1 {
		t.Fatalf("page = total %d, %d employees", p.Total, len(p.Employees))
	}
	e := p.Employees[0]
	want := Employee{ID: 1, FirstName: "Alexander", LastName: "Bergmann", Gender: "male", Position: "CTO",
		Email: "alexander.bergmann@demo.email", Status: "active", Office: &Office{ID: 131014, Name: "Munich"},
		ProfilePictureURL: "https://api.personio.de/v1/company/employees/1132888/profile-picture"}
	if e.ID != want.ID || e.FirstName != want.FirstName || e.LastName != want.LastName || e.Gender != want.Gender ||
		e.Position != want.Position || e.Email != want.Email || e.Status != want.Status ||
		e.ProfilePictureURL != want.ProfilePictureURL || e.Office == nil || *e.Office != *want.Office {
		t.Errorf("employee = %+v, office %+v\nwant %+v", e, e.Office, want)
	}
	for key, text := range map[string]string{
		"dynamic_24407":        "Dr",
		"dynamic_21827":        "DE98 8989 9898 0000 8989 00",
		"department":           "Customer Support",
		"cost_centers":         "Cost center 1",
		"weekly_working_hours": "40",
		"fix_salary":           "3000",
		"termination_date":     "",
	} {
		if got, ok := e.Attr(key); !ok || got != text {
			t.Errorf("Attr(%q) = %q, %v; want %q", key, got, ok, text)
		}
	}
	if _, ok := e.Attr("not_whitelisted"); ok {
		t.Error("a missing attribute must read as absent")
	}
}

func TestDecodePageDefensive(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		check  func(t *testing.T, p employeePage)
		errHas string
	}{
		{
			name: "ids as numeric strings, total as string",
			body: strings.Replace(page(1, emp(attr("id", "integer", `"1042"`), attr("office", "standard", `{"type":"Office","attributes":{"id":"7","name":"Berlin"}}`))), `"total_elements":1`, `"total_elements":"1"`, 1),
			check: func(t *testing.T, p employeePage) {
				e := p.Employees[0]
				if e.ID != 1042 || e.Office == nil || e.Office.ID != 7 || e.Office.Name != "Berlin" || p.Total != 1 {
					t.Errorf("got id %d office %+v total %d", e.ID, e.Office, p.Total)
				}
			},
		},
		{
			name: "null, empty and missing values",
			body: page(1, emp(attr("id", "integer", `1`), attr("first_name", "standard", `null`), attr("last_name", "standard", `""`),
				attr("office", "standard", `null`), attr("profile_picture", "standard", `null`))),
			check: func(t *testing.T, p employeePage) {
				e := p.Employees[0]
				if e.FirstName != "" || e.LastName != "" || e.Office != nil || e.ProfilePictureURL != "" || e.Gender != "" {
					t.Errorf("got %+v", e)
				}
				if v, ok := e.Attr("first_name"); !ok || v != "" {
					t.Errorf("null first_name: Attr = %q, %v; want present and empty", v, ok)
				}
				if _, ok := e.Attr("gender"); ok {
					t.Error("missing gender must be absent")
				}
			},
		},
		{
			name: "office as empty string, flat object and bare name",
			body: page(3,
				emp(attr("id", "integer", `1`), attr("office", "standard", `""`)),
				emp(attr("id", "integer", `2`), attr("office", "standard", `{"id":5,"name":"Munich"}`)),
				emp(attr("id", "integer", `3`), attr("office", "standard", `"Remote"`))),
			check: func(t *testing.T, p employeePage) {
				if p.Employees[0].Office != nil {
					t.Errorf("empty office = %+v", p.Employees[0].Office)
				}
				if o := p.Employees[1].Office; o == nil || *o != (Office{ID: 5, Name: "Munich"}) {
					t.Errorf("flat office = %+v", o)
				}
				if o := p.Employees[2].Office; o == nil || *o != (Office{Name: "Remote"}) {
					t.Errorf("bare office = %+v", o)
				}
			},
		},
		{
			name: "unknown attribute types kept as text",
			body: page(1, emp(attr("id", "integer", `1.0`), attr("dynamic_9", "hologram", `{"shape":[1,2]}`),
				attr("dynamic_10", "tags", `["Go","SQL"]`), attr("status", "standard", `"Active"`))),
			check: func(t *testing.T, p employeePage) {
				e := p.Employees[0]
				if e.ID != 1 || e.Status != "active" {
					t.Errorf("id %d status %q", e.ID, e.Status)
				}
				if v, _ := e.Attr("dynamic_9"); v != `{"shape":[1,2]}` {
					t.Errorf("object without a name = %q", v)
				}
				if v, _ := e.Attr("dynamic_10"); v != "Go, SQL" {
					t.Errorf("tags = %q", v)
				}
			},
		},
		{
			name: "escaped keys, texts and labels",
			body: page(1, emp(attr("id", "integer", `7`), `"first_\u006eame":{"label":"First \"name\"","value":"J\u00fcrgen ","type":"standard"}`,
				attr("last_name", "standard", `"O\u0027Neil"`), attr("status", "standard", `"ACTIVE"`), attr("dynamic_1", "text", `"a\nb"`))),
			check: func(t *testing.T, p employeePage) {
				e := p.Employees[0]
				if e.FirstName != "Jürgen" || e.LastName != "O'Neil" || e.Status != "active" {
					t.Errorf("got %+v", e)
				}
				if v, ok := e.Attr("first_name"); !ok || v != "Jürgen " {
					t.Errorf("first_name attribute = %q, %v", v, ok)
				}
				if v, _ := e.Attr("dynamic_1"); v != "a\nb" {
					t.Errorf("dynamic_1 = %q", v)
				}
			},
		},
		{
			name: "envelope members in any case, whitespace, unknown members",
			body: "{ \"Success\" : true , \"extra\": {\"a\":[1,{\"b\":\"]}\"}]},\n\"METADATA\":{\"Total_Elements\":\"2\"},\"data\":[ {\"type\":\"Employee\", \"attributes\" : {" +
				attr("id", "integer", ` 3 `) + "} } , {\"attributes\":{" + attr("id", "integer", `"4"`) + "," + attr("office", "standard", `{"type":"Office","attributes":{"id":9,"name":" Paris "}}`) + "}} ] }",
			check: func(t *testing.T, p employeePage) {
				if p.Total != 2 || len(p.Employees) != 2 || p.Employees[0].ID != 3 || p.Employees[1].ID != 4 {
					t.Fatalf("got %+v", p)
				}
				if o := p.Employees[1].Office; o == nil || *o != (Office{ID: 9, Name: "Paris"}) {
					t.Errorf("office = %+v", o)
				}
			},
		},
		{
			name: "null attribute envelope is present and empty",
			body: page(1, emp(attr("id", "integer", `5`), `"dynamic_2":null`)),
			check: func(t *testing.T, p employeePage) {
				if v, ok := p.Employees[0].Attr("dynamic_2"); !ok || v != "" {
					t.Errorf("Attr = %q, %v; want present and empty", v, ok)
				}
			},
		},
		{
			name: "empty listing with null data",
			body: `{"success":true,"metadata":{"total_elements":0,"current_page":0,"total_pages":0},"offset":0,"limit":100,"data":null}`,
			check: func(t *testing.T, p employeePage) {
				if p.Total != 0 || len(p.Employees) != 0 {
					t.Errorf("got %+v", p)
				}
			},
		},
		{name: "truncated JSON", body: page(1, emp(attr("id", "integer", `1`)))[:60], errHas: "not the expected JSON"},
		{name: "garbage", body: "\x00<!-- upstream timeout -->", errHas: "not the expected JSON"},
		{name: "success false", body: `{"success":false,"error":{"code":500,"message":"Boom"}}`, errHas: "success=false: Boom"},
		{name: "no metadata", body: `{"success":true,"data":[]}`, errHas: "total_elements is missing"},
		{name: "data is an object", body: `{"success":true,"metadata":{"total_elements":1},"data":{"type":"Employee"}}`, errHas: "data is an object"},
		{name: "no id", body: page(1, emp(attr("first_name", "standard", `"Ann"`))), errHas: "employee #1 on the page: it has no id"},
		{name: "id not a number", body: page(1, emp(attr("id", "integer", `"abc"`))), errHas: `id is "abc", not an integer`},
		{name: "office a number", body: page(1, emp(attr("id", "integer", `4`), attr("office", "standard", `17`))), errHas: "employee 4: office: expected an object"},
		{name: "attribute not an envelope", body: page(1, `{"id":5}`), errHas: "not a list of employee objects"},
		{name: "employee is a number", body: `{"success":true,"metadata":{"total_elements":1},"data":[7]}`, errHas: "data is not a list of employee objects"},
		{name: "answer is a list", body: `[1]`, errHas: "not the expected JSON"},
		{name: "employee with null attributes", body: `{"success":true,"metadata":{"total_elements":1},"data":[{"type":"Employee","attributes":null}]}`, errHas: "employee #1 on the page has no attributes"},
		{name: "null employee", body: `{"success":true,"metadata":{"total_elements":1},"data":[null]}`, errHas: "employee #1 on the page has no attributes"},
		{name: "employee without attributes", body: `{"success":true,"metadata":{"total_elements":1},"data":[{"type":"Employee"}]}`, errHas: "employee #1 on the page has no attributes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := decodeAll([]byte(tt.body))
			if wantErr(t, err, tt.errHas) {
				return
			}
			tt.check(t, p)
		})
	}
}

func TestDecodeAttributes(t *testing.T) {
	body := `{"success":true,"data":[
		{"key":"first_name","label":"First Name","type":"standard","universal_id":"first_name","options":[]},
		{"key":"dynamic_2","label":"Marital status","type":"list","universal_id":null,"options":["married","single"]}]}`
	got, err := decodeAttributes([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Key != "first_name" || got[1].UniversalID != "" || strings.Join(got[1].Options, "|") != "married|single" {
		t.Errorf("got %+v", got)
	}
	if _, err := decodeAttributes([]byte(`{"success":true,"data":[{"label":"x"}]}`)); err == nil || !strings.Contains(err.Error(), "has no key") {
		t.Errorf("keyless attribute: err = %v", err)
	}
}

// TestDecodePageKeepsNoReferenceToTheBody checks what reusing page buffers
// relies on: a decoded page holds copies, never slices of the body.
// TestSuccessFalse holds pages and /attributes to the same error for an
// answer with success=false, with or without a reason.
func TestSuccessFalse(t *testing.T) {
	for _, tt := range []struct{ body, want string }{
		{`{"success":false,"error":{"code":500,"message":"Boom"}}`, "Personio answered success=false: Boom"},
		{`{"success":false,"error":{"code":"403","message":"Forbidden"},"data":[]}`, "Personio answered success=false: Forbidden"},
		{`{"success":false}`, "Personio answered success=false: no reason given"},
		{`{"success":false,"error":null}`, "Personio answered success=false: no reason given"},
		{`{"success":false,"error":{"code":500,"message":""}}`, "Personio answered success=false: no reason given"},
		{`{"success":false,"error":{"code":500}}`, "Personio answered success=false: no reason given"},
	} {
		if _, err := decodeAll([]byte(tt.body)); err == nil || err.Error() != tt.want {
			t.Errorf("decodePage(%s): err = %v, want %q", tt.body, err, tt.want)
		}
		if _, err := decodeAttributes([]byte(tt.body)); err == nil || err.Error() != tt.want {
			t.Errorf("decodeAttributes(%s): err = %v, want %q", tt.body, err, tt.want)
		}
	}
}

func TestDecodePageKeepsNoReferenceToTheBody(t *testing.T) {
	orig, err := os.ReadFile(filepath.Join("testdata", "employees-example.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, keep := range [][]string{nil, {"dynamic_24407", "department"}} {
		sel := newSelection(keep, nil)
		want, err := decodePage(orig, sel, 0)
		if err != nil {
			t.Fatal(err)
		}
		body := slices.Clone(orig)
		got, err := decodePage(body, sel, 0)
		if err != nil {
			t.Fatal(err)
		}
		for i := range body {
			body[i] = 'x'
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("keep %v: after the body was overwritten the page reads\n%+v\nwant\n%+v", keep, got, want)
		}
	}
}

func TestDecodePageKeepAttributes(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("testdata", "employees-example.json"))
	if err != nil {
		t.Fatal(err)
	}
	all, err := decodeAll(body)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		keep []string
		want []string // keys of Attributes
	}{
		{"none", []string{}, nil},
		{"some", []string{"dynamic_24407", "department", "not_whitelisted"}, []string{"department", "dynamic_24407"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := decodePage(body, newSelection(tt.keep, nil), 0)
			if err != nil {
				t.Fatal(err)
			}
			e, w := p.Employees[0], all.Employees[0]
			var got []string
			for _, a := range e.Attributes {
				got = append(got, a.Key)
			}
			if slices.Sort(got); !slices.Equal(got, tt.want) {
				t.Errorf("kept %v, want %v", got, tt.want)
			}
			e.Attributes, w.Attributes = nil, nil
			if !reflect.DeepEqual(e, w) {
				t.Errorf("typed fields differ from keeping everything:\n%+v\n%+v", e, w)
			}
			for _, k := range tt.want {
				if got, _ := p.Employees[0].Attr(k); got != mustAttr(t, all.Employees[0], k) {
					t.Errorf("Attr(%q) = %q", k, got)
				}
			}
		})
	}
}

func mustAttr(t *testing.T, e Employee, key string) string {
	t.Helper()
	v, ok := e.Attr(key)
	if !ok {
		t.Fatalf("employee has no %q", key)
	}
	return v
}

// TestDecodePageNotJSON checks that an answer that is not JSON fails with
// the place where it broke, as the decoder found it in its one pass.
func TestDecodePageNotJSON(t *testing.T) {
	good := page(2, emp(attr("id", "integer", `1`), attr("first_name", "standard", `"Ann"`)), emp(attr("id", "integer", `2`)))
	cut := strings.Index(good, `"Ann"`) + 2
	tests := []struct {
		name, body string
		want       []string
	}{
		{"garbled mid-way", good[:cut] + "\x00<!-- upstream timeout -->",
			[]string{"not the expected JSON: ", "at byte offset " + itoa(cut), "(in /data/0/attributes/first_name/value)"}},
		{"cut short", good[:cut], []string{"it ends too early at byte offset"}},
		{"invalid UTF-8", strings.Replace(good, "Ann", "A\xffn", 1), []string{"invalid UTF-8", "at byte offset"}},
		{"trailing data", good + ` {"x":1}`, []string{"more than one JSON value"}},
		{"empty", "", []string{"the answer is not the expected JSON: it is empty"}},
		{"garbled null employee", strings.Replace(good, `"data":[`, `"data":[n{`, 1),
			[]string{"not the expected JSON: ", "at byte offset " + itoa(strings.Index(good, `"data":[`)+len(`"data":[n`)), "(in /data/0)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeAll([]byte(tt.body))
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %q\nwant it to contain %q", err, w)
				}
			}
		})
	}
}

// TestDecodePageAbsent checks the count of employees without a required
// attribute: absent counts, null does not, and the rows a page repeats
// from the previous one are not counted twice.
func TestDecodePageAbsent(t *testing.T) {
	body := page(3,
		emp(attr("id", "integer", `1`), attr("gender", "standard", `"male"`)), // repeated row: not counted
		emp(attr("id", "integer", `2`), attr("gender", "standard", `null`), `"position":null`),
		emp(attr("id", "integer", `3`), attr("dynamic_7", "standard", `"x"`)))
	sel := newSelection([]string{}, []string{"position", "gender", "dynamic_7", "gender"})
	p, err := decodePage([]byte(body), sel, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"dynamic_7": 1, "gender": 1, "position": 1}
	for i, k := range sel.required {
		if p.absent[i] != want[k] {
			t.Errorf("%s absent on %d employees, want %d", k, p.absent[i], want[k])
		}
	}
	if len(p.Employees) != 3 || p.Employees[1].Gender != "" {
		t.Errorf("employees %+v", p.Employees)
	}
}

func TestDecodeEmployee(t *testing.T) {
	one := `{"success":true,"data":{"type":"Employee","attributes":{` +
		attr("id", "integer", `7`) + "," + attr("first_name", "standard", `"Ann"`) + "," + attr("dynamic_1", "list", `"M"`) + `}}}`
	tests := []struct {
		name, body, errHas string
	}{
		{"employee", one, ""},
		{"success false", `{"success":false,"error":{"code":404,"message":"Employee not found"}}`, "success=false: Employee not found"},
		{"data null", `{"success":true,"data":null}`, "holds no employee attributes"},
		{"data a list", `{"success":true,"data":[]}`, "data is a list, not an employee object"},
		{"attribute not an envelope", `{"success":true,"data":{"attributes":{"id":7}}}`, "data is not an employee object: attribute \"id\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := decodeEmployee([]byte(tt.body), newSelection([]string{"dynamic_1"}, nil))
			if wantErr(t, err, tt.errHas) {
				return
			}
			if v, _ := e.Attr("dynamic_1"); e.ID != 7 || e.FirstName != "Ann" || v != "M" || len(e.Attributes) != 1 {
				t.Errorf("got %+v", e)
			}
		})
	}
}

// TestAttrText covers the display text of the value shapes Personio sends.
func TestAttrText(t *testing.T) {
	for raw, want := range map[string]string{
		`"Berlin"`: "Berlin", `null`: "", `""`: "", `3000`: "3000", `40.5`: "40.5", `true`: "true",
		`{"type":"Office","attributes":{"id":1,"name":"Berlin"}}`:                                  "Berlin",
		`[{"type":"CostCenter","attributes":{"id":1,"name":"CC 1","percentage":60}},{"name":"B"}]`: "CC 1, B",
		`["Go","",null,"SQL"]`: "Go, SQL",
		`{"type":"Employee","attributes":{"id":{"label":"ID","value":2,"type":"integer"}}}`: "2",
		`{"shape":[1, 2]}`:     `{"shape":[1,2]}`,
		`{"label":"L","id":3}`: "L",
		`"a\nb \u00e9"`:        "a\nb é",
	} {
		if got := attrText([]byte(raw)); got != want {
			t.Errorf("attrText(%s) = %q, want %q", raw, got, want)
		}
	}
}
