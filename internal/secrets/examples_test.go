package secrets

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"go.yaml.in/yaml/v3"
)

// TestExamples keeps the example repositories working: each demo key is
// marked demo-only, is the recipient .sops.yaml encrypts for, and decrypts the
// example's credentials to what the Personio simulator accepts.
func TestExamples(t *testing.T) {
	for _, name := range []string{"quickstart", "multi-company"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join("..", "..", "examples", name)
			keyFile, err := filepath.Abs(filepath.Join(dir, "demo-age-key.txt"))
			if err != nil {
				t.Fatal(err)
			}
			recipient := demoRecipient(t, keyFile)

			rules := readSopsConfig(t, filepath.Join(dir, ".sops.yaml"))
			if len(rules.CreationRules) != 1 {
				t.Fatalf(".sops.yaml has %d creation rules, want 1", len(rules.CreationRules))
			}
			rule := rules.CreationRules[0]
			if rule.PathRegex != `secrets/.*\.enc\.yaml$` || rule.Age != recipient {
				t.Errorf(".sops.yaml rule = %+v, want path_regex secrets/.*\\.enc\\.yaml$ and age %s", rule, recipient)
			}

			isolate(t)
			t.Setenv("SOPS_AGE_KEY_FILE", keyFile)
			v, err := Decrypt(filepath.Join(dir, "secrets", "personio.enc.yaml"))
			if err != nil {
				t.Fatalf("Decrypt: %v", err)
			}
			if err := v.Require("client_id", "client_secret"); err != nil {
				t.Fatal(err)
			}
			if v["client_id"] != "gridsync-demo" || v["client_secret"] != "demo-secret-not-for-production" {
				t.Errorf("credentials are not the simulator's defaults (client_id %q)", v["client_id"])
			}
		})
	}
}

// demoRecipient checks that the key file opens with a DEMO ONLY warning and
// returns its public key.
func demoRecipient(t *testing.T, keyFile string) string {
	t.Helper()
	f, err := os.Open(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	first, err := bufio.NewReader(f).ReadString('\n')
	if err != nil || !strings.HasPrefix(first, "# DEMO ONLY") || !strings.Contains(first, "never use for real credentials") {
		t.Errorf("%s starts with %q, want a DEMO ONLY warning", keyFile, first)
	}
	if _, err := f.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	ids, err := age.ParseIdentities(f)
	if err != nil || len(ids) != 1 {
		t.Fatalf("%s: want one age identity, got %d (%v)", keyFile, len(ids), err)
	}
	x, ok := ids[0].(*age.X25519Identity)
	if !ok {
		t.Fatalf("%s holds a %T, want an X25519 identity", keyFile, ids[0])
	}
	return x.Recipient().String()
}

type sopsConfig struct {
	CreationRules []struct {
		PathRegex string `yaml:"path_regex"`
		Age       string `yaml:"age"`
	} `yaml:"creation_rules"`
}

func readSopsConfig(t *testing.T, path string) sopsConfig {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var c sopsConfig
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return c
}
