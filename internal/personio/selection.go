package personio

import (
	"net/url"
	"slices"
	"sync"
)

// field is a typed Employee field that an attribute key decodes into.
type field uint8

const (
	fieldNone field = iota
	fieldID
	fieldFirstName
	fieldLastName
	fieldEmail
	fieldPicture
	fieldGender
	fieldPosition
	fieldStatus
	fieldOffice
	fieldCount
)

// fieldKeys are the attribute keys of the typed fields.
var fieldKeys = [fieldCount]string{
	fieldID: "id", fieldFirstName: "first_name", fieldLastName: "last_name", fieldEmail: "email",
	fieldPicture: "profile_picture", fieldGender: "gender", fieldPosition: "position",
	fieldStatus: "status", fieldOffice: "office",
}

// fieldOf maps an attribute key to the typed field it fills.
func fieldOf(key []byte) field {
	for f := fieldID; f < fieldCount; f++ {
		if string(key) == fieldKeys[f] {
			return f
		}
	}
	return fieldNone
}

// selection says what the page decoder takes from an employee beyond the
// typed fields: which attributes it keeps as text (Options.KeepAttributes)
// and which it watches for absence (Options.RequiredAttributes). A client
// builds one and shares it between its page reads: read-only but for the
// office cache, which has a lock of its own.
type selection struct {
	keepAll  bool            // keep every attribute
	typed    [fieldCount]use // what to do with the typed fields' keys
	others   map[string]use  // what to do with other keys
	required []string        // sorted, without duplicates
	// project is the attributes[] query that asks Personio for just the
	// attributes the caller needs (the id, the required ones and the kept
	// ones), "" to ask for every one: a tenant with dozens of custom
	// attributes then answers with pages a fraction of the size.
	project string

	// offices are the offices decoded so far, by their raw JSON: a tenant
	// has a few offices and a listing thousands of employees in them, who
	// share one read-only *Office.
	mu      sync.RWMutex
	offices map[string]*Office
}

// use is what the decoder does with one attribute key besides filling a
// typed field.
type use struct {
	key  string // the key, one string shared by every employee keeping it
	keep bool
	req  int // 1 + index in selection.required; 0 when not required
}

// newSelection builds a selection: keep nil keeps every attribute, an
// empty keep none beyond the typed fields.
func newSelection(keep, required []string) *selection {
	s := &selection{keepAll: keep == nil, others: map[string]use{}, offices: map[string]*Office{}}
	s.required = slices.Compact(slices.Sorted(slices.Values(required)))
	uses := map[string]use{}
	for _, k := range keep {
		uses[k] = use{key: k, keep: true}
	}
	for i, k := range s.required {
		u := uses[k]
		u.key, u.req = k, i+1
		uses[k] = u
	}
	for f := fieldID; f < fieldCount; f++ {
		s.typed[f] = use{key: fieldKeys[f], keep: s.keepAll}
	}
	for k, u := range uses {
		if f := fieldOf([]byte(k)); f != fieldNone {
			s.typed[f] = use{key: fieldKeys[f], keep: u.keep || s.keepAll, req: u.req}
		} else {
			s.others[k] = u
		}
	}
	if !s.keepAll && len(s.required) > 0 {
		keys := slices.Compact(slices.Sorted(slices.Values(append(append([]string{"id"}, s.required...), keep...))))
		for _, k := range keys {
			s.project += "&attributes[]=" + url.QueryEscape(k)
		}
	}
	return s
}

// unprojected returns a selection like s that asks Personio for every
// attribute; s itself when it does already.
func (s *selection) unprojected() *selection {
	if s.project == "" {
		return s
	}
	return &selection{keepAll: s.keepAll, typed: s.typed, others: s.others, required: s.required, offices: map[string]*Office{}}
}

// use returns what to do with an attribute key of typed field f (or
// fieldNone). Other keys kept only because every attribute is have no
// shared key string: the decoder interns them.
func (s *selection) use(f field, key []byte) use {
	if f != fieldNone {
		return s.typed[f]
	}
	u, ok := s.others[string(key)]
	if !ok && s.keepAll {
		u.keep = true
	}
	return u
}

// office returns the office a raw office value (valid JSON) decodes to,
// decoding each distinct value once.
func (s *selection) office(raw []byte) (*Office, error) {
	s.mu.RLock()
	o, ok := s.offices[string(raw)]
	s.mu.RUnlock()
	if ok {
		return o, nil
	}
	o, err := officeValue(raw)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if prev, ok := s.offices[string(raw)]; ok {
		return prev, nil
	}
	s.offices[string(raw)] = o
	return o, nil
}
