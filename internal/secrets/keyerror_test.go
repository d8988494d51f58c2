package secrets

import (
	"errors"
	"strings"
	"testing"
)

// coloredReport has the shape of sops' GetDataKey report on a terminal
// (ANSI colours, two key groups, several key types). The age case without
// colour comes from real sops in TestDecryptErrors; KMS and PGP keys cannot be
// tried here without their services, so their report is written out.
const coloredReport = "Failed to get the data key required to decrypt the SOPS file.\n\n" +
	"Group 0: \x1b[31mFAILED\x1b[0m\n" +
	"  arn:aws:kms:eu-central-1:123456789012:key/abcd: \x1b[31mFAILED\x1b[0m\n" +
	"    - | Error decrypting key: NoCredentialProviders: no valid\n" +
	"      | providers in chain\n\n" +
	"  85D77543B3D624B63CEA9E6DBC17301B491B3F21: \x1b[31mFAILED\x1b[0m\n" +
	"    - | could not decrypt data key with PGP key: gpg: decryption\n" +
	"      | failed: No secret key\n\n" +
	"Group 1: \x1b[32mSUCCESS\x1b[0m\n" +
	"  age1pkc06xn6r80r85qyc7z5glw6x35206elqyk78zvk29sy5pthh5sqk57359: \x1b[32mSUCCESS\x1b[0m\n\n" +
	"Recovery failed because the file was encrypted with a Shamir threshold of 2, but only 1 part(s)\n" +
	"were successfully recovered."

func TestParseKeyReport(t *testing.T) {
	got := parseKeyReport(coloredReport)
	want := []keyAttempt{
		{key: "arn:aws:kms:eu-central-1:123456789012:key/abcd", failed: true,
			reason: "Error decrypting key: NoCredentialProviders: no valid providers in chain"},
		{key: "85D77543B3D624B63CEA9E6DBC17301B491B3F21", failed: true,
			reason: "could not decrypt data key with PGP key: gpg: decryption failed: No secret key"},
		{key: "age1pkc06xn6r80r85qyc7z5glw6x35206elqyk78zvk29sy5pthh5sqk57359", failed: false},
	}
	if len(got) != len(want) {
		t.Fatalf("parsed %d attempts, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("attempt %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestNoKeyErrorMessages(t *testing.T) {
	tests := []struct {
		name   string
		report string
		want   []string
		absent []string
	}{
		{
			name:   "KMS and PGP",
			report: coloredReport,
			want: []string{
				"none of the keys it is encrypted for is available here",
				"- AWS KMS arn:aws:kms:eu-central-1:123456789012:key/abcd: Error decrypting key: NoCredentialProviders",
				"- PGP 85D77543B3D624B63CEA9E6DBC17301B491B3F21: could not decrypt data key with PGP key",
				"to fix: provide AWS credentials",
				"to fix: import the private key of this fingerprint",
			},
			// Only failed keys are listed, and age advice only when age failed.
			absent: []string{"age1pkc06", "SOPS_AGE_KEY", "\x1b["},
		},
		{
			name:   "unexpected report shape",
			report: "something sops may print one day",
			want:   []string{"run `sops decrypt secrets/x.enc.yaml` to see which keys sops tried"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isolate(t)
			err := noKeyError("secrets/x.enc.yaml", tt.report)
			if !errors.Is(err, ErrNoKey) {
				t.Errorf("errors.Is(err, ErrNoKey) = false")
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message lacks %q:\n%s", w, msg)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(msg, a) {
					t.Errorf("message contains %q:\n%s", a, msg)
				}
			}
		})
	}
}

// ageMissingReport is sops' report when no age identity could be loaded.
const ageMissingReport = "Failed to get the data key required to decrypt the SOPS file.\n\n" +
	"Group 0: FAILED\n" +
	"  age1pkc06xn6r80r85qyc7z5glw6x35206elqyk78zvk29sy5pthh5sqk57359: FAILED\n" +
	"    - | failed to load age identities: no identities found\n"

// TestNoKeyErrorEmptyVariables: in GitHub Actions an unset repository secret
// becomes an empty variable. An empty SOPS_AGE_KEY (or _FILE) is no key
// source, and the message says what probably happened.
func TestNoKeyErrorEmptyVariables(t *testing.T) {
	isolate(t)
	t.Setenv("SOPS_AGE_KEY", "")
	t.Setenv("SOPS_AGE_KEY_FILE", "")
	msg := noKeyError("secrets/x.enc.yaml", ageMissingReport).Error()
	for _, w := range []string{
		"no SOPS key is configured in this environment",
		"age key sources not present: SOPS_AGE_KEY_FILE (set but empty), SOPS_AGE_KEY (set but empty), SOPS_AGE_KEY_CMD",
		"SOPS_AGE_KEY is set but empty: in GitHub Actions, the repository secret SOPS_AGE_KEY is probably missing",
		"to fix: set SOPS_AGE_KEY_FILE to the path of your age key file",
	} {
		if !strings.Contains(msg, w) {
			t.Errorf("message lacks %q:\n%s", w, msg)
		}
	}
	for _, a := range []string{"age keys tried", "point SOPS_AGE_KEY_FILE"} {
		if strings.Contains(msg, a) {
			t.Errorf("message contains %q:\n%s", a, msg)
		}
	}

	// Unset, it is just absent: no note about GitHub Actions.
	unsetenv(t, "SOPS_AGE_KEY")
	if msg := noKeyError("secrets/x.enc.yaml", ageMissingReport).Error(); strings.Contains(msg, "SOPS_AGE_KEY is set but empty") {
		t.Errorf("SOPS_AGE_KEY unset, yet:\n%s", msg)
	}
}
