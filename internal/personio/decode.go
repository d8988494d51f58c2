package personio

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// employeePage is one answer of GET /v1/company/employees.
type employeePage struct {
	Employees []Employee
	// Total is metadata.total_elements: how many employees the whole
	// listing holds at the moment this page was answered.
	Total int

	// absent counts, per key of the client's required attributes (in the
	// order of selection.required), the employees of the page that lack it.
	absent []int
}

// decodeOptions configure every jsontext.Decoder the client uses.
// Duplicate member names are allowed, the last one winning as with
// encoding/json: Personio does not send them, and checking would cost a
// set of names per object. Invalid UTF-8 is refused, so every text the
// client keeps is valid UTF-8.
func decodeOptions() jsontext.Options { return jsontext.AllowDuplicateNames(true) }

// newDecoder returns a validating decoder that reads b in place.
func newDecoder(b []byte) *jsontext.Decoder {
	return jsontext.NewDecoder(bytes.NewBuffer(b), decodeOptions())
}

// decodePage turns an employees answer into a page in one validating pass
// over the body. Every attribute of an employee that sel does not ask for
// is skipped without being copied; what the page keeps is copied out of
// body, which the caller may reuse afterwards. The first repeat employees
// are not counted in absent (the previous page counted them). Errors say
// what was wrong with the answer (and for malformed JSON the byte offset);
// the caller names the page.
func decodePage(body []byte, sel *selection, repeat int) (employeePage, error) {
	d := newPageDecoder(body, sel)
	d.repeat = repeat
	var p employeePage
	var hasTotal bool
	err := d.envelope(func(name []byte) (err error) {
		switch {
		case bytes.EqualFold(name, []byte("metadata")):
			// Only total_elements is needed; missing or null, the total is
			// unknown (as with the last of duplicate metadata members).
			hasTotal = false
			err = d.members("metadata", "an object", func(name []byte) error {
				isTotal := bytes.EqualFold(name, []byte("total_elements"))
				v, err := d.dec.ReadValue()
				if err != nil || !isTotal {
					return err
				}
				if hasTotal = !isNull(v); hasTotal {
					p.Total, err = intField("metadata.total_elements", v)
				}
				return err
			})
		case bytes.EqualFold(name, []byte("data")):
			p.Employees, err = d.employees()
		default:
			err = d.dec.SkipValue()
		}
		return err
	})
	switch {
	case err != nil:
		return employeePage{}, err
	case !hasTotal:
		return employeePage{}, errors.New("metadata.total_elements is missing, so the listing's size is unknown")
	case p.Total < 0:
		return employeePage{}, fmt.Errorf("metadata.total_elements is negative (%d)", p.Total)
	}
	p.absent = d.absent
	return p, nil
}

// envelope reads the top-level object of a v1 answer. It reads success
// and error itself and calls member with every other member (see
// members). It checks that nothing follows the object, turns JSON errors
// into a *syntaxError with the byte offset, and fails an answer with
// success=false with Personio's message.
func (d *pageDecoder) envelope(member func(name []byte) error) error {
	if err := d.v1Envelope(member); err != nil {
		return err
	}
	if d.success != nil && !*d.success {
		return successFalseError(d.message)
	}
	return nil
}

// v1Envelope is envelope without judging success: it leaves success (nil
// when missing or null) and the error message in d.success and d.message.
func (d *pageDecoder) v1Envelope(member func(name []byte) error) error {
	switch k := d.dec.PeekKind(); k {
	case '{', 'n', 0: // 0: members reads the syntax error PeekKind saw
	default:
		if _, err := d.dec.ReadToken(); err != nil {
			return notJSON(err)
		}
		return fmt.Errorf("the answer is not the expected JSON: it is %s, not an object", kindText(k))
	}
	err := d.members("", "", func(name []byte) error {
		isSuccess, isError := bytes.EqualFold(name, []byte("success")), bytes.EqualFold(name, []byte("error"))
		if !isSuccess && !isError {
			return member(name)
		}
		v, err := d.dec.ReadValue()
		switch {
		case err != nil:
			return err
		case isError:
			// Anything but the documented {code, message} reads as no message.
			_, d.message, _ = v1ErrorMember(v)
		case v.Kind() == 't' || v.Kind() == 'f':
			d.success = new(v.Kind() == 't')
		case v.Kind() == 'n':
			d.success = nil
		default:
			return fmt.Errorf("success is %s, not a boolean", kindText(v.Kind()))
		}
		return nil
	})
	if err != nil {
		return notJSON(err)
	}
	// Nothing but whitespace may follow the answer's value.
	if _, err := d.dec.ReadValue(); err != io.EOF {
		if err == nil {
			err = fmt.Errorf("more than one JSON value (the second starts before offset %d)", d.dec.InputOffset())
		}
		return notJSON(err)
	}
	return nil
}

// notJSON turns the decoder's syntax errors into a *syntaxError naming
// where in the answer it broke; other errors (the shape was wrong) pass
// as they are.
func notJSON(err error) error {
	var se *jsontext.SyntacticError
	switch {
	case errors.As(err, &se):
		return &syntaxError{Offset: se.ByteOffset, Pointer: string(se.JSONPointer), Reason: syntaxReason(se)}
	case err == io.EOF:
		return &syntaxError{Reason: "it is empty"}
	}
	return err
}

// syntaxError is an answer that is not valid JSON: Reason says what broke
// at byte Offset, within the value Pointer (RFC 6901) points at.
type syntaxError struct {
	Offset  int64
	Pointer string
	Reason  string
}

func (e *syntaxError) Error() string {
	s := "the answer is not the expected JSON: " + e.Reason
	if e.Reason != "it is empty" {
		s += " at byte offset " + strconv.FormatInt(e.Offset, 10)
	}
	if e.Pointer != "" {
		s += " (in " + clip(e.Pointer) + ")"
	}
	return s
}

// syntaxReason is the decoder's description of what broke, without its
// package prefix or location (syntaxError adds the location).
func syntaxReason(se *jsontext.SyntacticError) string {
	if se.Err == nil {
		return "invalid JSON"
	}
	if errors.Is(se.Err, io.ErrUnexpectedEOF) {
		return "it ends too early"
	}
	return strings.TrimPrefix(se.Err.Error(), "jsontext: ")
}

// intField reads an integer given as a JSON number or a numeric string.
// null, "" and missing read as 0 without error.
func intField(name string, raw []byte) (int, error) {
	raw = bytes.TrimSpace(raw)
	if isNull(raw) {
		return 0, nil
	}
	s := string(raw)
	if raw[0] == '"' {
		u, err := jsontext.AppendUnquote(nil, raw)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
		s = strings.TrimSpace(string(u))
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
func isNull(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null" || string(raw) == `""`
}

// kindNames name the JSON kinds for messages.
var kindNames = map[jsontext.Kind]string{
	'{': "an object", '[': "a list", '"': "a string", 't': "a boolean", 'f': "a boolean", 'n': "null", '0': "a number",
}

// kindText names a JSON kind for messages.
func kindText(k jsontext.Kind) string { return cmp.Or(kindNames[k], "not a JSON value") }

// clip shortens a value for an error message.
func clip(s string) string {
	const n = 40
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
