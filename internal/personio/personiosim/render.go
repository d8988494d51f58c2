package personiosim

import (
	"encoding/json"
	"strconv"
	"sync"

	"github.com/go-json-experiment/json/jsontext"
)

// empRecord is an employee plus its pre-encoded attributes. Records are
// immutable once stored; an update stores a new record, so the encoding is
// computed at most once per version of an employee.
type empRecord struct {
	e    Employee
	once sync.Once
	std  []byte // "id":{…},… up to department, without office and picture
	dyn  []byte // ,"dynamic_…":{…} for every declared custom attribute
}

// stdAttr describes a standard attribute the simulator serves; value
// appends its value for an employee.
type stdAttr struct {
	key, label, typ string
	value           func(b []byte, e Employee) []byte
}

// standardAttrs are the standard attributes in the order they are
// rendered, the one source of their labels and types for both the employee
// pages and /attributes. Office and picture come last and have no value
// here: they are rendered per request (office names can change; picture
// URLs name the request's host).
var standardAttrs = [...]stdAttr{
	{"id", "ID", "integer", func(b []byte, e Employee) []byte { return strconv.AppendInt(b, e.ID, 10) }},
	{"first_name", "First name", "standard", func(b []byte, e Employee) []byte { return appendString(b, e.FirstName) }},
	{"last_name", "Last name", "standard", func(b []byte, e Employee) []byte { return appendString(b, e.LastName) }},
	{"email", "Email", "standard", func(b []byte, e Employee) []byte { return appendString(b, e.Email) }},
	{"gender", "Gender", "standard", func(b []byte, e Employee) []byte { return appendStrOrNull(b, e.Gender) }},
	{"status", "Status", "standard", func(b []byte, e Employee) []byte { return appendString(b, e.Status) }},
	{"position", "Position", "standard", func(b []byte, e Employee) []byte { return appendString(b, e.Position) }},
	{"hire_date", "Hire date", "date", appendHireDate},
	{"department", "Department", "standard", appendDepartment},
	stdOffice:  {"office", "Office", "standard", nil},
	stdPicture: {"profile_picture", "Profile Picture", "standard", nil},
}

// Indexes of office and picture in standardAttrs.
const stdOffice, stdPicture = 9, 10

// pictureWidth is the width named in rendered profile picture URLs.
const pictureWidth = 250

// encoded returns the cached encoding of everything but office and picture.
func (r *empRecord) encoded(attrs []AttributeDef) (std, dyn []byte) {
	r.once.Do(func() {
		r.std = appendStd(make([]byte, 0, 768), r.e, nil)
		r.dyn = appendDyn(make([]byte, 0, 384), r.e, attrs, nil, -1)
	})
	return r.std, r.dyn
}

// appendStd appends the standard attributes except office and picture;
// want, when not nil, filters by key. Each attribute but the first written
// starts with a comma; the caller's buffer must be empty or end at "{" if
// the first written should not.
func appendStd(b []byte, e Employee, want func(string) bool) []byte {
	mark := len(b)
	for _, a := range standardAttrs[:stdOffice] {
		if want != nil && !want(a.key) {
			continue
		}
		b = appendAttrHead(b, mark, a.key, a.label)
		b = a.value(b, e)
		b = appendAttrTail(b, a.typ, a.key)
	}
	return b
}

// appendHireDate appends the hire date followed by a midnight time, in the
// one string: the suffix needs no escaping, so it goes before the closing
// quote.
func appendHireDate(b []byte, e Employee) []byte {
	if e.HireDate == "" {
		return append(b, "null"...)
	}
	b = appendString(b, e.HireDate)
	return append(b[:len(b)-1], `T00:00:00+00:00"`...)
}

func appendDepartment(b []byte, e Employee) []byte {
	if e.Department == "" {
		return append(b, "null"...)
	}
	return appendRelated(b, "Department", departmentID(e.Department), e.Department)
}

// appendDyn appends the custom attributes that want accepts (all when want
// is nil), each after a comma when b has grown past mark.
func appendDyn(b []byte, e Employee, attrs []AttributeDef, want func(string) bool, mark int) []byte {
	for _, a := range attrs {
		if want != nil && !want(a.Key) {
			continue
		}
		b = appendAttrHead(b, mark, a.Key, a.Label)
		b = appendAny(b, e.Custom[a.Key])
		b = appendAttrTail(b, a.Type, a.UniversalID)
	}
	return b
}

// appendAttrHead and appendAttrTail surround an attribute's value:
// "key":{"label":…,"value": VALUE ,"type":…,"universal_id":…}, after a
// comma when b has grown past mark. An empty universal id renders as null;
// a standard attribute's universal id is its key.
func appendAttrHead(b []byte, mark int, key, label string) []byte {
	if len(b) > mark {
		b = append(b, ',')
	}
	b = appendString(b, key)
	b = append(b, `:{"label":`...)
	b = appendString(b, label)
	return append(b, `,"value":`...)
}

func appendAttrTail(b []byte, typ, universalID string) []byte {
	b = append(b, `,"type":`...)
	b = appendString(b, typ)
	b = append(b, `,"universal_id":`...)
	b = appendStrOrNull(b, universalID)
	return append(b, '}')
}

// appendRelated appends a related object {"type":…,"attributes":{"id":…,
// "name":…}}; openRelated leaves it open for more attributes.
func appendRelated(b []byte, typ string, id int64, name string) []byte {
	return append(openRelated(b, typ, id, name), "}}"...)
}

func openRelated(b []byte, typ string, id int64, name string) []byte {
	b = append(b, `{"type":`...)
	b = appendString(b, typ)
	b = appendNum(b, `,"attributes":{"id":`, id)
	b = append(b, `,"name":`...)
	return appendString(b, name)
}

// appendNum appends prefix and then n in decimal.
func appendNum[T int | int64 | uint64](b []byte, prefix string, n T) []byte {
	return strconv.AppendInt(append(b, prefix...), int64(n), 10)
}

// departmentID derives a stable id from a department name (FNV-1a), since
// the dataset names departments only.
func departmentID(name string) int64 {
	h := uint32(2166136261)
	for i := 0; i < len(name); i++ {
		h ^= uint32(name[i])
		h *= 16777619
	}
	return 200000 + int64(h%800000)
}

// appendString appends s as a JSON string: only what JSON requires is
// escaped, and invalid UTF-8 is replaced with U+FFFD (which is what the
// error, ignored here, reports).
func appendString(b []byte, s string) []byte {
	b, _ = jsontext.AppendQuote(b, s)
	return b
}

// appendStrOrNull appends s as a JSON string, or null when it is empty.
func appendStrOrNull(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return appendString(b, s)
}

func appendAny(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return appendString(b, v)
	}
	enc, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, enc...)
}

// employee returns a copy of the record's employee.
func (r *empRecord) employee() Employee { return r.e.clone() }
