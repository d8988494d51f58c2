package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/engine"
	"github.com/gridwork/gridsync/internal/views"
)

func newValidateCmd(g *globals) *cobra.Command {
	var json bool
	cmd := &cobra.Command{
		Use:   "validate [-chdir DIR] [-json]",
		Short: "Check the configuration; needs no secrets and no network",
		Long: `Validate loads every *.hcl file of the configuration directory and reports
each problem with its file, line and source, and a hint. It reads no secrets and
calls no service, so it runs anywhere, including on pull requests from forks.
Whether office names exist in Personio is checked by "gridsync plan".

Exit status: 0 when the configuration is valid (warnings allowed), 1 otherwise.
With -json the result is printed on stdout in a format like terraform validate's.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return errors.New("validate takes no arguments; use -chdir DIR to validate another directory")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runValidate(g, json)
		},
	}
	cmd.Flags().BoolVar(&json, "json", false, "print the result as JSON on stdout")
	return cmd
}

func runValidate(g *globals, json bool) error {
	cfg, diags := config.Loader{Getenv: g.getenv}.Load(g.configDir())
	if !diags.HasErrors() {
		diags = append(diags, missingCredentials(cfg)...)
	}
	if err := views.NewValidate(json, g.view).Validated(cfg, diags); err != nil {
		return err
	}
	if diags.HasErrors() {
		return exitCode(1)
	}
	return nil
}

// missingCredentials warns when the credentials file (sops_file(...)) does
// not exist: validate itself needs no secrets, but every command that talks
// to Personio would fail on it.
func missingCredentials(cfg *config.Config) hcl.Diagnostics {
	path := cfg.Personio.Credentials
	if path == "" {
		return nil
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagWarning,
		Summary:  "Credentials file not found",
		Detail: fmt.Sprintf("The Personio credentials file %s does not exist. validate does not read it, but creds validate, plan, apply and sync do: "+
			"create it with `sops encrypt` (client_id and client_secret), or fix the path.", engine.CredentialsFile(cfg)),
		Subject: cfg.Personio.CredentialsRange.Ptr(),
	}}
}
