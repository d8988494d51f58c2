package personio

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// pageDecoder reads the employees of one page. It keeps retained memory
// small: low-cardinality texts (status, gender, position, attribute labels
// and types) are interned per page, employees of the same office share one
// *Office (offices are read-only), each employee's own texts share one
// allocation, and the raw attribute values kept for Attr share one buffer
// per page. Only the attributes in keep are kept raw (all when keep is
// nil).
type pageDecoder struct {
	keep    keepSet
	strs    map[string]string  // interned texts, by their bytes
	offices map[string]*Office // decoded offices, by their raw JSON
	kept    []keptAttr         // kept attributes of the page, by employee
	keptLen int                // bytes of the kept values
	scratch []byte             // reused while building one employee's texts
}

// keptAttr is an attribute to keep on employee emp, its value still in the
// page's body.
type keptAttr struct {
	emp int
	key string
	a   Attribute
}

// own texts of an employee, collected into one string.
const (
	ownFirstName = iota
	ownLastName
	ownEmail
	ownPicture
	ownCount
)

// employees decodes data, a JSON list, in one walk of the scanner, which
// slices values out instead of building maps or boxing them. It is not the
// only pass over the bytes: decodePageKeep first checks the whole answer
// with json.Valid (the scanner checks no syntax), and readEnvelope skips
// over data once to find where it ends.
func (d *pageDecoder) employees(data []byte, limit int) ([]Employee, error) {
	out := make([]Employee, 0, min(max(limit, 1), PageSize))
	s := scanner{b: data}
	s.enter()
	for n := 1; s.elem(); n++ {
		switch c := s.peek(); c {
		case 'n':
			return nil, fmt.Errorf("employee #%d on the page has no attributes", n)
		case '{':
		default:
			return nil, fmt.Errorf("data is not a list of employee objects: employee #%d is %s", n, jsonKind(s.value()))
		}
		e, found, err := d.item(&s, len(out))
		if err != nil {
			if se := (shapeError{}); errors.As(err, &se) {
				return nil, fmt.Errorf("data is not a list of employee objects: employee #%d: %w", n, se.error)
			}
			return nil, fmt.Errorf("employee #%d on the page: %w", n, err)
		}
		if !found {
			return nil, fmt.Errorf("employee #%d on the page has no attributes", n)
		}
		out = append(out, e)
	}
	d.attachKept(out)
	return out, nil
}

// shapeError is an employee whose JSON is not shaped like Personio's
// (an attribute that is not an envelope object), as opposed to an employee
// whose values are wrong.
type shapeError struct{ error }

// item reads one employee item {type, attributes} at s; found is false when
// attributes is missing or null. As with encoding/json, the last of
// duplicate attributes members wins.
func (d *pageDecoder) item(s *scanner, idx int) (e Employee, found bool, err error) {
	mark := len(d.kept)
	s.enter()
	for {
		key, esc, ok := s.member()
		if !ok {
			return e, found, nil
		}
		if !keyIs(key, esc, "attributes") {
			s.value()
			continue
		}
		d.kept = d.kept[:mark]
		switch c := s.peek(); c {
		case 'n':
			s.value()
			e, found = Employee{}, false
		case '{':
			if e, err = d.employee(s, idx); err != nil {
				return Employee{}, false, err
			}
			found = true
		default:
			return Employee{}, false, shapeError{fmt.Errorf("attributes are %s, not an object", jsonKind(s.value()))}
		}
	}
}

