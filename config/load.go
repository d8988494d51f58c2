package config

import (
	"cmp"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Loader loads configuration directories. Its zero value is usable and sees
// no environment variables.
type Loader struct {
	// Getenv looks up the variables read by env(). An empty value counts as
	// unset. Commands pass their injected lookup so tests never touch the
	// process environment; nil means no variable is set.
	Getenv func(string) string
}

// Load reads every *.hcl file directly in dir (not in subdirectories;
// hidden and editor lock files starting with "." or "#" are skipped) and
// decodes them together with LoadFiles. Ranges and Config.Files use the base
// file names.
func (l Loader) Load(dir string) (*Config, hcl.Diagnostics) {
	failed := &Config{Dir: absDir(dir), Files: map[string]*hcl.File{}}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return failed, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read configuration directory",
			Detail:   fmt.Sprintf("%v. Check the path given to -chdir, or run gridsync in your configuration repository.", err),
		}}
	}
	files := map[string][]byte{}
	var diags hcl.Diagnostics
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !IsConfigFile(name) {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Cannot read configuration file",
				Detail:   fmt.Sprintf("%v.", err),
			})
			continue
		}
		files[name] = src
	}
	if diags.HasErrors() {
		return failed, diags
	}
	return l.LoadFiles(dir, files)
}

// LoadFiles decodes files (file name → content) as one configuration rooted
// at dir, in file name order. It never returns a nil Config: on errors the
// Config holds what could be decoded, and always the parsed Files, so that
// diagnostics can be printed with source snippets. sops_file paths are
// resolved against dir, which is made absolute; nothing is read from disk.
func (l Loader) LoadFiles(dir string, files map[string][]byte) (*Config, hcl.Diagnostics) {
	cfg := &Config{Dir: absDir(dir), Files: make(map[string]*hcl.File, len(files))}
	names := slices.Sorted(maps.Keys(files))
	if len(names) == 0 {
		return cfg, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "No configuration files",
			Detail: fmt.Sprintf("gridsync reads every *.hcl file in %s, and there is none. "+
				"Run it in your configuration repository or pass -chdir DIR.", cfg.Dir),
		}}
	}

	// Syntax errors stop loading before decoding: a half-parsed file would
	// only add misleading follow-up errors (a "missing" personio block that
	// sits behind an unclosed brace, for example).
	var diags hcl.Diagnostics
	for _, name := range names {
		f, ds := hclsyntax.ParseConfig(files[name], name, hcl.InitialPos)
		diags = append(diags, ds...)
		if f != nil {
			cfg.Files[name] = f
		}
	}
	if diags.HasErrors() {
		return cfg, diags
	}

	reads := &[]envRead{}
	d := &decoder{
		dir:   cfg.Dir,
		ctx:   &hcl.EvalContext{Functions: functions(l.Getenv, reads, cfg.Dir, publicEnv)},
		dbCtx: &hcl.EvalContext{Functions: functions(l.Getenv, reads, cfg.Dir, databaseEnv)},
		reads: reads,
	}
	d.decode(cfg, names)
	return cfg, append(diags, d.diags...)
}

// decoder decodes blocks, collecting the diagnostics in diags. ctx
// evaluates every argument but target.database_url, which alone uses dbCtx:
// the two differ in which environment variables env() may read (see
// envPolicy). reads lists every value env() has read, in order, for
// redactEnv.
type decoder struct {
	dir        string
	ctx, dbCtx *hcl.EvalContext
	reads      *[]envRead
	diags      hcl.Diagnostics
}

// add collects diagnostics.
func (d *decoder) add(diags ...*hcl.Diagnostic) { d.diags = append(d.diags, diags...) }

// errorAt collects an error at subject.
func (d *decoder) errorAt(subject hcl.Range, summary, detail string) {
	d.add(&hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: subject.Ptr()})
}

// resolve makes a path from the configuration absolute, relative to dir
// unless it is absolute already.
func resolve(dir, p string) string {
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	return filepath.Clean(p)
}

