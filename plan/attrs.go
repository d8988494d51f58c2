package plan

import (
	"fmt"
	"iter"
	"maps"
	"math/bits"
	"slices"
	"sort"
)

// Attrs are a resource's synced attributes as text, by field name (the
// Field* constants). A field without a value and one set to "" are the
// same. Attrs is a value: With returns a changed copy and nothing changes
// one in place, so plans, states and desired records share them freely.
//
// A plan of 100,000 employees holds 100,000 of them twice over (desired
// and current), so they are compact: a bit per known field says which have
// a value, and only those values are stored, in field order. That is a
// third of what a map of eight entries costs.
//
// The zero Attrs is none at all (a create's Before, a removal's After),
// which the JSON format writes as null; an Attrs without values that is
// not none (the Before of a row that had none) is written as {}.
type Attrs struct {
	set  uint32   // bit i: fieldNames[i] has a value
	vals []string // the values of the set fields, in field order; nil: none
}

// fieldNames are the fields Attrs knows, in field order; their bit is
// their index.
var fieldNames = [...]string{
	FieldName, FieldOfficeID, FieldOfficeName,
	FieldFirstName, FieldLastName, FieldGender, FieldPosition, FieldEmail, FieldStatus, FieldProfileImageURL, FieldLocation,
	FieldTitle, FieldDescription, FieldEmploymentType, FieldSchedule, FieldDepartment, FieldApplicationURL,
}

// The fields' indexes in fieldNames (their bits), for the hot paths that
// fill attrValues directly.
const (
	idxName = iota
	idxOfficeID
	idxOfficeName
	idxFirstName
	idxLastName
	idxGender
	idxPosition
	idxEmail
	idxStatus
	idxProfileImageURL
	idxLocation
	idxTitle
	idxDescription
	idxEmploymentType
	idxSchedule
	idxDepartment
	idxApplicationURL
)

// numFields is how many fields Attrs knows.
const numFields = len(fieldNames)

// inOrder are the field indexes in field order; byName are them in the
// order of their names, for writing attributes with sorted keys.
var inOrder, byName = func() (idx, sorted [numFields]int) {
	for i := range idx {
		idx[i] = i
	}
	sorted = idx
	sort.Slice(sorted[:], func(a, b int) bool { return fieldNames[sorted[a]] < fieldNames[sorted[b]] })
	return idx, sorted
}()

// fieldIndex returns the index of a field name (a switch: faster than a
// map or a loop for the handful of names every record asks for).
func fieldIndex(f string) (int, bool) {
	switch f {
	case FieldName:
		return idxName, true
	case FieldOfficeID:
		return idxOfficeID, true
	case FieldOfficeName:
		return idxOfficeName, true
	case FieldFirstName:
		return idxFirstName, true
	case FieldLastName:
		return idxLastName, true
	case FieldGender:
		return idxGender, true
	case FieldPosition:
		return idxPosition, true
	case FieldEmail:
		return idxEmail, true
	case FieldStatus:
		return idxStatus, true
	case FieldProfileImageURL:
		return idxProfileImageURL, true
	case FieldLocation:
		return idxLocation, true
	case FieldTitle:
		return idxTitle, true
	case FieldDescription:
		return idxDescription, true
	case FieldEmploymentType:
		return idxEmploymentType, true
	case FieldSchedule:
		return idxSchedule, true
	case FieldDepartment:
		return idxDepartment, true
	case FieldApplicationURL:
		return idxApplicationURL, true
	}
	return 0, false
}

// setOf returns the set of the given fields, a bit each as in Attrs.set
// (unknown names are left out).
func setOf(fields []string) uint32 {
	var s uint32
	for _, f := range fields {
		if i, ok := fieldIndex(f); ok {
			s |= 1 << i
		}
	}
	return s
}

// noAttrs is an Attrs that is not none but holds no value.
var noAttrs = Attrs{vals: []string{}}

// NewAttrs returns attributes from field, value pairs ("" is no value),
// without the map AttrsOf takes: for building many. It panics on an odd
// number of arguments or an unknown field (programming errors).
func NewAttrs(pairs ...string) Attrs {
	if len(pairs)%2 != 0 {
		panic("plan: NewAttrs takes field, value pairs")
	}
	var v attrValues
	for i := 0; i < len(pairs); i += 2 {
		v[mustIndex(pairs[i])] = pairs[i+1]
	}
	return v.attrs()
}

// AttrsOf returns the attributes of m. It panics on a key that is no
// field (a programming error); the plan file's reader checks its keys
// instead (parseAttrs).
func AttrsOf(m map[string]string) Attrs {
	a, err := parseAttrs(m)
	if err != nil {
		panic(err)
	}
	return a
}

