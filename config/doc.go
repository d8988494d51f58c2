// Package config loads a gridsync configuration directory: every *.hcl file in
// it, decoded together, into a Config, with problems reported as
// hcl.Diagnostics that point at the offending file, line and column.
//
// The language has three block types:
//
//	personio { tenant, credentials = sops_file(...), api_url, jobs_url,
//	           jobs_language, statuses, sync { employees, jobs },
//	           employee_fields { <gridwork field> = "<personio attribute>" } }
//	target   { database_url }
//	company "<slug>" { name, sync { employees, jobs }, location "<slug>" { name, office | office_id } }
//
// and two functions, env(name[, default]) and sops_file(path).
//
// The package must not do I/O beyond reading the directory, and must never
// decrypt secrets: sops_file only records the path so that validate and fmt
// work without keys. Format (Format, used by `gridsync fmt`) lives here too.
package config
