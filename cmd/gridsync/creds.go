package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newCredsCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "creds",
		Short: "(not yet built)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("creds is not built yet")
		},
	}
}
