package secrets

import (
	"os"
	"path/filepath"
	"testing"
)

// testKeyFile is the test-only age key that encrypts the fixtures (see
// testdata/regen.sh).
const testKeyFile = "testdata/test-only-age-key.txt"

// plaintexts are every value written into the fixtures. No error may contain
// any of them.
var plaintexts = []string{
	"test-client-id-7f3a", "test-secret-Zq9pL2vX",
	"test-client-id-json-41c2", "test-secret-json-Hk4mW8",
	"test-client-id-env-93bd", "test-secret-env-Rt7yN1",
	"test-client-id-nested", "test-secret-nested-Vb2cX6",
	"test-client-id-wrong", "test-secret-wrong-Jd5sQ3",
	"test-client-id-plain", "test-secret-plain-Mx8gT4",
	"gridsync-demo", "demo-secret-not-for-production",
	handEditedSecret,
}

// ageEnv lists every variable through which sops v3.13 finds age keys.
var ageEnv = []string{
	"SOPS_AGE_KEY", "SOPS_AGE_KEY_FILE", "SOPS_AGE_KEY_CMD",
	"SOPS_AGE_SSH_PRIVATE_KEY_FILE", "SOPS_AGE_SSH_PRIVATE_KEY_CMD",
	"SOPS_AGE_RECIPIENTS",
}

// isolate gives the test an empty SOPS environment: no age variables, and a
// fresh HOME and XDG_CONFIG_HOME so that sops finds neither the machine's
// ~/.config/sops/age/keys.txt nor ~/.ssh keys. It returns the new config dir.
// Tests using it cannot run in parallel (t.Setenv forbids it anyway).
func isolate(t *testing.T) (configDir string) {
	t.Helper()
	home := t.TempDir()
	configDir = filepath.Join(home, ".config")
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", configDir)
	t.Setenv("GNUPGHOME", filepath.Join(home, ".gnupg"))
	for _, name := range ageEnv {
		unsetenv(t, name)
	}
	return configDir
}

// unsetenv removes name for the duration of the test. sops tells "unset" from
// "set but empty", so t.Setenv(name, "") alone would not do.
func unsetenv(t *testing.T, name string) {
	t.Helper()
	t.Setenv(name, "") // registers the restore of the old value
	if err := os.Unsetenv(name); err != nil {
		t.Fatal(err)
	}
}

// withTestKey isolates the environment and points SOPS_AGE_KEY_FILE at the
// test key.
func withTestKey(t *testing.T) {
	t.Helper()
	isolate(t)
	abs, err := filepath.Abs(testKeyFile)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOPS_AGE_KEY_FILE", abs)
}
