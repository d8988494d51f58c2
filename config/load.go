package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
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
	files, diags := readDir(dir)
	if diags.HasErrors() {
		return &Config{Dir: absDir(dir), Files: map[string]*hcl.File{}}, diags
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
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
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

	reads := &envReads{}
	getenv := reads.getenv(l.Getenv)
	d := &decoder{
		dir:    cfg.Dir,
		eval:   &evaluator{ctx: &hcl.EvalContext{Functions: functions(getenv, cfg.Dir, publicEnv)}, reads: reads},
		dbEval: &evaluator{ctx: &hcl.EvalContext{Functions: functions(getenv, cfg.Dir, databaseEnv)}, reads: reads},
	}
	diags = append(diags, d.decode(cfg, names)...)
	return cfg, diags
}

// decoder holds what every block decoder needs. eval evaluates every
// argument but target.database_url, which alone uses dbEval: the two differ
// in which environment variables env() may read (see envPolicy).
type decoder struct {
	dir    string
	eval   *evaluator
	dbEval *evaluator
}

// resolve makes a path from the configuration absolute.
func (d *decoder) resolve(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(d.dir, p)
}

// decode decodes the top-level blocks of all files into cfg.
func (d *decoder) decode(cfg *Config, names []string) hcl.Diagnostics {
	var (
		diags hcl.Diagnostics
		all   hcl.Blocks
	)
	for _, name := range names {
		c, ds := content(cfg.Files[name].Body, rootSchema)
		diags = append(diags, ds...)
		all = append(all, c.Blocks...)
	}

	personio, ds := single(all.OfType("personio"), "a configuration")
	diags = append(diags, ds...)
	if personio == nil {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing personio block",
			Detail: "The configuration needs one personio block naming the tenant and its credentials, for example:\n\n" +
				"personio {\n  tenant      = \"acme\"\n  credentials = sops_file(\"secrets/personio.enc.yaml\")\n}",
			Subject: cfg.Files[names[0]].Body.MissingItemRange().Ptr(),
		})
	} else {
		cfg.Personio, ds = d.personio(personio)
		diags = append(diags, ds...)
	}

	target, ds := single(all.OfType("target"), "a configuration")
	diags = append(diags, ds...)
	if target != nil {
		cfg.Target, ds = d.target(target)
		diags = append(diags, ds...)
	}

	seen := map[string]hcl.Range{}
	for _, b := range all.OfType("company") {
		co, ds := d.company(b)
		diags = append(diags, ds...)
		if first, dup := seen[co.Slug]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  fmt.Sprintf("Duplicate company %q", co.Slug),
				Detail: fmt.Sprintf("Company %q was already declared at %s. Each company may be declared once across all files; merge the two blocks or rename one.",
					co.Slug, pos(first)),
				Subject: b.LabelRanges[0].Ptr(),
			})
			continue
		}
		seen[co.Slug] = b.DefRange
		if !ds.HasErrors() {
			if w := noMappedLocation(co); w != nil {
				diags = append(diags, w)
			}
		}
		co.resolveToggles(cfg.Personio.Sync)
		cfg.Companies = append(cfg.Companies, co)
	}
	slices.SortStableFunc(cfg.Companies, func(a, b Company) int { return strings.Compare(a.Slug, b.Slug) })
	diags = append(diags, OfficesMappedOnce(writtenMappings(cfg.Companies))...)
	return diags
}

// readDir reads the configuration files of dir.
func readDir(dir string) (map[string][]byte, hcl.Diagnostics) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, hcl.Diagnostics{{
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
	return files, diags
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

// sortByPos sorts items by the file and byte offset of their ranges.
func sortByPos[T any](items []T, rng func(T) hcl.Range) {
	slices.SortStableFunc(items, func(a, b T) int {
		ra, rb := rng(a), rng(b)
		if c := strings.Compare(ra.Filename, rb.Filename); c != 0 {
			return c
		}
		return ra.Start.Byte - rb.Start.Byte
	})
}
