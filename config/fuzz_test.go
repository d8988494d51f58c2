package config

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary pairs of files to LoadFiles (and the diagnostic
// writers and Format): whatever the input, loading must not panic, every
// diagnostic must point into a file that was given, and a configuration
// that loads without errors must satisfy the invariants the plan engine
// relies on. The seed corpus is every fixture, split into its first two
// files.
func FuzzLoad(f *testing.F) {
	for _, dir := range fixtureDirs(f) {
		paths, err := filepath.Glob(filepath.Join(dir, "*.hcl"))
		if err != nil {
			f.Fatal(err)
		}
		var srcs [2][]byte
		for i, p := range paths {
			if i == len(srcs) {
				break
			}
			if srcs[i], err = os.ReadFile(p); err != nil {
				f.Fatal(err)
			}
		}
		f.Add(srcs[0], srcs[1])
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		files := map[string][]byte{"a.hcl": a}
		if len(b) > 0 {
			files["b.hcl"] = b
		}
		cfg, diags := testLoader.LoadFiles("/config", files)
		if cfg == nil || cfg.Files == nil {
			t.Fatal("LoadFiles returned a nil Config or Files")
		}
		for _, d := range diags {
			if d.Subject != nil {
				if _, ok := files[d.Subject.Filename]; !ok {
					t.Fatalf("diagnostic %q points into unknown file %q", d.Summary, d.Subject.Filename)
				}
			}
		}
		_ = WriteDiagnostics(io.Discard, cfg.Files, diags, true)
		_ = NewJSONValidation(cfg.Files, diags)
		_, _ = Format(a, "a.hcl")

		if diags.HasErrors() {
			return
		}
		if !subdomainRE.MatchString(cfg.Personio.Tenant) {
			t.Fatalf("valid config with tenant %q", cfg.Personio.Tenant)
		}
		if !slices.IsSortedFunc(cfg.Companies, func(x, y Company) int { return strings.Compare(x.Slug, y.Slug) }) {
			t.Fatal("companies not sorted by slug")
		}
		for i, co := range cfg.Companies {
			if i > 0 && cfg.Companies[i-1].Slug == co.Slug {
				t.Fatalf("company %q loaded twice", co.Slug)
			}
			if co.Name == "" || !slugRE.MatchString(co.Slug) {
				t.Fatalf("company %+v accepted", co)
			}
			for _, loc := range co.Locations {
				if loc.Office != "" && loc.OfficeID != 0 {
					t.Fatalf("location %q has both office and office_id", loc.Slug)
				}
				if loc.OfficeID < 0 {
					t.Fatalf("location %q has office_id %d", loc.Slug, loc.OfficeID)
				}
			}
		}
	})
}
