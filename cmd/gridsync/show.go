package main

import (
	"github.com/spf13/cobra"

	"github.com/gridwork/gridsync/internal/views"
	"github.com/gridwork/gridsync/plan"
)

// showOptions are the inputs of "gridsync show".
type showOptions struct {
	json bool
	path string
}

func newShowCmd(g *globals) *cobra.Command {
	o := &showOptions{}
	cmd := &cobra.Command{
		Use:   "show [-json] PLANFILE",
		Short: "Show a saved plan",
		Long: `Show prints a plan saved with "gridsync plan -out FILE", in the same form
plan prints it, or with -json in the versioned JSON format (the plan file's
own format, described by schema/plan.schema.json).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.path = g.path(args[0])
			return runShow(g, o)
		},
	}
	cmd.Flags().BoolVar(&o.json, "json", false, "print the plan as JSON")
	return cmd
}

func runShow(g *globals, o *showOptions) error {
	p, err := plan.ReadFile(o.path)
	if err != nil {
		return err
	}
	return views.NewPlan(kindOf(o.json), g.view).Plan(p)
}
