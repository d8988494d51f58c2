package personiosim

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestWideEmployees(t *testing.T) {
	ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 1, Employees: 40, Offices: 3}), Faults: Faults{WideEmployees: true}})
	tok := ts.token()
	_, p, b := ts.page(tok, url.Values{"limit": {"40"}})
	withPicture := 0
	for _, d := range p.Data {
		n := len(d.Attributes)
		if _, ok := d.Attributes["profile_picture"]; ok {
			withPicture++
			if n != 60 {
				t.Fatalf("an employee with a picture has %d attributes, want 60", n)
			}
		} else if n != 59 {
			t.Fatalf("an employee without a picture has %d attributes, want 59", n)
		}
		for key, raw := range d.Attributes {
			var a attr
			if err := json.Unmarshal(raw, &a); err != nil || a.Type == "" || a.Label == "" {
				t.Fatalf("attribute %s is not an envelope: %s", key, raw)
			}
		}
	}
	if withPicture == 0 {
		t.Fatal("no employee has a picture: the count of 60 was not checked")
	}
	// Every type Personio knows, and nested objects and lists of objects.
	for _, want := range []string{`"type":"decimal"`, `"type":"date"`, `"type":"list"`, `"type":"tags"`, `"type":"multiline"`, `"type":"integer"`,
		`"value":{"type":"Employee","attributes":{"id":{`, `"value":[{"type":"CostCenter"`, `"value":{"type":"WorkSchedule"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("no %s on a wide page", want)
		}
	}
	// The same employee renders the same way twice (values derive from it).
	_, again, _ := ts.page(tok, url.Values{"limit": {"40"}})
	if string(again.Data[7].Attributes["dynamic_9005"]) != string(p.Data[7].Attributes["dynamic_9005"]) {
		t.Error("a wide value changed between two reads")
	}

	_, _, lb := ts.do("GET", "/v1/company/employees/attributes", tok, "", "")
	var list struct {
		Data []struct {
			Key     string   `json:"key"`
			Options []string `json:"options"`
		} `json:"data"`
	}
	if err := json.Unmarshal(lb, &list); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, a := range list.Data {
		keys[a.Key] = true
		if a.Key == "dynamic_9004" && len(a.Options) == 0 {
			t.Error("the list attribute dynamic_9004 has no options")
		}
	}
	for key := range p.Data[0].Attributes {
		if !keys[key] {
			t.Errorf("attribute %s is on employees but not in the attribute list", key)
		}
	}
}

func TestHiddenListed(t *testing.T) {
	ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 1, Employees: 5, Offices: 1}),
		Faults: Faults{HiddenAttributes: []string{"position"}, HiddenListed: true}})
	tok := ts.token()
	_, p, _ := ts.page(tok, url.Values{})
	for _, d := range p.Data {
		if _, ok := d.Attributes["position"]; ok {
			t.Fatal("a hidden attribute is on a page")
		}
	}
	if _, _, b := ts.do("GET", "/v1/company/employees/attributes", tok, "", ""); !strings.Contains(string(b), `"key":"position"`) {
		t.Errorf("the attribute list leaves out position although HiddenListed: %s", b)
	}
	if status, _, b := ts.do("GET", "/v1/company/employees/3", tok, "", ""); status != 200 || strings.Contains(string(b), `"position"`) {
		t.Errorf("by id: status %d, body %s; want 200 without position", status, b)
	}
}

// TestShiftEvery checks the moving listing: total_elements stays the
// same, the rows after the deleted one move up, a new employee appears at
// the end, and ShiftTimes bounds the moves.
func TestShiftEvery(t *testing.T) {
	ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 1, Employees: 250, Offices: 2}), Faults: Faults{ShiftEvery: 2, ShiftTimes: 1}, Seed: 4})
	tok := ts.token()
	first := ts.Employees()
	get := func(offset int) page {
		_, p, _ := ts.page(tok, url.Values{"limit": {"100"}, "offset": {strconv.Itoa(offset)}})
		return p
	}
	get(0)
	p1 := get(100) // first page after the head: no move yet
	if ts.Shifts() != 0 || p1.ids(t)[0] != first[100].ID {
		t.Fatalf("moved before the second page with an offset (shifts %d)", ts.Shifts())
	}
	p2 := get(200) // moved before this one was read
	if ts.Shifts() != 1 {
		t.Fatalf("shifts %d, want 1", ts.Shifts())
	}
	after := ts.Employees()
	if len(after) != len(first) || p2.Metadata.TotalElements != 250 {
		t.Fatalf("total %d (%d employees), want 250", p2.Metadata.TotalElements, len(after))
	}
	if p2.ids(t)[0] != first[201].ID {
		t.Errorf("the page at 200 starts with %d, want %d: the rows did not move up", p2.ids(t)[0], first[201].ID)
	}
	gone := 0
	for _, e := range first {
		if !slices.ContainsFunc(after, func(a Employee) bool { return a.ID == e.ID }) {
			gone++
		}
	}
	hire := after[len(after)-1]
	if gone != 1 || hire.ID != first[len(first)-1].ID+1 || hire.Status != "onboarding" {
		t.Errorf("%d employees gone, the last is %+v; want one gone and a hire at the end", gone, hire)
	}
	get(100)
	get(200)
	if ts.Shifts() != 1 {
		t.Errorf("shifts %d after ShiftTimes 1", ts.Shifts())
	}
	ts.SetFaults(Faults{ShiftEvery: 1})
	get(100)
	if ts.Shifts() != 1 {
		t.Errorf("setting the faults did not restart the count: %d", ts.Shifts())
	}
}
