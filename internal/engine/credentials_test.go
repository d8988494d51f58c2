package engine

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridwork/gridsync/config"
)

// TestCredentials decrypts the secrets package's fixtures (made with the
// sops CLI for its test-only key) the way plan and creds validate both do.
func TestCredentials(t *testing.T) {
	fixtures, err := filepath.Abs("../secrets/testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"SOPS_AGE_KEY", "SOPS_AGE_SSH_PRIVATE_KEY_FILE"} {
		t.Setenv(k, "")
	}
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("SOPS_AGE_KEY_FILE", filepath.Join(fixtures, "test-only-age-key.txt"))

	tests := []struct {
		file, wantID, wantErr string
	}{
		{file: "credentials.enc.yaml", wantID: "test-client-id-7f3a"},
		{file: "credentials.enc.json", wantID: "test-client-id-json-41c2"},
		{file: "credentials.enc.env", wantID: "test-client-id-env-93bd"}, // CLIENT_ID, upper case
		{file: "nested.enc.yaml", wantErr: "holds a nested map"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			cfg := &config.Config{Dir: fixtures}
			cfg.Personio.Credentials = filepath.Join(fixtures, tt.file)
			creds, err := Credentials(cfg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), tt.file) {
					t.Fatalf("Credentials error = %v, want %q naming %s", err, tt.wantErr, tt.file)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if creds.ClientID != tt.wantID || creds.ClientSecret == "" {
				t.Errorf("Credentials = %v, want client %s and a secret", creds, tt.wantID)
			}
		})
	}
	t.Run("not configured", func(t *testing.T) {
		if _, err := Credentials(&config.Config{}); err == nil || !strings.Contains(err.Error(), "sops_file(") {
			t.Errorf("error = %v, want a hint to add sops_file(...)", err)
		}
	})
}
