package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// envPolicy says which environment variables env() may read.
type envPolicy int

const (
	// publicEnv is for every argument but target.database_url: the values
	// end up in plans, plan files and pull-request comments, so variables
	// whose names suggest a secret are refused.
	publicEnv envPolicy = iota
	// databaseEnv is for target.database_url alone, which never reaches a
	// plan: it may read any variable.
	databaseEnv
)

// functions returns the functions available in configuration expressions.
// There are deliberately only two: the language describes mappings, it is
// not a programming language.
func functions(getenv func(string) string, reads *[]envRead, dir string, policy envPolicy) map[string]function.Function {
	return map[string]function.Function{
		"env":       envFunc(getenv, reads, policy),
		"sops_file": sopsFileFunc(dir),
	}
}

// unsetEnvError is returned by env() for a variable that is unset and has no
// default; refineCallDiags turns it into a diagnostic of its own.
type unsetEnvError struct{ name string }

func (e *unsetEnvError) Error() string {
	return fmt.Sprintf("environment variable %s is not set", e.name)
}

// secretEnvError is returned by env() for a variable it refuses to read
// under publicEnv. It carries the name and why, never a value: the
// variable is not even looked up.
type secretEnvError struct{ name, reason string }

func (e *secretEnvError) Error() string {
	return fmt.Sprintf("environment variable %s may hold a secret (%s)", e.name, e.reason)
}

// secretWords make a variable name look like it holds a secret wherever they
// appear in it. GITHUB_TOKEN, GH_TOKEN and ACTIONS_*TOKEN* are caught by
// TOKEN.
var secretWords = []string{"SECRET", "PASSWORD", "PASSWD", "PWD", "TOKEN", "PRIVATE", "CREDENTIAL", "AGE_KEY", "APIKEY", "DSN"}

// secretNameWords make a variable name look like it holds a secret when
// they are one of its "_"-separated words (DB_PASS, but not PASSENGER_NAME).
var secretNameWords = []string{"KEY", "PASS"}

// databaseWords make a name ending in _URL look like a database URL, which
// usually contains the password, when they are one of its "_"-separated
// words: PG_URL, POSTGRES_URL, DB_URL, ANALYTICS_DB_URL, but not
// PERSONIO_API_URL.
var databaseWords = []string{"DB", "PG", "POSTGRES", "POSTGRESQL", "PSQL", "MYSQL", "MARIADB", "MONGO", "MONGODB", "REDIS"}

// secretEnvReason returns why env() refuses name outside
// target.database_url, or "" when it may read it. Names are compared in
// upper case. The list errs on the side of refusing: a refused name costs a
// rename, a leaked secret costs a rotation.
func secretEnvReason(name string) string {
	u := strings.ToUpper(name)
	switch {
	case strings.HasPrefix(u, "SOPS_"):
		return "SOPS_* variables hold decryption keys"
	case strings.Contains(u, "DATABASE_URL"):
		return "a database URL usually contains the database password"
	}
	for _, w := range secretWords {
		if strings.Contains(u, w) {
			return "its name contains " + w
		}
	}
	words := strings.Split(u, "_")
	for _, w := range secretNameWords {
		if slices.Contains(words, w) {
			return "its name contains the word " + w
		}
	}
	if strings.HasSuffix(u, "_URL") && slices.ContainsFunc(words, func(w string) bool { return slices.Contains(databaseWords, w) }) {
		return "a database URL usually contains the database password"
	}
	return ""
}

// envFunc implements env(name) and env(name, default). An empty variable
// counts as unset, because getenv cannot tell the two apart; nil getenv
// sets no variable. Every value read is appended to reads. Under
// publicEnv a name that looks secret is refused before it is read, with or
// without a default, so that validate gives the same answer whether or not
// the secret is present (a pull request from a fork has none).
func envFunc(getenv func(string) string, reads *[]envRead, policy envPolicy) function.Function {
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
			if policy == publicEnv {
				if reason := secretEnvReason(name); reason != "" {
					return cty.NilVal, &secretEnvError{name: name, reason: reason}
				}
			}
			var v string
			if getenv != nil {
				v = getenv(name)
			}
			if v != "" {
				*reads = append(*reads, envRead{name: name, value: v})
				// The mark keeps the value out of diagnostics; see envMark.
				return cty.StringVal(v).Mark(envMark{name: name}), nil
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
			return cty.StringVal(resolve(dir, p)), nil
		},
	})
}

// refineCallDiags rewrites hclsyntax's generic "Error in function call" for
// an unset or refused env() variable into a diagnostic that names the
// variable, says what to do, and covers the whole call rather than just
// "env(".
func refineCallDiags(diags hcl.Diagnostics) {
	for _, d := range diags {
		if unset, ok := callError[*unsetEnvError](d); ok {
			d.Summary = "Environment variable not set"
			d.Detail = fmt.Sprintf("The environment variable %s is not set (or is empty). Set it before running gridsync, or give a default: env(%q, \"…\").", unset.name, unset.name)
		} else if secret, ok := callError[*secretEnvError](d); ok {
			d.Summary = "Secret environment variable"
			d.Detail = fmt.Sprintf("env(%q) is refused here because %s may hold a secret: %s. "+
				"Values read here can appear in plans, plan files and pull-request comments. "+
				"Write the value in the configuration, or read it from a variable whose name does not suggest a secret. "+
				"Personio credentials belong in the file named by sops_file(…); only target.database_url may read any variable.",
				secret.name, secret.name, secret.reason)
		} else {
			continue
		}
		if d.Context != nil {
			d.Subject = d.Context
		}
	}
}

// callError returns the error of type E that made the function call of a
// diagnostic fail, such as the *unsetEnvError of env().
func callError[E error](d *hcl.Diagnostic) (E, bool) {
	var e E
	extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallDiagExtra](d)
	ok = ok && errors.As(extra.FunctionCallError(), &e)
	return e, ok
}
