// Package github posts gridsync plans and apply outcomes to pull requests:
// one sticky comment per config directory, a commit status on the PR's head
// SHA, and the job summary. It must never send a secret: it only ever sees a
// rendered plan, which holds none.
package github