// employee reads the typed fields out of the attributes object at s. Only
// the id is mandatory: every other attribute may be absent (not
// whitelisted), null or empty. idx is the employee's index on the page.
func (d *pageDecoder) employee(s *scanner, idx int) (Employee, error) {
	var (
		idRaw, officeRaw          []byte
		hasID, hasOffice          bool
		gender, position, status  []byte
		own                       [ownCount][]byte
		hasGender, hasPos, hasSts bool
		ownSet                    [ownCount]bool
	)
	s.enter()
	for {
		key, esc, ok := s.member()
		if !ok {
			break
		}
		k := key
		if esc {
			k = []byte(unquote(key, true))
		}
		a, val, err := d.attribute(s)
		if err != nil {
			return Employee{}, shapeError{fmt.Errorf("attribute %q: %w", clip(string(k)), err)}
		}
		switch string(k) {
		case "id":
			idRaw, hasID = val, true
		case "first_name":
			own[ownFirstName], ownSet[ownFirstName] = val, true
		case "last_name":
			own[ownLastName], ownSet[ownLastName] = val, true
		case "email":
			own[ownEmail], ownSet[ownEmail] = val, true
		case "profile_picture":
			own[ownPicture], ownSet[ownPicture] = val, true
		case "gender":
			gender, hasGender = val, true
		case "position":
			position, hasPos = val, true
		case "status":
			status, hasSts = val, true
		case "office":
			officeRaw, hasOffice = val, true
		}
		if d.keep.has(k) {
			a.Value = val
			d.kept = append(d.kept, keptAttr{emp: idx, key: d.intern(k), a: a})
			d.keptLen += len(val)
		}
	}

	if !hasID || isNull(idRaw) {
		return Employee{}, errors.New("it has no id")
	}
	id, err := idValue(idRaw)
	if err != nil {
		return Employee{}, err
	}
	if id <= 0 {
		return Employee{}, fmt.Errorf("id %d is not a Personio employee id", id)
	}
	e := Employee{ID: id}
	if hasGender {
		e.Gender = d.internText(gender)
	}
	if hasPos {
		e.Position = d.internText(position)
	}
	if hasSts {
		e.Status = d.internText(status)
		if lower := strings.ToLower(e.Status); lower != e.Status {
			e.Status = d.intern([]byte(lower))
		}
	}
	d.ownTexts(&e, own, ownSet)
	if hasOffice {
		if e.Office, err = d.office(officeRaw); err != nil {
			return Employee{}, fmt.Errorf("employee %d: office: %w", id, err)
		}
	}
	return e, nil
}

// attribute reads the attribute envelope {label, type, universal_id,
// value} at s; val is the raw value (nil when the member is missing). A
// null envelope is a present attribute without anything in it, as
// encoding/json would decode it.
func (d *pageDecoder) attribute(s *scanner) (a Attribute, val []byte, err error) {
	switch c := s.peek(); c {
	case 'n':
		s.value()
		return a, nil, nil
	case '{':
	default:
		return a, nil, fmt.Errorf("it is %s, not an object {label, type, value}", jsonKind(s.value()))
	}
	s.enter()
	for {
		key, esc, ok := s.member()
		if !ok {
			return a, val, nil
		}
		var dst *string
		switch {
		case keyIs(key, esc, "value"):
			val = s.value()
			continue
		case keyIs(key, esc, "label"):
			dst = &a.Label
		case keyIs(key, esc, "type"):
			dst = &a.Type
		case keyIs(key, esc, "universal_id"):
			dst = &a.UniversalID
		default:
			s.value()
			continue
		}
		switch c := s.peek(); c {
		case '"':
			raw, esc := s.str()
			if esc {
				*dst = unquote(raw, true)
			} else {
				*dst = d.intern(raw)
			}
		case 'n':
			s.value()
		default:
			return a, nil, fmt.Errorf("its %s is %s, not a string", clip(string(key)), jsonKind(s.value()))
		}
	}
}

// ownTexts sets the texts that are usually unique to an employee (names,
// email, picture URL) from one string allocation.
func (d *pageDecoder) ownTexts(e *Employee, own [ownCount][]byte, set [ownCount]bool) {
	var (
		spans [ownCount][2]int
		slow  [ownCount]string
		plain [ownCount]bool
	)
	buf := d.scratch[:0]
	for k := range own {
		if !set[k] {
			continue
		}
		if t, ok := plainText(own[k]); ok {
			spans[k] = [2]int{len(buf), len(buf) + len(t)}
			buf = append(buf, t...)
			plain[k] = true
		} else {
			slow[k] = strings.TrimSpace(AttrText(own[k]))
		}
	}
	d.scratch = buf
	all := string(buf)
	text := func(k int) string {
		if plain[k] {
			return all[spans[k][0]:spans[k][1]]
		}
		return slow[k]
	}
	e.FirstName = text(ownFirstName)
	e.LastName = text(ownLastName)
	e.Email = text(ownEmail)
	e.ProfilePictureURL = text(ownPicture)
}

