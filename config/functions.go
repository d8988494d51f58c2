package config

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// functions returns the functions available in configuration expressions.
// There are deliberately only two: the language describes mappings, it is
// not a programming language.
func functions(getenv func(string) string, dir string) map[string]function.Function {
	return map[string]function.Function{
		"env":       envFunc(getenv),
		"sops_file": sopsFileFunc(dir),
	}
}

// unsetEnvError is returned by env() for a variable that is unset and has no
// default; refineCallDiags turns it into a diagnostic of its own.
type unsetEnvError struct{ name string }

func (e *unsetEnvError) Error() string {
	return fmt.Sprintf("environment variable %s is not set", e.name)
}

// envFunc implements env(name) and env(name, default). An empty variable
// counts as unset, because getenv cannot tell the two apart.
func envFunc(getenv func(string) string) function.Function {
	return function.New(&function.Spec{
		Description: "Returns the value of an environment variable, or the default when it is unset.",
		Params:      []function.Parameter{{Name: "name", Type: cty.String}},
		VarParam:    &function.Parameter{Name: "default", Type: cty.String},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if len(args) > 2 {
				return cty.NilVal, function.NewArgErrorf(2, "env takes a variable name and at most one default")
			}
			name := args[0].AsString()
			if name == "" {
				return cty.NilVal, function.NewArgErrorf(0, "the variable name must not be empty")
			}
			if getenv != nil {
				if v := getenv(name); v != "" {
					return cty.StringVal(v), nil
				}
			}
			if len(args) == 2 {
				return args[1], nil
			}
			return cty.NilVal, &unsetEnvError{name: name}
		},
	})
}

// sopsFileFunc implements sops_file(path): it returns path resolved against
// the configuration directory. It never opens the file, so that validate and
// fmt work without SOPS keys (a pull request from a fork has none).
func sopsFileFunc(dir string) function.Function {
	return function.New(&function.Spec{
		Description: "Names a SOPS-encrypted file, relative to the configuration directory.",
		Params:      []function.Parameter{{Name: "path", Type: cty.String}},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			if p == "" {
				return cty.NilVal, function.NewArgErrorf(0, "the path must not be empty")
			}
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			return cty.StringVal(filepath.Clean(p)), nil
		},
	})
}

// refineCallDiags rewrites hclsyntax's generic "Error in function call" for
// an unset env() variable into a diagnostic that names the variable, says
// what to do, and covers the whole call rather than just "env(".
func refineCallDiags(diags hcl.Diagnostics) {
	for _, d := range diags {
		extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallDiagExtra](d)
		if !ok {
			continue
		}
		var unset *unsetEnvError
		if !errors.As(extra.FunctionCallError(), &unset) {
			continue
		}
		d.Summary = "Environment variable not set"
		d.Detail = fmt.Sprintf("The environment variable %s is not set (or is empty). Set it before running gridsync, or give a default: env(%q, \"…\").", unset.name, unset.name)
		if d.Context != nil {
			d.Subject = d.Context
		}
	}
}
