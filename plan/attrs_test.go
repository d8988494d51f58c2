package plan

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestAttrs(t *testing.T) {
	a := NewAttrs(FieldLocation, "berlin", FieldFirstName, "Ada", FieldGender, "", FieldEmail, "ada@acme.test")

	t.Run("values", func(t *testing.T) {
		for f, want := range map[string]string{FieldFirstName: "Ada", FieldEmail: "ada@acme.test", FieldLocation: "berlin", FieldGender: "", FieldTitle: "", "no such field": ""} {
			if got := a.Get(f); got != want {
				t.Errorf("Get(%q) = %q, want %q", f, got, want)
			}
			if a.Has(f) != (want != "") {
				t.Errorf("Has(%q) = %v", f, a.Has(f))
			}
		}
		if a.Len() != 3 || a.IsNone() {
			t.Errorf("Len %d, IsNone %v", a.Len(), a.IsNone())
		}
	})
	t.Run("order", func(t *testing.T) {
		var inField, byName []string
		for k := range a.All() {
			inField = append(inField, k)
		}
		for k := range a.Sorted() {
			byName = append(byName, k)
		}
		if strings.Join(inField, ",") != "first_name,email,location" || strings.Join(byName, ",") != "email,first_name,location" {
			t.Errorf("All %v, Sorted %v", inField, byName)
		}
	})
	t.Run("With copies", func(t *testing.T) {
		b := a.With(FieldEmail, "").With(FieldPosition, "Engineer")
		if a.Get(FieldEmail) != "ada@acme.test" || a.Has(FieldPosition) {
			t.Errorf("With changed the original: %v", a)
		}
		if b.Has(FieldEmail) || b.Get(FieldPosition) != "Engineer" || b.Get(FieldFirstName) != "Ada" {
			t.Errorf("With gave %v", b)
		}
		if !(Attrs{}).With(FieldName, "x").Equal(NewAttrs(FieldName, "x")) {
			t.Error("With on none")
		}
	})
	t.Run("Only and equality", func(t *testing.T) {
		o := a.Only([]string{FieldFirstName, FieldLocation, FieldTitle})
		if !maps.Equal(o.Map(), map[string]string{FieldFirstName: "Ada", FieldLocation: "berlin"}) {
			t.Errorf("Only gave %v", o)
		}
		if !a.Equal(AttrsOf(a.Map())) || a.Equal(o) {
			t.Error("Equal")
		}
		if !(Attrs{}).Equal(noAttrs) || !(Attrs{}).IsNone() || noAttrs.IsNone() || (Attrs{}).Only(employeeFields).IsNone() != true {
			t.Error("none and no values: equal values, yet only one is none")
		}
	})
	t.Run("parse", func(t *testing.T) {
		if _, err := parseAttrs(map[string]string{"nickname": "x"}); err == nil || !strings.Contains(err.Error(), `"nickname"`) {
			t.Errorf("an unknown field: %v", err)
		}
		if p, err := parseAttrs(nil); err != nil || !p.IsNone() {
			t.Errorf("nil map: %v, %v", p, err)
		}
		every := map[string]string{}
		for i, f := range fieldNames {
			every[f] = strings.Repeat("v", i+1)
		}
		p := AttrsOf(every)
		if p.Len() != numFields || !maps.Equal(p.Map(), every) {
			t.Errorf("every field: %v", p)
		}
		keys := slices.Collect(maps.Keys(p.Map()))
		if len(keys) != numFields {
			t.Errorf("%d keys", len(keys))
		}
	})
}

// BenchmarkAttrs is the cost of building the attributes of one employee
// and comparing them with the row's.
func BenchmarkAttrs(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		x := NewAttrs(FieldFirstName, "Ada", FieldLastName, "Lovelace", FieldGender, "female", FieldPosition, "Engineer",
			FieldEmail, "ada@acme.test", FieldStatus, "active", FieldProfileImageURL, "https://x.test/1", FieldLocation, "berlin")
		y := x.With(FieldPosition, "Staff Engineer")
		if x.Equal(y) {
			b.Fatal("equal")
		}
	}
}
