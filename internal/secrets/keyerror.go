package secrets

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/gridwork/gridsync/internal/words"
)

// keyAttempt is one master key sops tried, read back from the report of its
// GetDataKey error (sops.UserError): the type carrying the details is
// unexported, so its user-facing text is the only way to them.
type keyAttempt struct {
	key    string // the master key as sops names it: an age recipient, a KMS ARN, …
	failed bool
	reason string // sops' reason, lines re-joined
}

var (
	// malformedSource matches sops' report of an age key source it could
	// read but not parse; only a variable name is ever taken from it.
	malformedSource = regexp.MustCompile(`failed to parse '(SOPS_AGE_[A-Z_]+)' age identities`)
	ansiEscape      = regexp.MustCompile(`\x1b\[[0-9;]*m`)
	attemptHeader   = regexp.MustCompile(`^  (\S.*): (SUCCESS|FAILED)$`)
	pgpFingerprint  = regexp.MustCompile(`^[0-9A-Fa-f]{16,40}$`)
)

// parseKeyReport reads the per-key lines of sops' GetDataKey report:
//
//	Group 0: FAILED
//	  age1…: FAILED
//	    - | failed to create reader for decrypting sops data key with
//	      | age: …
func parseKeyReport(report string) []keyAttempt {
	var attempts []keyAttempt
	for _, line := range strings.Split(ansiEscape.ReplaceAllString(report, ""), "\n") {
		if m := attemptHeader.FindStringSubmatch(line); m != nil {
			attempts = append(attempts, keyAttempt{key: m[1], failed: m[2] == "FAILED"})
			continue
		}
		if len(attempts) == 0 {
			continue
		}
		last := &attempts[len(attempts)-1]
		if reason, ok := strings.CutPrefix(line, "    - | "); ok {
			if last.reason != "" {
				last.reason += "; "
			}
			last.reason += reason
		} else if more, ok := strings.CutPrefix(line, "      | "); ok {
			last.reason += " " + more
		}
	}
	return attempts
}

// keyKind names the key source behind a sops master key name and says how a
// user makes it available.
func keyKind(key string) (kind, fix string) {
	switch {
	case strings.HasPrefix(key, "age1"), strings.HasPrefix(key, "ssh-"):
		return "age", "" // age gets its own, more detailed advice
	case strings.HasPrefix(key, "arn:aws:kms:"):
		return "AWS KMS", "provide AWS credentials allowed to use this key (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or a role)"
	case strings.HasPrefix(key, "projects/") && strings.Contains(key, "/cryptoKeys/"):
		return "GCP KMS", "provide Google credentials allowed to use this key (GOOGLE_APPLICATION_CREDENTIALS or `gcloud auth application-default login`)"
	case strings.Contains(key, ".vault.azure.net"):
		return "Azure Key Vault", "provide Azure credentials allowed to use this key (AZURE_CLIENT_ID/AZURE_CLIENT_SECRET/AZURE_TENANT_ID or `az login`)"
	case strings.Contains(key, "/transit/") || strings.Contains(key, "/v1/"):
		return "HashiCorp Vault", "set VAULT_ADDR and a VAULT_TOKEN allowed to use this transit key"
	case pgpFingerprint.MatchString(key):
		return "PGP", "import the private key of this fingerprint into your GnuPG keyring (GNUPGHOME)"
	}
	return "key", "make this key available as the sops documentation describes for its type"
}

// ageReason rewrites sops' age failure in a line. sops' own text is not
// shown for age: it may quote a malformed key line from SOPS_AGE_KEY.
func ageReason(reason string) string {
	if m := malformedSource.FindStringSubmatch(reason); m != nil {
		return m[1] + " is malformed: it holds no age key"
	}
	switch {
	case strings.Contains(reason, "failed to load age identities") && strings.Contains(reason, "Errors while loading"):
		return "no age key could be loaded (see the key sources below)"
	case strings.Contains(reason, "failed to load age identities"):
		return "no age key found"
	case strings.Contains(reason, "did not match any of the recipients"), strings.Contains(reason, "no identity matched"):
		return "the age keys found here do not belong to this recipient"
	}
	return "age could not decrypt the data key"
}

