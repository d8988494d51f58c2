package main

import (
	"github.com/spf13/cobra"

	"github.com/gridwork/gridsync/internal/views"
	"github.com/gridwork/gridsync/plan"
)

func newShowCmd(g *globals) *cobra.Command {
	var json bool
	cmd := &cobra.Command{
		Use:   "show [-json] PLANFILE",
		Short: "Show a saved plan",
		Long: `Show prints a plan saved with "gridsync plan -out FILE", in the same form
plan prints it, or with -json in the versioned JSON format (the plan file's
own format, described by schema/plan.schema.json).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := plan.ReadFile(g.path(args[0]))
			if err != nil {
				return err
			}
			return views.NewPlan(json, g.view).Plan(p)
		},
	}
	cmd.Flags().BoolVar(&json, "json", false, "print the plan as JSON")
	return cmd
}
