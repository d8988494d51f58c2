package personio

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// pageDecoder reads the employees of one page from a validating jsontext
// decoder. It keeps retained memory small: low-cardinality texts (status,
// gender, position) are interned per page, employees of the same office
// share one *Office (see selection.office), each employee's own texts
// (names, email, picture URL, kept attributes) share one string
// allocation, and the kept attributes of a page share one backing array.
// Values are turned into text as soon as they are read: a decoder's value
// is only valid until its next read.
type pageDecoder struct {
	objReader
	texter  // renders values as text
	sel     *selection
	strs    map[string]string  // interned texts, by their bytes
	offices map[string]*Office // decoded offices, by their raw JSON

	// Per employee, reused: the texts collected so far and where each
	// typed text and kept attribute lies in them, and which required
	// attributes were present.
	text  []byte
	spans [fieldCount]span
	kept  []keptSpan
	seen  []bool
	// Per page: the kept attributes of all employees, and per required
	// attribute how many employees lacked it.
	attrs  []AttributeValue
	absent []int
	repeat int // leading employees not counted in absent
	read   int // employees read so far

	// The answer's success member (nil when missing or null) and its
	// error message.
	success *bool
	message string
}

// span is where a text lies in pageDecoder.text.
type span struct{ start, end int }

// keptSpan is a kept attribute whose text lies in pageDecoder.text.
type keptSpan struct {
	key        string
	start, end int
}

// newPageDecoder returns a decoder of body (which it reads in place) with
// the selection sel; nil keeps every attribute.
func newPageDecoder(body []byte, sel *selection) *pageDecoder {
	if sel == nil {
		sel = newSelection(nil, nil)
	}
	return &pageDecoder{
		objReader: objReader{dec: newDecoder(body)}, sel: sel,
		strs:    map[string]string{},
		offices: map[string]*Office{},
		seen:    make([]bool, len(sel.required)),
		absent:  make([]int, len(sel.required)),
	}
}

// shapeError is an employee whose JSON is not shaped like Personio's
// (an attribute that is not an envelope object), as opposed to an employee
// whose values are wrong.
type shapeError struct{ error }

// employees reads data, the list of employee items.
func (d *pageDecoder) employees() ([]Employee, error) {
	dec := d.dec
	if opened, err := d.open('[', "data", "a list of employees"); !opened {
		return nil, err
	}
	out := make([]Employee, 0, PageSize)
	var bounds [][2]int // where each employee's kept attributes lie in d.attrs
	for n := 1; dec.PeekKind() != ']'; n++ {
		switch k := dec.PeekKind(); k {
		// item reads a null as an employee without attributes, and returns
		// the syntax error PeekKind saw (0) or a garbled null hides.
		case '{', 'n', 0:
		default:
			return nil, fmt.Errorf("data is not a list of employee objects: employee #%d is %s", n, kindText(k))
		}
		first := len(d.attrs)
		e, found, err := d.item()
		if err != nil {
			var se shapeError
			switch {
			case isSyntax(err):
				return nil, err
			case errors.As(err, &se):
				return nil, fmt.Errorf("data is not a list of employee objects: employee #%d: %w", n, se.error)
			}
			return nil, fmt.Errorf("employee #%d on the page: %w", n, err)
		}
		if !found {
			return nil, fmt.Errorf("employee #%d on the page has no attributes", n)
		}
		out = append(out, e)
		bounds = append(bounds, [2]int{first, len(d.attrs)})
	}
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	for i, b := range bounds {
		if b[0] < b[1] {
			out[i].Attributes = d.attrs[b[0]:b[1]:b[1]]
		}
	}
	return out, nil
}

// item reads one employee item {type, attributes}; found is false when
// attributes is missing or null. As with encoding/json, the last of
// duplicate attributes members wins.
func (d *pageDecoder) item() (e Employee, found bool, err error) {
	mark := len(d.attrs)
	err = d.members("the employee", "an object", func(name []byte) (err error) {
		if !bytes.EqualFold(name, []byte("attributes")) {
			return d.dec.SkipValue()
		}
		d.attrs = d.attrs[:mark]
		if d.dec.PeekKind() != '{' {
			e, found = Employee{}, false
			_, err := d.open('{', "attributes", "an object")
			return shapeOf(err)
		}
		e, err = d.employee()
		found = err == nil
		return err
	})
	return e, found, err
}

