package views

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/words"
)

// Validate is the view of validate.
type Validate interface {
	// Validated reports the configuration's problems and, when it is
	// valid, what it declares.
	Validated(cfg *config.Config, diags hcl.Diagnostics) error
}

// NewValidate returns the validate view for people, or the JSON one when json (-json) is set.
func NewValidate(json bool, v *View) Validate {
	if json {
		return &validateJSON{v}
	}
	return &validateHuman{v}
}

type validateHuman struct{ *View }

func (v *validateHuman) Validated(cfg *config.Config, diags hcl.Diagnostics) error {
	if err := v.Diagnostics(cfg.Files, diags); err != nil || diags.HasErrors() {
		return err
	}
	locations, mapped := countLocations(cfg)
	fmt.Fprintf(v.stdout, "%s The configuration is valid.\n%s, %s (%s mapped to a Personio office).\n", v.paint("32;1", "Success!"),
		words.Count(len(cfg.Companies), "company", "companies"), words.Count(locations, "location", "locations"), words.Number(mapped))
	return nil
}

// countLocations counts cfg's locations, and those that map an office.
func countLocations(cfg *config.Config) (locations, mapped int) {
	for _, co := range cfg.Companies {
		for _, loc := range co.Locations {
			locations++
			if loc.Mapped() {
				mapped++
			}
		}
	}
	return locations, mapped
}

// validateJSON prints a document like terraform validate -json's.
type validateJSON struct{ *View }

func (v *validateJSON) Validated(cfg *config.Config, diags hcl.Diagnostics) error {
	if err := writeJSON(v.stdout, config.NewJSONValidation(cfg.Files, diags)); err != nil {
		return fmt.Errorf("writing the JSON result: %w", err)
	}
	return nil
}
