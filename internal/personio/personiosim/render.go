package personiosim

import (
	"encoding/json"
	"strconv"
	"sync"

	"github.com/gridwork/gridsync/internal/jsonstr"
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

// stdAttr describes a standard attribute the simulator serves.
type stdAttr struct{ key, label, typ string }

// standardAttrs are the standard attributes in the order they are rendered.
// office and profile_picture are rendered per request (office names can
// change, picture URLs name the request's host).
var standardAttrs = []stdAttr{
	{"id", "ID", "integer"},
	{"first_name", "First name", "standard"},
	{"last_name", "Last name", "standard"},
	{"email", "Email", "standard"},
	{"gender", "Gender", "standard"},
	{"status", "Status", "standard"},
	{"position", "Position", "standard"},
	{"hire_date", "Hire date", "date"},
	{"department", "Department", "standard"},
	{"office", "Office", "standard"},
	{"profile_picture", "Profile Picture", "standard"},
}

// pictureWidth is the width named in rendered profile picture URLs.
const pictureWidth = 250

// encoded returns the cached encoding of everything but office and picture.
func (r *empRecord) encoded(attrs []AttributeDef) (std, dyn []byte) {
	r.once.Do(func() {
		r.std = appendStd(make([]byte, 0, 768), r.e, nil)
		r.dyn = appendDyn(make([]byte, 0, 384), r.e, attrs, nil)
	})
	return r.std, r.dyn
}

// appendStd appends the standard attributes except office and picture;
// want, when not nil, filters by key. Each attribute but the first written
// starts with a comma; the caller's buffer must be empty or end at "{" if
// the first written should not.
func appendStd(b []byte, e Employee, want func(string) bool) []byte {
	start := len(b)
	add := func(key, label, typ string, value func([]byte) []byte) {
		if want != nil && !want(key) {
			return
		}
		if len(b) > start {
			b = append(b, ',')
		}
		b = appendAttr(b, key, label, typ, key, value)
	}
	add("id", "ID", "integer", func(b []byte) []byte { return strconv.AppendInt(b, e.ID, 10) })
	add("first_name", "First name", "standard", str(e.FirstName))
	add("last_name", "Last name", "standard", str(e.LastName))
	add("email", "Email", "standard", str(e.Email))
	add("gender", "Gender", "standard", strOrNull(e.Gender))
	add("status", "Status", "standard", str(e.Status))
	add("position", "Position", "standard", str(e.Position))
	hire := ""
	if e.HireDate != "" {
		hire = e.HireDate + "T00:00:00+00:00"
	}
	add("hire_date", "Hire date", "date", strOrNull(hire))
	add("department", "Department", "standard", func(b []byte) []byte {
		if e.Department == "" {
			return append(b, "null"...)
		}
		return appendRelated(b, "Department", departmentID(e.Department), e.Department)
	})
	return b
}

// appendDyn appends the custom attributes, each starting with a comma.
func appendDyn(b []byte, e Employee, attrs []AttributeDef, want func(string) bool) []byte {
	for _, a := range attrs {
		if want != nil && !want(a.Key) {
			continue
		}
		b = append(b, ',')
		b = jsonstr.Append(b, a.Key)
		b = append(b, `:{"label":`...)
		b = jsonstr.Append(b, a.Label)
		b = append(b, `,"value":`...)
		b = appendAny(b, e.Custom[a.Key])
		b = append(b, `,"type":`...)
		b = jsonstr.Append(b, a.Type)
		b = append(b, `,"universal_id":`...)
		if a.UniversalID == "" {
			b = append(b, "null"...)
		} else {
			b = jsonstr.Append(b, a.UniversalID)
		}
		b = append(b, '}')
	}
	return b
}

func appendAttr(b []byte, key, label, typ, universalID string, value func([]byte) []byte) []byte {
	b = jsonstr.Append(b, key)
	b = append(b, `:{"label":`...)
	b = jsonstr.Append(b, label)
	b = append(b, `,"value":`...)
	b = value(b)
	b = append(b, `,"type":`...)
	b = jsonstr.Append(b, typ)
	b = append(b, `,"universal_id":`...)
	b = jsonstr.Append(b, universalID)
	return append(b, '}')
}

func appendRelated(b []byte, typ string, id int64, name string) []byte {
	b = append(b, `{"type":`...)
	b = jsonstr.Append(b, typ)
	b = append(b, `,"attributes":{"id":`...)
	b = strconv.AppendInt(b, id, 10)
	b = append(b, `,"name":`...)
	b = jsonstr.Append(b, name)
	return append(b, "}}"...)
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

func str(s string) func([]byte) []byte {
	return func(b []byte) []byte { return jsonstr.Append(b, s) }
}

func strOrNull(s string) func([]byte) []byte {
	return func(b []byte) []byte {
		if s == "" {
			return append(b, "null"...)
		}
		return jsonstr.Append(b, s)
	}
}

func appendAny(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return jsonstr.Append(b, v)
	}
	enc, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, enc...)
}