// noKeyError builds the message for a file no available key can decrypt:
// every master key with its kind and reason, the age key sources looked at,
// and what to do.
func noKeyError(path, report string) error {
	attempts := parseKeyReport(report)
	var b strings.Builder
	var fixes, malformed []string
	ageKeys, ageMissing := 0, 0
	for _, a := range attempts {
		if !a.failed {
			continue
		}
		for _, m := range malformedSource.FindAllStringSubmatch(a.reason, -1) {
			if !slices.Contains(malformed, m[1]) {
				malformed = append(malformed, m[1])
			}
		}
		kind, fix := keyKind(a.key)
		reason := a.reason
		if kind == "age" {
			ageKeys++
			reason = ageReason(reason)
			if reason == "no age key found" {
				ageMissing++
			}
		} else if !slices.Contains(fixes, fix) {
			fixes = append(fixes, fix)
		}
		fmt.Fprintf(&b, "\n    - %s %s: %s", kind, a.key, reason)
	}

	headline := "none of the keys it is encrypted for is available here"
	switch {
	case len(malformed) > 0:
		headline = strings.Join(malformed, " and ") + " " + words.Plural(len(malformed), "is", "are") + " malformed: no age key could be read from " + words.Plural(len(malformed), "it", "them")
	case ageKeys > 0 && ageMissing == len(attempts):
		headline = "no SOPS key is configured in this environment"
	}
	msg := fmt.Sprintf("cannot decrypt secrets file %s: %s", path, headline)
	if len(attempts) == 0 {
		// The report did not have the expected shape: say what is known.
		msg += fmt.Sprintf("\n  run `sops decrypt %s` to see which keys sops tried and why each failed", path)
	} else {
		msg += "\n  encrypted for:" + b.String()
	}

	if ageKeys > 0 || len(attempts) == 0 {
		tried, absent := ageKeySources()
		if len(tried) > 0 {
			msg += "\n  age keys tried: " + strings.Join(tried, ", ")
		}
		if len(absent) > 0 {
			msg += "\n  age key sources not present: " + strings.Join(absent, ", ")
		}
		if v, ok := os.LookupEnv("SOPS_AGE_KEY"); ok && v == "" {
			msg += "\n  SOPS_AGE_KEY is set but empty: in GitHub Actions, the repository secret SOPS_AGE_KEY is probably missing"
		}
		grant := fmt.Sprintf("ask someone who can decrypt the file to add your public key (`age-keygen -y KEYFILE`) "+
			"to the recipients in .sops.yaml and run `sops updatekeys %s`", path)
		first, last := "point SOPS_AGE_KEY_FILE (or SOPS_AGE_KEY) at the private key of one of the recipients above",
			"if you should have access but hold none of these keys, "+grant
		if ageMissing == ageKeys && len(tried) == 0 {
			first = "set SOPS_AGE_KEY_FILE to the path of your age key file, or SOPS_AGE_KEY to the key itself (in CI, from a secret)"
			last = "if you have no age key yet, create one with `age-keygen -o KEYFILE` and " + grant
		}
		fixes = append(append([]string{first}, fixes...), last)
	}
	for _, name := range slices.Backward(malformed) {
		fixes = append([]string{malformedFix(name)}, fixes...)
	}
	for _, f := range fixes {
		msg += "\n  to fix: " + f
	}
	return newError(msg, ErrNoKey)
}

// ageKeySources lists where sops v3.13 looks for age identities, split into
// the sources present in this environment (which were tried) and the absent
// ones; a variable that is set but empty counts as absent. Only names and
// paths are shown, never a key.
func ageKeySources() (tried, absent []string) {
	for _, name := range []string{"SOPS_AGE_KEY_FILE", "SOPS_AGE_KEY", "SOPS_AGE_KEY_CMD",
		"SOPS_AGE_SSH_PRIVATE_KEY_FILE", "SOPS_AGE_SSH_PRIVATE_KEY_CMD"} {
		val, ok := os.LookupEnv(name)
		switch {
		case !ok:
			absent = append(absent, name)
		case val == "":
			// Not a key source: in GitHub Actions, a missing secret
			// becomes an empty variable.
			absent = append(absent, name+" (set but empty)")
		case strings.HasSuffix(name, "_FILE"):
			if _, err := os.Stat(val); err != nil {
				// err is an *fs.PathError: its cause alone, the path is shown.
				tried = append(tried, fmt.Sprintf("%s=%s (cannot read it: %v)", name, val, errors.Unwrap(err)))
			} else {
				tried = append(tried, name+"="+val)
			}
		default:
			tried = append(tried, name)
		}
	}
	var files []string
	if dir, err := os.UserConfigDir(); err == nil {
		files = append(files, filepath.Join(dir, "sops", "age", "keys.txt"))
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		files = append(files, filepath.Join(home, ".ssh", "id_ed25519"), filepath.Join(home, ".ssh", "id_rsa"))
	}
	for _, f := range files {
		if _, err := os.Stat(f); err == nil {
			tried = append(tried, f)
		} else {
			absent = append(absent, f)
		}
	}
	return tried, absent
}

// malformedFix says how to give name, an age key source sops could not
// parse, a key it can read.
func malformedFix(name string) string {
	switch {
	case strings.HasSuffix(name, "_FILE"):
		return name + " must name a key file as `age-keygen -o KEYFILE` writes it (its secret key line; comment lines are fine)"
	case strings.HasSuffix(name, "_CMD"):
		return name + " must print an age secret key line, as `age-keygen` writes it"
	}
	return name + " must hold the contents of a key file written by `age-keygen` (its secret key line; comment lines are fine); " +
		"in GitHub Actions, check the repository secret " + name
}
