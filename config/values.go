package config

import (
	"fmt"
	"math/big"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// evaluator turns attribute expressions into Go values, reporting every
// problem at the expression's range.
type evaluator struct {
	ctx *hcl.EvalContext
}

// value evaluates expr and converts the result to want. name is the
// argument name used in messages. On any problem it returns cty.NilVal and
// error diagnostics.
func (e *evaluator) value(expr hcl.Expression, want cty.Type, name string) (cty.Value, hcl.Diagnostics) {
	if diags := noVariables(expr); diags.HasErrors() {
		return cty.NilVal, diags
	}
	val, diags := expr.Value(e.ctx)
	refineCallDiags(diags)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	val, _ = val.UnmarkDeep()
	if val.IsNull() {
		return cty.NilVal, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing value",
			Detail:   fmt.Sprintf("The argument %q must not be null; set a value or remove the argument to use its default.", name),
			Subject:  expr.Range().Ptr(),
		})
	}
	if !val.IsWhollyKnown() {
		// Nothing in the language produces unknown values; this guards
		// against a future function that does.
		return cty.NilVal, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Value not known",
			Detail:   fmt.Sprintf("The value of %q cannot be determined while loading the configuration.", name),
			Subject:  expr.Range().Ptr(),
		})
	}
	conv, err := convert.Convert(val, want)
	if err != nil {
		return cty.NilVal, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Incorrect attribute value type",
			Detail:   fmt.Sprintf("Inappropriate value for %q: %s required, got %s.", name, want.FriendlyNameForConstraint(), val.Type().FriendlyName()),
			Subject:  expr.Range().Ptr(),
		})
	}
	return conv, diags
}

// str evaluates a string argument.
func (e *evaluator) str(attr *hcl.Attribute) (string, hcl.Diagnostics) {
	v, diags := e.value(attr.Expr, cty.String, attr.Name)
	if diags.HasErrors() {
		return "", diags
	}
	return v.AsString(), diags
}

// nonEmpty evaluates a string argument that must not be empty.
func (e *evaluator) nonEmpty(attr *hcl.Attribute) (string, hcl.Diagnostics) {
	s, diags := e.str(attr)
	if diags.HasErrors() || s != "" {
		return s, diags
	}
	return "", append(diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Empty value",
		Detail:   fmt.Sprintf("The argument %q must not be empty.", attr.Name),
		Subject:  attr.Expr.Range().Ptr(),
	})
}

// boolean evaluates a bool argument.
func (e *evaluator) boolean(attr *hcl.Attribute) (bool, hcl.Diagnostics) {
	v, diags := e.value(attr.Expr, cty.Bool, attr.Name)
	if diags.HasErrors() {
		return false, diags
	}
	return v.True(), diags
}

// positiveInt evaluates a whole number greater than zero that fits int64;
// example completes "such as …" in the error message.
func (e *evaluator) positiveInt(attr *hcl.Attribute, example string) (int64, hcl.Diagnostics) {
	v, diags := e.value(attr.Expr, cty.Number, attr.Name)
	if diags.HasErrors() {
		return 0, diags
	}
	bf := v.AsBigFloat()
	if bf.IsInt() && bf.Sign() > 0 {
		if n, acc := bf.Int64(); acc == big.Exact {
			return n, diags
		}
	}
	return 0, append(diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  fmt.Sprintf("Invalid %s", attr.Name),
		Detail:   fmt.Sprintf("The argument %q must be a whole number greater than zero, such as %s.", attr.Name, example),
		Subject:  attr.Expr.Range().Ptr(),
	})
}

// strList evaluates a list of strings, returning each element with its own
// range when the list is written literally (so that a bad element can be
// pointed at), or the whole expression's range otherwise.
func (e *evaluator) strList(attr *hcl.Attribute) ([]string, []hcl.Range, hcl.Diagnostics) {
	if exprs, d := hcl.ExprList(attr.Expr); !d.HasErrors() {
		var (
			out    []string
			ranges []hcl.Range
			diags  hcl.Diagnostics
		)
		for _, x := range exprs {
			v, ds := e.value(x, cty.String, attr.Name)
			diags = append(diags, ds...)
			if !ds.HasErrors() {
				out = append(out, v.AsString())
				ranges = append(ranges, x.Range())
			}
		}
		return out, ranges, diags
	}
	v, diags := e.value(attr.Expr, cty.List(cty.String), attr.Name)
	if diags.HasErrors() {
		return nil, nil, diags
	}
	var (
		out    []string
		ranges []hcl.Range
	)
	for it := v.ElementIterator(); it.Next(); {
		_, el := it.Element()
		if el.IsNull() {
			continue
		}
		out = append(out, el.AsString())
		ranges = append(ranges, attr.Expr.Range())
	}
	return out, ranges, diags
}

// noVariables reports every variable reference in expr: the language has
// none, and a bare word is usually a string missing its quotes.
func noVariables(expr hcl.Expression) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, tr := range expr.Variables() {
		root := tr.RootName()
		detail := fmt.Sprintf("gridsync configuration has no variables, so %q cannot be referenced. Write a literal value, or use env(\"NAME\") to read an environment variable.", root)
		if len(tr) == 1 {
			detail = fmt.Sprintf("%q is a reference, but gridsync configuration has no variables. If you meant the text, quote it: %q. To read an environment variable, use env(\"NAME\").", root, root)
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Variables not supported",
			Detail:   detail,
			Subject:  tr.SourceRange().Ptr(),
		})
	}
	return diags
}
