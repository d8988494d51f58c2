package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newHistoryCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "history",
		Short: "(not yet built)",
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("history is not built yet")
		},
	}
}
