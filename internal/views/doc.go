// Package views renders what gridsync's commands have to say. Each command
// has one view; where a command has several forms (-json, a Markdown plan
// for pull requests, the HCL of offices -hcl), they sit behind one
// interface and the command picks the form once, from its flags, then
// calls its view without asking again which form it is. The constructors
// of the views with a -json form take that flag (json); the Markdown plan
// and the HCL of offices -hcl have constructors of their own
// (NewPlanMarkdown, NewOfficesHCL): they need more than a flag.
//
// A View holds what every command's view shares: the streams, whether
// each may be coloured (decided once, in New: a terminal, no -no-color, no
// NO_COLOR), -v, and how to write a gridsync command to suggest (with the
// -chdir the user gave). Counts are written with package words, as
// everywhere in gridsync.
//
// Views render data others computed: the engine's reports
// (engine.OfficeReport, engine.Explanation, engine.Written), the store's
// status and sync log, the configuration's diagnostics. They decide
// nothing a command's exit code or the database depends on, and read
// nothing but what they are given. The plan's own text, JSON and Markdown
// renderers stay in package plan; the plan view calls them.
package views
