package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newValidateCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "validate",
		Short: "(not yet built)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("validate is not built yet")
		},
	}
}