// plainText returns the trimmed contents of a JSON string without escapes,
// the common case; ok is false for anything else.
func plainText(raw []byte) ([]byte, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return nil, false
	}
	in := raw[1 : len(raw)-1]
	if bytes.IndexByte(in, '\\') >= 0 || bytes.IndexByte(in, '"') >= 0 {
		return nil, false
	}
	return bytes.TrimSpace(in), true
}

// internText is the display text of a raw value, interned.
func (d *pageDecoder) internText(raw []byte) string {
	if t, ok := plainText(raw); ok {
		return d.intern(t)
	}
	return d.intern([]byte(strings.TrimSpace(AttrText(raw))))
}

func (d *pageDecoder) intern(b []byte) string {
	if s, ok := d.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	d.strs[s] = s
	return s
}

// office decodes an office value once per distinct raw JSON on the page.
func (d *pageDecoder) office(raw []byte) (*Office, error) {
	if o, ok := d.offices[string(raw)]; ok {
		return o, nil
	}
	o, ok := plainOffice(raw)
	if !ok {
		var err error
		if o, err = officeValue(raw); err != nil {
			return nil, err
		}
	}
	if o != nil {
		o.Name = d.intern([]byte(o.Name))
	}
	d.offices[string(raw)] = o
	return o, nil
}

// plainOffice decodes the usual office value, {"type":"Office",
// "attributes":{"id":N,"name":"…"}} or a flat {"id":N,"name":"…"}, with a
// plain-digit id and an unescaped name; ok is false for any other shape,
// which officeValue then reads.
func plainOffice(raw []byte) (o *Office, ok bool) { return plainOfficeIn(raw, false) }

func plainOfficeIn(raw []byte, nested bool) (o *Office, ok bool) {
	if len(raw) == 0 || raw[0] != '{' {
		return nil, false
	}
	var idRaw, nameRaw, attrs []byte
	s := scanner{b: raw}
	s.enter()
	for {
		key, esc, more := s.member()
		if !more {
			break
		}
		if esc {
			return nil, false
		}
		v := s.value()
		switch string(key) {
		case "attributes":
			if nested {
				return nil, false
			}
			attrs = v
		case "id":
			idRaw = v
		case "name":
			nameRaw = v
		case "type":
		default:
			return nil, false
		}
	}
	if !isNull(attrs) {
		if attrs[0] != '{' {
			return nil, false
		}
		if o, ok = plainOfficeIn(attrs, true); !ok || o == nil {
			return nil, false
		}
		return o, true
	}
	id, ok := digits(idRaw)
	if !ok {
		return nil, false
	}
	name, ok := plainText(nameRaw)
	if !ok {
		return nil, false
	}
	if id == 0 && len(name) == 0 {
		return nil, false
	}
	return &Office{ID: id, Name: string(name)}, true
}

// idValue reads an employee id: plain digits directly, anything else
// (numeric strings, 1042.0) through intField.
func idValue(raw []byte) (int64, error) {
	if n, ok := digits(raw); ok {
		return n, nil
	}
	n, err := intField("id", raw)
	return int64(n), err
}

// digits parses 1 to 18 ASCII digits (no overflow possible).
func digits(raw []byte) (int64, bool) {
	if len(raw) == 0 || len(raw) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range raw {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// attachKept copies the kept raw values out of the page's body into one
// buffer (so the body can be freed) and builds each employee's Attributes.
func (d *pageDecoder) attachKept(emps []Employee) {
	buf := make([]byte, 0, d.keptLen)
	for i := 0; i < len(d.kept); {
		j := i
		for j < len(d.kept) && d.kept[j].emp == d.kept[i].emp {
			j++
		}
		m := make(map[string]Attribute, j-i)
		for _, k := range d.kept[i:j] {
			a := k.a
			if a.Value != nil {
				start := len(buf)
				buf = append(buf, a.Value...)
				a.Value = buf[start:len(buf):len(buf)]
			}
			m[k.key] = a
		}
		emps[d.kept[i].emp].Attributes = m
		i = j
	}
}
