// Package github posts gridsync plans and apply outcomes to pull requests:
// one sticky comment per config directory, a commit status on the PR's head
// SHA, and the job summary. It must never send a secret. What it publishes
// is a rendered plan, which holds none, and, after an apply, the apply's
// outcome: its summary and, on failure, its error message, which NotifyApply
// passes through redact (URL userinfo and password= values removed) because
// an error may quote a connection string. The token only ever goes into the
// Authorization header.
package github
