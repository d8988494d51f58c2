package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gridwork/gridsync/internal/words"
	"github.com/hashicorp/hcl/v2"
)

// target decodes the target block. database_url is read lazily in one
// respect: an env() variable it needs but that is not set is no load
// error, only recorded in DatabaseURLDiags, because validate and plan on a
// pull request from a fork run without secrets, and GRIDWORK_DATABASE_URL
// overrides the argument anyway. Every other problem with it is reported.
func (d *decoder) target(block *hcl.Block) Target {
	t := Target{DeclRange: block.DefRange}
	c := d.content(block.Body, targetSchema)
	if a := c.Attributes["database_url"]; a != nil {
		db := &decoder{dir: d.dir, ctx: d.dbCtx, reads: d.reads}
		u, _ := db.str(a, eg(`database_url = env("GRIDWORK_DATABASE_URL")`))
		// Only errors for unset env() variables: no load error.
		if db.diags.HasErrors() && !slices.ContainsFunc(db.diags, func(d *hcl.Diagnostic) bool {
			_, unset := callError[*unsetEnvError](d)
			return !unset && d.Severity == hcl.DiagError
		}) {
			t.DatabaseURLDiags = db.diags
		} else {
			t.DatabaseURL = u.s
			d.add(db.diags...)
		}
	}
	return t
}

// DatabaseURLErr explains why DatabaseURL is empty when target.database_url
// reads environment variables that are not set, naming them and the
// argument's position; it is nil otherwise. Commands that connect to the
// database return it when GRIDWORK_DATABASE_URL is not set either.
func (t Target) DatabaseURLErr() error {
	var (
		names []string
		at    string
	)
	for _, d := range t.DatabaseURLDiags {
		unset, ok := callError[*unsetEnvError](d)
		if !ok {
			continue
		}
		if at == "" && d.Subject != nil {
			at = pos(*d.Subject)
		}
		if !slices.Contains(names, unset.name) {
			names = append(names, unset.name)
		}
	}
	if len(names) == 0 {
		return nil
	}
	where := "target.database_url"
	if at != "" {
		where += " (" + at + ")"
	}
	const override = "GRIDWORK_DATABASE_URL"
	if len(names) == 1 && names[0] == override {
		return fmt.Errorf("%s needs the environment variable %s, which is not set: set it to the Gridwork database URL, or write the URL in target.database_url", where, override)
	}
	n := len(names)
	return fmt.Errorf("%s needs the environment %s %s, which %s not set: set %s, or set %s, which overrides target.database_url",
		where, words.Plural(n, "variable", "variables"), strings.Join(names, ", "), words.Plural(n, "is", "are"), words.Plural(n, "it", "them"), override)
}
