// Package secrets decrypts SOPS files behind one small function. Nothing else
// of SOPS leaks out of it, and no secret value ever reaches an error or a log.
package secrets
