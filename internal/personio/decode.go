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

// keepSet selects the attributes an Employee keeps raw in Attributes; nil
// keeps every attribute.
type keepSet map[string]struct{}

func newKeepSet(keys []string) keepSet {
	if keys == nil {
		return nil
	}
	k := make(keepSet, len(keys))
	for _, key := range keys {
		k[key] = struct{}{}
	}
	return k
}

func (k keepSet) has(key []byte) bool {
	if k == nil {
		return true
	}
	_, ok := k[string(key)]
	return ok
}

// envelope is the employees answer around its data, with the numbers that
// Personio documents as integers kept raw so that numeric strings from
// third-party dumps and proxies decode too.
type envelope struct {
	success                                *bool
	hasMetadata                            bool
	totalElements, currentPage, totalPages []byte
	offset, limit                          []byte
	data                                   []byte
	errorMessage                           string
}

// decodePage turns an employees answer into a Page, keeping every
// attribute raw. Errors say what was wrong with the answer; the caller
// names the page.
func decodePage(body []byte, offset, limit int) (Page, error) {
	return decodePageKeep(body, offset, limit, nil)
}

// decodePageKeep is decodePage keeping only the attributes in keep (all
// when keep is nil) in Employee.Attributes.
func decodePageKeep(body []byte, offset, limit int, keep keepSet) (Page, error) {
	// One validating pass up front lets the decoder below skip what it does
	// not need without checking syntax again.
	if !json.Valid(body) {
		var v any
		err := json.Unmarshal(body, &v)
		if err == nil {
			err = errors.New("invalid JSON")
		}
		return Page{}, fmt.Errorf("the answer is not the expected JSON: %w", err)
	}
	w, err := readEnvelope(body)
	if err != nil {
		return Page{}, fmt.Errorf("the answer is not the expected JSON: %w", err)
	}
	if w.success != nil && !*w.success {
		return Page{}, successFalseError(w.errorMessage)
	}
	if !w.hasMetadata || isNull(w.totalElements) {
		return Page{}, errors.New("metadata.total_elements is missing, so the listing's size is unknown")
	}
	p := Page{Offset: offset, Limit: limit}
	if p.Total, err = intField("metadata.total_elements", w.totalElements); err != nil {
		return Page{}, err
	}
	if p.Total < 0 {
		return Page{}, fmt.Errorf("metadata.total_elements is negative (%d)", p.Total)
	}
	// The echoes are informational: tolerate them missing or odd.
	p.CurrentPage, _ = intField("", w.currentPage)
	p.TotalPages, _ = intField("", w.totalPages)
	if n, err := intField("", w.offset); err == nil && !isNull(w.offset) {
		p.Offset = n
	}
	if n, err := intField("", w.limit); err == nil && !isNull(w.limit) {
		p.Limit = n
	}

	data := w.data
	if len(data) == 0 || bytes.Equal(data, []byte("null")) {
		return p, nil
	}
	if data[0] != '[' {
		return Page{}, fmt.Errorf("data is %s, not a list of employees", jsonKind(data))
	}
	d := pageDecoder{keep: keep, strs: map[string]string{}, offices: map[string]*Office{}}
	if p.Employees, err = d.employees(data, limit); err != nil {
		return Page{}, err
	}
	return p, nil
}

// readEnvelope reads the members around data from a valid JSON document.
// Like encoding/json, member names match regardless of case and the last
// of duplicate members wins.
func readEnvelope(body []byte) (envelope, error) {
	var w envelope
	s := scanner{b: body}
	switch c := s.peek(); c {
	case 'n':
		return w, nil
	case '{':
	default:
		return w, fmt.Errorf("it is %s, not an object", jsonKind(body[s.i:]))
	}
	s.enter()
	for {
		key, esc, ok := s.member()
		if !ok {
			return w, nil
		}
		v := s.value()
		switch {
		case keyIs(key, esc, "success"):
			switch v[0] {
			case 't', 'f':
				b := v[0] == 't'
				w.success = &b
			case 'n':
				w.success = nil
			default:
				return w, fmt.Errorf("success is %s, not a boolean", jsonKind(v))
			}
		case keyIs(key, esc, "metadata"):
			if err := w.readMetadata(v); err != nil {
				return w, err
			}
		case keyIs(key, esc, "offset"):
			w.offset = v
		case keyIs(key, esc, "limit"):
			w.limit = v
		case keyIs(key, esc, "data"):
			w.data = v
		case keyIs(key, esc, "error"):
			_, w.errorMessage, _ = v1ErrorMember(v)
		}
	}
}

func (w *envelope) readMetadata(v []byte) error {
	switch v[0] {
	case 'n':
		w.hasMetadata = false
		w.totalElements, w.currentPage, w.totalPages = nil, nil, nil
		return nil
	case '{':
	default:
		return fmt.Errorf("metadata is %s, not an object", jsonKind(v))
	}
	w.hasMetadata = true
	s := scanner{b: v}
	s.enter()
	for {
		key, esc, ok := s.member()
		if !ok {
			return nil
		}
		raw := s.value()
		switch {
		case keyIs(key, esc, "total_elements"):
			w.totalElements = raw
		case keyIs(key, esc, "current_page"):
			w.currentPage = raw
		case keyIs(key, esc, "total_pages"):
			w.totalPages = raw
		}
	}
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