// parseAttrs returns the attributes of m, or an error for a key that is no
// synced field. A nil map is none.
func parseAttrs(m map[string]string) (Attrs, error) {
	if m == nil {
		return Attrs{}, nil
	}
	var v attrValues
	// The error names the first unknown key in order, the same every time.
	var unknown []string
	for k, x := range m {
		if i, ok := fieldIndex(k); ok {
			v[i] = x
		} else {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		return Attrs{}, fmt.Errorf("unknown attribute %q", slices.Min(unknown))
	}
	return v.attrs(), nil
}

// attrValues are the values of every field, by index: the way Attrs are
// built on hot paths, without a map.
type attrValues [numFields]string

// mustIndex returns the index of f, which must be a known field.
func mustIndex(f string) int {
	i, ok := fieldIndex(f)
	if !ok {
		panic("plan: unknown attribute " + f)
	}
	return i
}

// attrs packs v into Attrs (never none).
func (v *attrValues) attrs() Attrs {
	var set uint32
	for i, x := range v {
		if x != "" {
			set |= 1 << i
		}
	}
	a := Attrs{set: set, vals: make([]string, 0, bits.OnesCount32(set))}
	for _, x := range v {
		if x != "" {
			a.vals = append(a.vals, x)
		}
	}
	return a
}

// values unpacks a.
func (a Attrs) values() attrValues {
	var v attrValues
	k := 0
	for i := range numFields {
		if a.set&(1<<i) != 0 {
			v[i] = a.vals[k]
			k++
		}
	}
	return v
}

// IsNone reports whether a is none at all (not merely without values).
func (a Attrs) IsNone() bool { return a.vals == nil }

// Len is how many fields have a value.
func (a Attrs) Len() int { return bits.OnesCount32(a.set) }

// Get returns the value of field f, "" when it has none.
func (a Attrs) Get(f string) string {
	i, ok := fieldIndex(f)
	if !ok || a.set&(1<<i) == 0 {
		return ""
	}
	return a.vals[bits.OnesCount32(a.set&(1<<i-1))]
}

// Has reports whether field f has a value.
func (a Attrs) Has(f string) bool {
	i, ok := fieldIndex(f)
	return ok && a.set&(1<<i) != 0
}

// With returns a copy of a with field f set to x ("" clears it). With on
// none gives attributes with just f.
func (a Attrs) With(f, x string) Attrs {
	v := a.values()
	v[mustIndex(f)] = x
	return v.attrs()
}

// Only returns the values of a for the given fields, dropping the rest.
// None stays none.
func (a Attrs) Only(fields []string) Attrs {
	keep := setOf(fields)
	if a.IsNone() || a.set&^keep == 0 {
		return a
	}
	v := a.values()
	for i := range v {
		if keep&(1<<i) == 0 {
			v[i] = ""
		}
	}
	return v.attrs()
}

// equalValues reports whether a holds the values of v for the fields in
// on.
func (a Attrs) equalValues(v *attrValues, on uint32) bool {
	k := 0
	for i := range numFields {
		var x string
		if a.set&(1<<i) != 0 {
			x = a.vals[k]
			k++
		}
		if on&(1<<i) != 0 && x != v[i] {
			return false
		}
	}
	return true
}

// Equal reports whether a and b hold the same values (none and no values
// are equal).
func (a Attrs) Equal(b Attrs) bool { return a.set == b.set && slices.Equal(a.vals, b.vals) }

// All yields the fields with a value and their values, in field order.
func (a Attrs) All() iter.Seq2[string, string] { return a.in(inOrder[:]) }

// Sorted yields the fields with a value and their values, by field name.
func (a Attrs) Sorted() iter.Seq2[string, string] { return a.in(byName[:]) }

// in yields the fields with a value and their values, in the order of the
// field indexes order.
func (a Attrs) in(order []int) iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for _, i := range order {
			if a.set&(1<<i) != 0 && !yield(fieldNames[i], a.vals[bits.OnesCount32(a.set&(1<<i-1))]) {
				return
			}
		}
	}
}

// Map returns the values as a map (nil for none), for scripts and tests.
func (a Attrs) Map() map[string]string {
	if a.IsNone() {
		return nil
	}
	return maps.Collect(a.All())
}

// String shows the values, sorted by field name, for test failures.
func (a Attrs) String() string {
	if a.IsNone() {
		return "none"
	}
	return fmt.Sprint(a.Map())
}