// employee reads the attributes object of one employee. Only the id is
// mandatory: every other attribute may be absent (not readable for the
// credential), null or empty. Attributes nobody asked for are skipped
// without being copied.
func (d *pageDecoder) employee() (Employee, error) {
	d.text, d.kept = d.text[:0], d.kept[:0]
	d.spans = [fieldCount]span{}
	clear(d.seen)
	var (
		id        int
		hasID     bool
		office    *Office
		officeErr error
		interned  [fieldCount]string
	)
	if _, err := d.dec.ReadToken(); err != nil { // the opening brace item saw
		return Employee{}, err
	}
	err := d.rest(false, func(key []byte) error {
		f := fieldOf(key)
		u := d.sel.use(f, key)
		if u.req > 0 {
			d.seen[u.req-1] = true
		}
		if f == fieldNone && !u.keep {
			// Skipped unread: ReadValue validates the envelope and returns
			// it as a slice of the body, copying nothing, and is faster
			// than SkipValue, which walks it token by token.
			_, err := d.dec.ReadValue()
			return err
		}
		if u.key == "" {
			u.key = d.intern(key) // kept because every attribute is; key is valid until the next read
		}
		err := d.attribute(func(v jsontext.Value) (err error) {
			switch f {
			case fieldID:
				id, err = intField("id", v)
				hasID = !isNull(v)
			case fieldFirstName, fieldLastName, fieldEmail, fieldPicture:
				start := len(d.text)
				d.text = d.appendTrimmedText(d.text, v)
				d.spans[f] = span{start, len(d.text)}
			case fieldGender, fieldPosition, fieldStatus:
				start := len(d.text)
				d.text = d.appendTrimmedText(d.text, v)
				interned[f] = d.intern(d.text[start:])
				d.text = d.text[:start]
			case fieldOffice:
				// Reported below, when the id is surely known.
				office, officeErr = d.office(v)
			}
			if u.keep {
				start := len(d.text)
				d.text = d.appendText(d.text, v)
				d.kept = append(d.kept, keptSpan{u.key, start, len(d.text)})
			}
			return err
		})
		if se, ok := err.(shapeError); ok {
			return shapeError{fmt.Errorf("attribute %q: %w", clip(u.key), se.error)}
		}
		return err
	})
	if err != nil {
		return Employee{}, err
	}
	if d.read++; d.read > d.repeat {
		for i, seen := range d.seen {
			if !seen {
				d.absent[i]++
			}
		}
	}

	switch {
	case !hasID:
		return Employee{}, errors.New("it has no id")
	case id <= 0:
		return Employee{}, fmt.Errorf("id %d is not a Personio employee id", id)
	case officeErr != nil:
		return Employee{}, fmt.Errorf("employee %d: office: %w", id, officeErr)
	}
	e := Employee{ID: int64(id), Gender: interned[fieldGender], Position: interned[fieldPosition], Status: interned[fieldStatus], Office: office}
	if lower := strings.ToLower(e.Status); lower != e.Status {
		e.Status = d.intern([]byte(lower))
	}
	// One allocation holds the employee's own texts.
	all := string(d.text)
	text := func(f field) string { return all[d.spans[f].start:d.spans[f].end] }
	e.FirstName, e.LastName = text(fieldFirstName), text(fieldLastName)
	e.Email, e.ProfilePictureURL = text(fieldEmail), text(fieldPicture)
	for _, k := range d.kept {
		d.attrs = append(d.attrs, AttributeValue{Key: k.key, Value: all[k.start:k.end]})
	}
	return e, nil
}

