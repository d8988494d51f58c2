// Package secrets decrypts SOPS files behind one small function, Decrypt,
// built on sops' stable decrypt package. Nothing else of SOPS leaks out of it.
//
// Decrypt reads YAML, JSON and dotenv files (by extension) and returns their
// top-level keys as Values, which print, log and marshal with every value
// redacted. Keys come only from the standard SOPS environment
// (SOPS_AGE_KEY_FILE, SOPS_AGE_KEY, …); the package has no key settings of
// its own.
//
// The package must never let a secret value reach an error, a log or stdout.
// Its errors are written for the user who has to fix the problem (which
// keys were tried, which variable to set, how to repair a mangled file) and
// do not wrap sops' errors, whose text can quote file content. Callers decide
// when to decrypt: validate and fmt never do.
package secrets
