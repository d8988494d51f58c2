package plan

import (
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/gridwork/gridsync/config"
)

// BuildOptions are the inputs of Build besides config, Personio and target.
type BuildOptions struct {
	// Companies is the -company filter; empty means all companies, and only
	// then are records of companies that left the configuration unlinked.
	Companies []string
	// Now stamps the plan.
	Now time.Time
}

// Build computes the desired state, diffs it against cur and fills in all
// three digests. Configuration problems that only Personio can reveal
// (unknown offices, unknown attribute keys, unknown -company slugs) come
// back as diagnostics and no plan.
func Build(cfg *config.Config, src *Source, cur State, opts BuildOptions) (*Plan, hcl.Diagnostics) {
	d, diags := Desired(cfg, src, DesiredOptions{
		Companies:    opts.Companies,
		KnownOffices: KnownOffices(cur),
	})
	if diags.HasErrors() {
		return nil, diags
	}
	p := Diff(d, cur, DiffOptions{AllCompanies: len(opts.Companies) == 0, Now: opts.Now})
	p.Digests.Config = DigestConfig(cfg)
	return p, diags
}

// KnownOffices returns the offices the target has mapped to locations, for
// DesiredOptions.KnownOffices.
func KnownOffices(cur State) []Office {
	var out []Office
	for _, c := range cur.Companies {
		for _, l := range c.Locations {
			if l.OfficeID != 0 {
				out = append(out, Office{ID: l.OfficeID, Name: l.OfficeName})
			}
		}
	}
	return out
}