// attribute reads an attribute envelope {label, value, type,
// universal_id} and hands its first value to take, which must use it at
// once: the decoder's next read invalidates it. A null envelope, or one
// without a value, is a present attribute without anything in it (take
// gets nil), as encoding/json would decode it. An envelope that is not an
// object is a shapeError.
func (d *pageDecoder) attribute(take func(v jsontext.Value) error) error {
	opened, err := d.open('{', "it", "an object {label, type, value}")
	if err != nil {
		return shapeOf(err)
	}
	taken := false
	if opened {
		err = d.rest(false, func(name []byte) error {
			if !bytes.EqualFold(name, []byte("value")) {
				return d.dec.SkipValue()
			}
			v, err := d.dec.ReadValue()
			if err != nil {
				return err
			}
			taken = true
			if err := take(v); err != nil {
				return err
			}
			for d.dec.PeekKind() != '}' { // the rest of the envelope, unread
				if err := d.dec.SkipValue(); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err == nil && !taken {
		err = take(nil)
	}
	return err
}

// objReader reads JSON objects member by member from a validating
// decoder.
type objReader struct {
	dec  *jsontext.Decoder
	name []byte // an unescaped member name, when it had escapes
}

// members reads an object, or a null (no members), calling member with
// each member's name, the decoder at its value, which member must
// consume. The name is unescaped and valid only until the decoder's next
// read. A value that is neither is an error saying that what is not
// expected.
func (d *objReader) members(what, expected string, member func(name []byte) error) error {
	if opened, err := d.open('{', what, expected); !opened {
		return err
	}
	return d.rest(true, member)
}

// rest is members for an object whose opening brace is read. Names are
// read as values, which copies nothing; strict first fails a name that is
// not a string as the decoder's ReadToken does, where it starts. (Without
// it the decoder fails it too, but where it finds the fault; the employee
// attributes and their envelopes have always been read so.)
func (d *objReader) rest(strict bool, member func(name []byte) error) error {
	for d.dec.PeekKind() != '}' {
		if strict && d.dec.PeekKind() != '"' {
			_, err := d.dec.ReadToken()
			return err
		}
		raw, err := d.dec.ReadValue()
		if err != nil {
			return err
		}
		name := raw[1 : len(raw)-1]
		if bytes.IndexByte(name, '\\') >= 0 {
			if d.name, err = jsontext.AppendUnquote(d.name[:0], raw); err != nil {
				return err
			}
			name = d.name
		}
		if err := member(name); err != nil {
			return err
		}
	}
	_, err := d.dec.ReadToken()
	return err
}

// open reads the opening of a container of kind want ('{' or '[') or a
// null, which leaves opened false. Anything else is an error saying that
// what is not expected.
func (d *objReader) open(want jsontext.Kind, what, expected string) (opened bool, err error) {
	switch k := d.dec.PeekKind(); k {
	case 'n':
		return false, d.dec.SkipValue()
	case want, 0: // 0: ReadToken returns the syntax error PeekKind saw
		_, err := d.dec.ReadToken()
		return err == nil, err
	default:
		return false, fmt.Errorf("%s is %s, not %s", what, kindText(k), expected)
	}
}

// shapeOf marks an error that is not the decoder's as a shapeError.
func shapeOf(err error) error {
	if err == nil || isSyntax(err) {
		return err
	}
	return shapeError{err}
}

// isSyntax reports whether err is the decoder's: the answer is not JSON.
func isSyntax(err error) bool {
	return errors.As(err, new(*jsontext.SyntacticError))
}

// intern returns b as a string shared by the page.
func (d *pageDecoder) intern(b []byte) string {
	if s, ok := d.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	d.strs[s] = s
	return s
}

// office decodes an office value: once per distinct raw JSON for the
// client (see selection.office), looked up without a lock within a page.
func (d *pageDecoder) office(raw jsontext.Value) (*Office, error) {
	if o, ok := d.offices[string(raw)]; ok {
		return o, nil
	}
	o, err := d.sel.office(raw)
	if err != nil {
		return nil, err
	}
	d.offices[string(raw)] = o
	return o, nil
}

// officeValue decodes the office attribute's value (valid JSON):
// {type:"Office", attributes:{id, name}}, a flat {id, name}, a bare name,
// or null/"" for none.
func officeValue(raw []byte) (*Office, error) {
	if isNull(raw) {
		return nil, nil
	}
	switch raw[0] {
	case '"':
		name := strings.TrimSpace(string(appendString(nil, raw)))
		if name == "" {
			return nil, nil
		}
		return &Office{Name: name}, nil
	case '{':
	default:
		return nil, fmt.Errorf("expected an object {type, attributes: {id, name}}, got %s", kindText(jsontext.Value(raw).Kind()))
	}
	var id, name, attrs []byte
	r := objReader{dec: newDecoder(raw)}
	err := r.members("office", "an object", func(key []byte) error {
		isAttrs, isID, isName := bytes.EqualFold(key, []byte("attributes")), bytes.EqualFold(key, []byte("id")), bytes.EqualFold(key, []byte("name"))
		v, err := r.dec.ReadValue()
		end := int(r.dec.InputOffset())
		own := raw[end-len(v) : end] // the decoder's v is valid only until its next read
		switch {
		case isAttrs:
			attrs = own
		case isID:
			id = own
		case isName:
			name = own
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if !isNull(attrs) {
		if attrs[0] != '{' {
			return nil, fmt.Errorf("attributes: expected an object {id, name}, got %s", kindText(jsontext.Value(attrs).Kind()))
		}
		return officeValue(attrs)
	}
	n, err := intField("id", id)
	if err != nil {
		return nil, err
	}
	o := &Office{ID: int64(n), Name: strings.TrimSpace(attrText(name))}
	if o.ID == 0 && o.Name == "" {
		return nil, nil
	}
	return o, nil
}