// decode decodes the top-level blocks of all files into cfg.
func (d *decoder) decode(cfg *Config, names []string) {
	var all hcl.Blocks
	for _, name := range names {
		all = append(all, d.content(cfg.Files[name].Body, rootSchema).Blocks...)
	}

	if personio := d.single(all.OfType("personio"), "a configuration"); personio != nil {
		cfg.Personio = d.personio(personio)
	} else {
		d.errorAt(cfg.Files[names[0]].Body.MissingItemRange(), "Missing personio block",
			"The configuration needs one personio block naming the tenant and its credentials, for example:\n\n"+
				"personio {\n  tenant      = \"acme\"\n  credentials = sops_file(\"secrets/personio.enc.yaml\")\n}")
	}
	if target := d.single(all.OfType("target"), "a configuration"); target != nil {
		cfg.Target = d.target(target)
	}

	seen := map[string]hcl.Range{}
	for _, b := range all.OfType("company") {
		before := len(d.diags)
		co := d.company(b)
		if !d.firstDecl(seen, b, "company", func(first string) string {
			return fmt.Sprintf("Company %q was already declared at %s. Each company may be declared once across all files; merge the two blocks or rename one.", co.Slug, first)
		}) {
			continue
		}
		// A company none of whose locations names a Personio office is
		// valid, but nothing will be synced for it.
		if !d.diags[before:].HasErrors() && !slices.ContainsFunc(co.Locations, Location.Mapped) {
			d.add(&hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  fmt.Sprintf("Company %q has no mapped location", co.Slug),
				Detail:   "None of its locations names a Personio office, so no employees or jobs will be synced for it. Add office = \"…\" or office_id = … to a location block.",
				Subject:  co.DeclRange.Ptr(),
			})
		}
		co.SyncEmployees = effective(co.Sync.Employees, cfg.Personio.Sync.Employees)
		co.SyncJobs = effective(co.Sync.Jobs, cfg.Personio.Sync.Jobs)
		cfg.Companies = append(cfg.Companies, co)
	}
	slices.SortStableFunc(cfg.Companies, func(a, b Company) int { return strings.Compare(a.Slug, b.Slug) })
	// Compare the office mappings as written: keyed by name for office =
	// "…", by id for office_id = … (a location sets one at most). The plan
	// engine compares the keys the names resolve to.
	var mappings []OfficeMapping
	for _, c := range cfg.Companies {
		for _, l := range c.Locations {
			mappings = append(mappings, OfficeMapping{Company: c.Slug, Location: l, Office: OfficeKey{ID: l.OfficeID, Name: l.Office}})
		}
	}
	d.add(OfficesMappedOnce(mappings)...)
}

// firstDecl reports whether block (a company or location) is the first
// declaration of its slug in seen, and an error at its label otherwise;
// detail writes the message from where the first one was declared.
func (d *decoder) firstDecl(seen map[string]hcl.Range, block *hcl.Block, what string, detail func(first string) string) bool {
	slug := block.Labels[0]
	if first, dup := seen[slug]; dup {
		d.errorAt(block.LabelRanges[0], fmt.Sprintf("Duplicate %s %q", what, slug), detail(pos(first)))
		return false
	}
	seen[slug] = block.DefRange
	return true
}

// IsConfigFile reports whether a file named name (a base name) is a
// configuration file: it ends in .hcl and is not hidden (see HiddenName).
// Load and gridsync fmt read the same files.
func IsConfigFile(name string) bool {
	return strings.HasSuffix(name, ".hcl") && !HiddenName(name)
}

// HiddenName reports whether a file or directory named name (a base name)
// is skipped when looking for configuration files: hidden files and
// directories start with ".", editor lock files with "#".
func HiddenName(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#")
}

// absDir returns dir made absolute, or dir itself if that fails.
func absDir(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		return abs
	}
	return dir
}

// byPos orders ranges by file name and start position.
func byPos(a, b hcl.Range) int {
	return cmp.Or(strings.Compare(a.Filename, b.Filename), cmp.Compare(a.Start.Line, b.Start.Line), cmp.Compare(a.Start.Column, b.Start.Column))
}
