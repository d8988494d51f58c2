package views

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
	"testing"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/engine"
)

func TestLocationSlug(t *testing.T) {
	tests := map[string]string{
		"Berlin":                       "berlin",
		"München":                      "muenchen",
		"Zürich":                       "zuerich",
		"Düsseldorf (HQ)":              "duesseldorf-hq",
		"Köln/Bonn":                    "koeln-bonn",
		"Straße 5":                     "strasse-5",
		"São Paulo":                    "sao-paulo",
		"Łódź":                         "lodz",
		"東京":                           "dong-jing",
		"1st Floor":                    "office-1st-floor",
		"---":                          "office",
		"":                             "office",
		strings.Repeat("a", 70):        strings.Repeat("a", 63),
		strings.Repeat("a", 62) + " b": strings.Repeat("a", 62),
	}
	for name, want := range tests {
		got := locationSlug(name)
		if got != want {
			t.Errorf("locationSlug(%q) = %q, want %q", name, got, want)
		}
		if !config.ValidSlug(got) {
			t.Errorf("locationSlug(%q) = %q is not a valid slug", name, got)
		}
	}
}

func TestUniqueSlug(t *testing.T) {
	used := map[string]bool{}
	long := strings.Repeat("x", 63)
	for _, tt := range []struct{ in, want string }{
		{"berlin", "berlin"},
		{"berlin", "berlin-2"},
		{"berlin", "berlin-3"},
		{long, long},
		{long, strings.Repeat("x", 61) + "-2"},
	} {
		if got := uniqueSlug(tt.in, used); got != tt.want {
			t.Errorf("uniqueSlug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// starterConfig is a configuration that maps Berlin by name and office
// 1003 by id.
const starterConfig = `personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
}

company "acme" {
  name = "Acme GmbH"

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }

  location "hamburg" {
    name      = "Hamburg"
    office_id = 1003
  }
}
`

func starterReport() *engine.OfficeReport {
	rep := &engine.OfficeReport{Offices: []engine.OfficeInfo{
		{ID: 1001, Name: "Berlin", Employees: map[string]int{"active": 3}},
		{ID: 1003, Name: "Hamburg", Employees: map[string]int{"active": 1}},
		{ID: 1005, Name: "München", Employees: map[string]int{"active": 2, "inactive": 1}, OpenJobs: 1},
		{ID: 1006, Name: "Zürich", Employees: map[string]int{"leave": 1}},
		{ID: 1007, Name: "Zuerich", Employees: map[string]int{"active": 1}},
		{ID: 1008, Name: "Remote", Employees: map[string]int{"active": 1}},
		{ID: 1009, Name: "Remote", Employees: map[string]int{"onboarding": 1}},
		{ID: 1010, Name: "${env(\"X\")}", Employees: map[string]int{"active": 1}},
		{Name: "Lisbon", Employees: map[string]int{}, OpenJobs: 2},
	}}
	slices.SortFunc(rep.Offices, func(a, b engine.OfficeInfo) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return rep
}

// TestStarterCompany: the block maps every office no location maps, with
// slugs that are valid and unique, office_id for names two offices share;
// it is fmt-clean and validates beside the configuration it extends.
func TestStarterCompany(t *testing.T) {
	files := map[string][]byte{"gridsync.hcl": []byte(starterConfig)}
	cfg, diags := config.Loader{}.LoadFiles("/srv/config", files)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	rep := starterReport()
	rep.Map(cfg)
	out, n, err := starterCompany(cfg, rep, "newco")
	if err != nil {
		t.Fatal(err)
	}
	if n != 7 {
		t.Errorf("%d locations, want 7 (every office but Berlin and Hamburg)", n)
	}
	text := string(out)
	for _, want := range []string{
		`company "newco" {`,
		`location "muenchen" {`,
		`office = "München"`,
		`location "zuerich" {`,
		`location "zuerich-2" {`,
		`location "remote" {`,
		`location "remote-2" {`,
		`office_id = 1008`,
		`office_id = 1009`,
		`location "lisbon" {`,
		`office = "Lisbon"`,
		"# Personio office 1005; 3 employees (2 active, 1 inactive); 1 open position",
		"# named only by the job feed; no employees; 2 open positions",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the block lacks %s:\n%s", want, text)
		}
	}
	for _, unwanted := range []string{`"berlin`, `office_id = 1003`, `"Berlin"`} {
		if strings.Contains(text, unwanted) {
			t.Errorf("the block maps an office that is mapped already (%s):\n%s", unwanted, text)
		}
	}
	formatted, fdiags := config.Format(out, "newco.hcl")
	if fdiags.HasErrors() {
		t.Fatalf("the block does not parse: %s\n%s", fdiags.Error(), text)
	}
	if !bytes.Equal(formatted, out) {
		t.Errorf("the block is not fmt-clean:\n%s\nformatted:\n%s", text, formatted)
	}
	files["newco.hcl"] = out
	if _, diags := (config.Loader{}).LoadFiles("/srv/config", files); diags.HasErrors() {
		t.Errorf("the configuration with the block does not validate:\n%s\n%s", diags.Error(), text)
	}
}

func TestStarterCompanyRefuses(t *testing.T) {
	cfg, diags := config.Loader{}.LoadFiles("/srv/config", map[string][]byte{"gridsync.hcl": []byte(starterConfig)})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	rep := starterReport()
	rep.Map(cfg)
	for slug, want := range map[string]string{
		"acme":      `company "acme" is already configured (gridsync.hcl:6)`,
		"New Co":    `"New Co" is not a valid company slug`,
		"newco-":    `"newco-" is not a valid company slug`,
		"1newco":    `"1newco" is not a valid company slug`,
		"":          `"" is not a valid company slug`,
		"z-rich-co": "",
	} {
		_, _, err := starterCompany(cfg, rep, slug)
		switch {
		case want == "" && err != nil:
			t.Errorf("%q: %v", slug, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%q: err = %v, want %s", slug, err, want)
		}
	}
	// Nothing left to map: no block.
	for i := range rep.Offices {
		rep.Offices[i].Locations = []string{"location.acme.x"}
	}
	if out, n, err := starterCompany(cfg, rep, "newco"); out != nil || n != 0 || err != nil {
		t.Errorf("with every office mapped: %q, %d, %v; want no block", out, n, err)
	}
}
