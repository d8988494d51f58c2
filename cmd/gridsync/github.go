package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newGitHubCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "github",
		Short: "(not yet built)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("github is not built yet")
		},
	}
}
