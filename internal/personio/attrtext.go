package personio

import (
	"bytes"

	"github.com/go-json-experiment/json/jsontext"
)

// texter renders attribute values as display text. Its decoder and buffer
// are reused from value to value, so that nested values (lists, related
// objects) cost no allocation once they have grown.
type texter struct {
	r   objReader
	buf bytes.Buffer
}

// appendText appends the display text of an attribute value (valid JSON)
// to dst: strings as they are, numbers as written, booleans as true or
// false, null (or no value) as nothing. Nested objects such as
// {"type":"Office","attributes":{"id":1,"name":"Berlin"}} render as their
// name, lists join their elements' texts with ", ".
func (t *texter) appendText(dst []byte, v jsontext.Value) []byte {
	if len(v) == 0 {
		return dst
	}
	switch v[0] {
	case '"':
		return appendString(dst, v)
	case 'n':
		return dst
	case '{', '[':
		t.buf.Reset()
		t.buf.Write(v)
		if t.r.dec == nil {
			t.r.dec = new(jsontext.Decoder)
		}
		t.r.dec.Reset(&t.buf, decodeOptions())
		out, _ := t.appendNested(dst, v) // v is valid JSON: no error
		return out
	}
	return append(dst, v...) // a number, true or false
}

// appendTrimmedText is appendText without surrounding white space, for
// the typed fields.
func (t *texter) appendTrimmedText(dst []byte, v jsontext.Value) []byte {
	start := len(dst)
	dst = t.appendText(dst, v)
	return append(dst[:start], bytes.TrimSpace(dst[start:])...)
}

// appendString appends the text of a JSON string: its bytes as they are
// when it has no escapes, the common case.
func appendString(dst []byte, v jsontext.Value) []byte {
	if bytes.IndexByte(v, '\\') < 0 {
		return append(dst, v[1:len(v)-1]...)
	}
	out, _ := jsontext.AppendUnquote(dst, v) // the decoder validated v: no error
	return out
}

// appendNested appends the text of the value t.r.dec is at, within whole,
// the value it reads. A list joins its elements' texts with ", ",
// leaving out empty ones. An object renders as its attributes member when
// that is an object (Personio's {type, attributes} wrapper), else as its
// first member named name, value, label or id (in that order of
// preference), else as its compact JSON.
func (t *texter) appendNested(dst []byte, whole jsontext.Value) ([]byte, error) {
	dec := t.r.dec
	switch dec.PeekKind() {
	case '[':
		if _, err := dec.ReadToken(); err != nil {
			return dst, err
		}
		sep := len(dst) // where a separator goes before the next text
		for dec.PeekKind() != ']' {
			mark := len(dst)
			if mark > sep {
				dst = append(dst, ", "...)
			}
			body := len(dst)
			var err error
			if dst, err = t.appendNested(dst, whole); err != nil {
				return dst, err
			}
			if len(dst) == body {
				dst = dst[:mark] // an empty element adds no separator
			}
		}
		_, err := dec.ReadToken()
		return dst, err
	case '{':
		return t.appendObject(dst, whole)
	}
	v, err := dec.ReadValue()
	if err != nil {
		return dst, err
	}
	return t.appendText(dst, v), nil // a string, number, boolean or null
}

// objectPrefs are the members an object renders as, most preferred first
// (see appendNested).
var objectPrefs = [...]string{"attributes", "name", "value", "label", "id"}

// appendObject renders the object t.r.dec is at (see appendNested): a
// member is rendered in place of the one rendered so far when it is
// preferred to it.
func (t *texter) appendObject(dst []byte, whole jsontext.Value) ([]byte, error) {
	dec := t.r.dec
	start, best := len(dst), len(objectPrefs)
	if _, err := dec.ReadToken(); err != nil {
		return dst, err
	}
	from := dec.InputOffset() - 1 // the opening brace
	err := t.r.rest(true, func(name []byte) (err error) {
		i := 0
		for i < best && string(name) != objectPrefs[i] {
			i++
		}
		if i == best || (i == 0 && dec.PeekKind() != '{') {
			return dec.SkipValue()
		}
		dst, best = dst[:start], i
		dst, err = t.appendNested(dst, whole)
		return err
	})
	if err != nil || best < len(objectPrefs) {
		return dst, err
	}
	compact := jsontext.Value(bytes.Clone(whole[from:dec.InputOffset()]))
	if err := compact.Compact(decodeOptions()); err != nil {
		return dst, err
	}
	return append(dst[:start], compact...), nil
}

// attrText is the display text of a raw attribute value; "" for null or
// invalid JSON.
func attrText(raw []byte) string {
	v := jsontext.Value(bytes.TrimSpace(raw))
	if !v.IsValid(decodeOptions()) {
		return ""
	}
	var t texter
	return string(t.appendText(nil, v))
}
