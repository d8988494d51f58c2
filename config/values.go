package config

import (
	"cmp"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// Values read from the environment by env() may be secrets whose variable
// names do not look like it (a password in an innocent variable, a URL with
// credentials), and diagnostics end up in CI logs and pull-request comments.
// So env() marks what it reads (envMark), decoder.value turns the marks into
// the value's source, and no diagnostic ever shows such a value: the
// decoders refer to values only through source.show and leave out hints
// derived from them, and value itself redacts hcl's own diagnostics (see
// redactEnv).

// envMark marks a value that env() read from the environment, naming the
// variable.
type envMark struct{ name string }

// envRead is one value env() read from the environment.
type envRead struct{ name, value string }

// source says where an evaluated value came from: the env() calls that
// read it, such as env("A"), env("B") (sorted, without duplicates); ""
// for a value written in the configuration.
type source struct{ env string }

// sourceOf returns the source recorded by the marks of a value.
func sourceOf(marks cty.ValueMarks) source {
	var names []string
	for m := range marks {
		if em, ok := m.(envMark); ok && !slices.Contains(names, em.name) {
			names = append(names, em.name)
		}
	}
	slices.Sort(names)
	return source{env: envCalls(names)}
}

// fromEnv reports whether the value was read, wholly or in part, from the
// environment. Messages leave out hints derived from such a value (the
// subdomain guessed from a URL, a "did you mean"): they would show part of
// it.
func (s source) fromEnv() bool { return s.env != "" }

// show is how a message refers to a value: by literal, the value as the
// configuration writes it (quoted, for a string), when it was written in
// the file; by the env() calls it was read with otherwise, never by the
// value. Every message that mentions an evaluated value must go through it.
func (s source) show(literal string) string {
	if !s.fromEnv() {
		return literal
	}
	return "the value of " + s.env
}

// envCalls writes env("A") or env("A"), env("B"); "" for no names.
func envCalls(names []string) string {
	calls := make([]string, len(names))
	for i, n := range names {
		calls[i] = fmt.Sprintf("env(%q)", n)
	}
	return strings.Join(calls, ", ")
}

// text is an evaluated string argument with its source. Messages refer to
// it with quoted(), never by formatting s.
type text struct {
	s string
	source
}

// quoted is how a message refers to the string: see source.show.
func (t text) quoted() string { return t.show(strconv.Quote(t.s)) }

// redactEnv replaces, in the Summary and Detail of diags, each value of
// reads by the env() call that read it. value applies it to the
// diagnostics hcl itself produces while evaluating an expression, which
// may quote a value (the duplicate key of a for expression, a missing
// object attribute); the decoders' own messages never contain one (see
// source.show), so nothing else needs it.
func redactEnv(diags hcl.Diagnostics, reads []envRead) {
	// Longest first, so that a value containing another is replaced whole.
	reads = slices.Clone(reads)
	slices.SortStableFunc(reads, func(a, b envRead) int { return len(b.value) - len(a.value) })
	redact := func(s string) string {
		for _, r := range reads {
			by := "the value of " + envCalls([]string{r.name})
			s = strings.ReplaceAll(s, strconv.Quote(r.value), by)
			// Unquoted, a value of a few characters would match inside
			// words and garble the message; it would hardly be a secret.
			if len(r.value) >= minRedactLen {
				s = strings.ReplaceAll(s, r.value, by)
			}
		}
		return s
	}
	for _, d := range diags {
		d.Summary = redact(d.Summary)
		d.Detail = redact(d.Detail)
	}
}

// minRedactLen is the shortest value redactEnv replaces where it is not
// quoted.
const minRedactLen = 4

// form says how an argument is written, for the message about a value of
// the wrong type: every decoder passes one to decoder.value, which adds
// "Write a number, as in office_id = 123." to "number required, got
// string", followed by whatever hint fix gives.
type form struct {
	// example is the argument written right, such as `name = "Acme GmbH"`.
	example string
	// fix, when set, looks at the value of the wrong type and returns the
	// argument written right for it, replacing example when not empty, and
	// a further sentence (starting with a space), such as the argument the
	// user probably meant. It is only called for a value written in the
	// configuration, never for one read by env(), so that it may quote the
	// value.
	fix func(got cty.Value) (example, more string)
}

// eg is a form with an example only.
func eg(example string) form { return form{example: example} }

// hclLiteral writes v as the configuration would: "Berlin", ["active"].
func hclLiteral(v cty.Value) string {
	return string(hclwrite.TokensForValue(v).Bytes())
}

// typeHint completes the message for a value got of the wrong type: what
// to write instead, following f (see form).
func typeHint(want cty.Type, got cty.Value, src source, f form) string {
	example, more := f.example, ""
	if f.fix != nil && !src.fromEnv() {
		var ex string
		ex, more = f.fix(got)
		example = cmp.Or(ex, example)
	}
	if example == "" {
		return more
	}
	var kind string
	switch {
	case want == cty.String:
		kind = "a string"
	case want == cty.Number:
		kind = "a number"
	case want == cty.Bool:
		kind = "true or false"
	case want.IsListType():
		kind = "a list in brackets"
	default:
		kind = want.FriendlyNameForConstraint()
	}
	return fmt.Sprintf(" Write %s, as in %s.%s", kind, example, more)
}

// value evaluates expr and converts the result to want. name is the
// argument name used in messages; f says how to write it (see form). On
// any problem it reports errors and returns cty.NilVal and false.
func (d *decoder) value(expr hcl.Expression, want cty.Type, name string, f form) (cty.Value, source, bool) {
	if !d.noVariables(expr) {
		return cty.NilVal, source{}, false
	}
	before := len(*d.reads)
	val, diags := expr.Value(d.ctx)
	redactEnv(diags, (*d.reads)[before:])
	refineCallDiags(diags)
	d.add(diags...)
	if diags.HasErrors() {
		return cty.NilVal, source{}, false
	}
	val, marks := val.UnmarkDeep()
	src := sourceOf(marks)
	if val.IsNull() {
		d.errorAt(expr.Range(), "Missing value",
			fmt.Sprintf("The argument %q must not be null; set a value or remove the argument to use its default.", name))
		return cty.NilVal, src, false
	}
	if !val.IsWhollyKnown() {
		// Nothing in the language produces unknown values; this guards
		// against a future function that does.
		d.errorAt(expr.Range(), "Value not known", fmt.Sprintf("The value of %q cannot be determined while loading the configuration.", name))
		return cty.NilVal, src, false
	}
	conv, err := convert.Convert(val, want)
	if err != nil {
		d.errorAt(expr.Range(), "Incorrect attribute value type", fmt.Sprintf("Inappropriate value for %q: %s required, got %s.%s",
			name, want.FriendlyNameForConstraint(), val.Type().FriendlyName(), typeHint(want, val, src, f)))
		return cty.NilVal, src, false
	}
	return conv, src, true
}

// str evaluates a string argument.
func (d *decoder) str(attr *hcl.Attribute, f form) (text, bool) {
	v, src, ok := d.value(attr.Expr, cty.String, attr.Name, f)
	if !ok {
		return text{source: src}, false
	}
	return text{s: v.AsString(), source: src}, true
}

// nonEmpty evaluates a string argument that must not be empty.
func (d *decoder) nonEmpty(attr *hcl.Attribute, f form) (text, bool) {
	t, ok := d.str(attr, f)
	if ok && t.s == "" {
		d.errorAt(attr.Expr.Range(), "Empty value", fmt.Sprintf("The argument %q must not be empty.", attr.Name))
		return t, false
	}
	return t, ok
}

// boolean evaluates a bool argument; false when it has errors.
func (d *decoder) boolean(attr *hcl.Attribute, f form) bool {
	v, _, ok := d.value(attr.Expr, cty.Bool, attr.Name, f)
	return ok && v.True()
}

// positiveInt evaluates a whole number greater than zero that fits int64;
// example completes "such as …" in the error message for a number out of
// range, f the one for a value that is no number.
func (d *decoder) positiveInt(attr *hcl.Attribute, example string, f form) (int64, source, bool) {
	v, src, ok := d.value(attr.Expr, cty.Number, attr.Name, f)
	if !ok {
		return 0, src, false
	}
	if n, acc := v.AsBigFloat().Int64(); acc == big.Exact && n > 0 {
		return n, src, true
	}
	d.errorAt(attr.Expr.Range(), "Invalid "+attr.Name,
		fmt.Sprintf("The argument %q must be a whole number greater than zero, such as %s.", attr.Name, example))
	return 0, src, false
}

// strList evaluates a list of strings, returning each element with its own
// range when the list is written literally (so that a bad element can be
// pointed at), or the whole expression's range otherwise.
// A list computed as a whole takes its source from all of it. f says how
// to write the list, for the list and for its elements.
func (d *decoder) strList(attr *hcl.Attribute, f form) (out []text, ranges []hcl.Range, ok bool) {
	if exprs, diags := hcl.ExprList(attr.Expr); !diags.HasErrors() {
		ok = true
		for _, x := range exprs {
			if v, src, elOK := d.value(x, cty.String, attr.Name, f); elOK {
				out = append(out, text{s: v.AsString(), source: src})
				ranges = append(ranges, x.Range())
			} else {
				ok = false
			}
		}
		return out, ranges, ok
	}
	v, src, ok := d.value(attr.Expr, cty.List(cty.String), attr.Name, f)
	if !ok {
		return nil, nil, false
	}
	for it := v.ElementIterator(); it.Next(); {
		if _, el := it.Element(); !el.IsNull() {
			out = append(out, text{s: el.AsString(), source: src})
			ranges = append(ranges, attr.Expr.Range())
		}
	}
	return out, ranges, true
}

// noVariables reports every variable reference in expr, and whether there
// is none: the language has no variables, and a bare word is usually a
// string missing its quotes.
func (d *decoder) noVariables(expr hcl.Expression) bool {
	vars := expr.Variables()
	for _, tr := range vars {
		root := tr.RootName()
		detail := fmt.Sprintf("gridsync configuration has no variables, so %q cannot be referenced. Write a literal value, or use env(\"NAME\") to read an environment variable.", root)
		if len(tr) == 1 {
			detail = fmt.Sprintf("%q is a reference, but gridsync configuration has no variables. If you meant the text, quote it: %q. To read an environment variable, use env(\"NAME\").", root, root)
		}
		d.errorAt(tr.SourceRange(), "Variables not supported", detail)
	}
	return len(vars) == 0
}
