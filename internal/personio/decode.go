package personio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Page is one answer of GET /v1/company/employees.
type Page struct {
	Employees []Employee
	// Total is metadata.total_elements: how many employees the whole
	// listing holds at the moment this page was answered.
	Total int
	// Offset and Limit as Personio echoed them (the requested values when it
	// did not). CurrentPage is 0-based.
	Offset, Limit           int
	CurrentPage, TotalPages int
}

// wirePage is the employees envelope. Numbers that Personio documents as
// integers are kept raw so that numeric strings from third-party dumps and
// proxies decode too.
type wirePage struct {
	Success  *bool `json:"success"`
	Metadata *struct {
		TotalElements json.RawMessage `json:"total_elements"`
		CurrentPage   json.RawMessage `json:"current_page"`
		TotalPages    json.RawMessage `json:"total_pages"`
	} `json:"metadata"`
	Offset json.RawMessage `json:"offset"`
	Limit  json.RawMessage `json:"limit"`
	Data   json.RawMessage `json:"data"`
	Error  *v1ErrorBody    `json:"error"`
}

type wireEmployee struct {
	Type       string               `json:"type"`
	Attributes map[string]Attribute `json:"attributes"`
}

// decodePage turns an employees answer into a Page. Errors say what was
// wrong with the answer; the caller names the page.
func decodePage(body []byte, offset, limit int) (Page, error) {
	var w wirePage
	if err := json.Unmarshal(body, &w); err != nil {
		return Page{}, fmt.Errorf("the answer is not the expected JSON: %w", err)
	}
	if w.Success != nil && !*w.Success {
		msg := "no reason given"
		if w.Error != nil && w.Error.Message != "" {
			msg = w.Error.Message
		}
		return Page{}, fmt.Errorf("Personio answered success=false: %s", msg)
	}
	if w.Metadata == nil || isNull(w.Metadata.TotalElements) {
		return Page{}, errors.New("metadata.total_elements is missing, so the listing's size is unknown")
	}
	p := Page{Offset: offset, Limit: limit}
	var err error
	if p.Total, err = intField("metadata.total_elements", w.Metadata.TotalElements); err != nil {
		return Page{}, err
	}
	if p.Total < 0 {
		return Page{}, fmt.Errorf("metadata.total_elements is negative (%d)", p.Total)
	}
	// The echoes are informational: tolerate them missing or odd.
	p.CurrentPage, _ = intField("", w.Metadata.CurrentPage)
	p.TotalPages, _ = intField("", w.Metadata.TotalPages)
	if n, err := intField("", w.Offset); err == nil && !isNull(w.Offset) {
		p.Offset = n
	}
	if n, err := intField("", w.Limit); err == nil && !isNull(w.Limit) {
		p.Limit = n
	}

	data := bytes.TrimSpace(w.Data)
	if len(data) == 0 || bytes.Equal(data, []byte("null")) {
		return p, nil
	}
	if data[0] != '[' {
		return Page{}, fmt.Errorf("data is %s, not a list of employees", jsonKind(data))
	}
	var items []wireEmployee
	if err := json.Unmarshal(data, &items); err != nil {
		return Page{}, fmt.Errorf("data is not a list of employee objects: %w", err)
	}
	p.Employees = make([]Employee, 0, len(items))
	for i, it := range items {
		if it.Attributes == nil {
			return Page{}, fmt.Errorf("employee #%d on the page has no attributes", i+1)
		}
		e, err := toEmployee(it.Attributes)
		if err != nil {
			return Page{}, fmt.Errorf("employee #%d on the page: %w", i+1, err)
		}
		p.Employees = append(p.Employees, e)
	}
	return p, nil
}

// toEmployee reads the typed fields out of an attribute map. Only the id is
// mandatory: every other attribute may be absent (not whitelisted), null or
// empty.
func toEmployee(attrs map[string]Attribute) (Employee, error) {
	idAttr, ok := attrs["id"]
	if !ok || isNull(idAttr.Value) {
		return Employee{}, errors.New("it has no id")
	}
	id, err := intField("id", idAttr.Value)
	if err != nil {
		return Employee{}, err
	}
	if id <= 0 {
		return Employee{}, fmt.Errorf("id %d is not a Personio employee id", id)
	}
	e := Employee{
		ID:                int64(id),
		FirstName:         text(attrs, "first_name"),
		LastName:          text(attrs, "last_name"),
		Gender:            text(attrs, "gender"),
		Position:          text(attrs, "position"),
		Email:             text(attrs, "email"),
		Status:            strings.ToLower(text(attrs, "status")),
		ProfilePictureURL: text(attrs, "profile_picture"),
		Attributes:        attrs,
	}
	if a, ok := attrs["office"]; ok {
		if e.Office, err = officeValue(a.Value); err != nil {
			return Employee{}, fmt.Errorf("employee %d: office: %w", id, err)
		}
	}
	return e, nil
}

func text(attrs map[string]Attribute, key string) string {
	a, ok := attrs[key]
	if !ok {
		return ""
	}
	v := bytes.TrimSpace(a.Value)
	// Fast path for the common plain string without escapes.
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' && bytes.IndexByte(v[1:len(v)-1], '\\') < 0 && bytes.IndexByte(v[1:len(v)-1], '"') < 0 {
		return strings.TrimSpace(string(v[1 : len(v)-1]))
	}
	return strings.TrimSpace(AttrText(v))
}

// officeValue decodes the office attribute: {type:"Office", attributes:{id,
// name}}, a flat {id, name}, a bare name, or null/"" for none.
func officeValue(raw json.RawMessage) (*Office, error) {
	raw = bytes.TrimSpace(raw)
	if isNull(raw) {
		return nil, nil
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		if s = strings.TrimSpace(s); s == "" {
			return nil, nil
		}
		return &Office{Name: s}, nil
	case '{':
	default:
		return nil, fmt.Errorf("expected an object {type, attributes: {id, name}}, got %s", jsonKind(raw))
	}
	var obj struct {
		Attributes json.RawMessage `json:"attributes"`
		ID         json.RawMessage `json:"id"`
		Name       json.RawMessage `json:"name"`
	}
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, err
	}
	if !isNull(obj.Attributes) {
		inner := obj.Attributes
		obj.ID, obj.Name = nil, nil
		if err := json.Unmarshal(inner, &obj); err != nil {
			return nil, fmt.Errorf("attributes: %w", err)
		}
	}
	id, err := intField("id", obj.ID)
	if err != nil {
		return nil, err
	}
	o := &Office{ID: int64(id), Name: strings.TrimSpace(AttrText(obj.Name))}
	if o.ID == 0 && o.Name == "" {
		return nil, nil
	}
	return o, nil
}

// intField reads an integer given as a JSON number or a numeric string.
// null, "" and missing read as 0 without error.
func intField(name string, raw json.RawMessage) (int, error) {
	raw = bytes.TrimSpace(raw)
	if isNull(raw) {
		return 0, nil
	}
	s := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return 0, nil
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return int(n), nil
	}
	// 1042.0 from a spreadsheet export is still 1042.
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return int(f), nil
	}
	return 0, fmt.Errorf("%s is %s, not an integer", name, clip(string(raw)))
}

// isNull reports whether raw is missing, null or the empty string.
func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || bytes.Equal(raw, []byte("null")) || bytes.Equal(raw, []byte(`""`))
}

func jsonKind(raw []byte) string {
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "a list"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// clip shortens a value for an error message.
func clip(s string) string {
	const n = 40
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
