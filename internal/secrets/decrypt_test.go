package secrets

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestDecryptFormats(t *testing.T) {
	tests := []struct {
		file string
		want Values
	}{
		{"credentials.enc.yaml", Values{
			"client_id": "test-client-id-7f3a", "client_secret": "test-secret-Zq9pL2vX",
			"port": "5432", "ratio": "0.25", "enabled": "true",
		}},
		{"credentials.enc.json", Values{
			"client_id": "test-client-id-json-41c2", "client_secret": "test-secret-json-Hk4mW8",
			"port": "8089", "enabled": "false",
		}},
		{"credentials.enc.env", Values{
			"CLIENT_ID": "test-client-id-env-93bd", "CLIENT_SECRET": "test-secret-env-Rt7yN1",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			withTestKey(t)
			got, err := Decrypt(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatalf("Decrypt: %v", err)
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("Decrypt = %d keys %v, want %d keys %v (values differ or keys differ)",
					len(got), got, len(tt.want), tt.want)
			}
		})
	}
}

// TestDecryptKeySources checks that the standard SOPS key locations other
// than SOPS_AGE_KEY_FILE work too.
func TestDecryptKeySources(t *testing.T) {
	key, err := os.ReadFile(testKeyFile)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, configDir string)
	}{
		{"SOPS_AGE_KEY", func(t *testing.T, _ string) { t.Setenv("SOPS_AGE_KEY", string(key)) }},
		{"default keys.txt", func(t *testing.T, configDir string) {
			dir := filepath.Join(configDir, "sops", "age")
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "keys.txt"), key, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.setup(t, isolate(t))
			got, err := Decrypt("testdata/credentials.enc.yaml")
			if err != nil {
				t.Fatalf("Decrypt: %v", err)
			}
			if got["client_id"] != "test-client-id-7f3a" {
				t.Errorf("client_id = %q", got["client_id"])
			}
		})
	}
}

// handEditedSecret is a plain value pasted into an encrypted file.
const handEditedSecret = "hand-edited-secret-Pw3e"

func TestDecryptErrors(t *testing.T) {
	wrongRecipient := recipientOf(t, "testdata/wrong-key.enc.yaml")
	tests := []struct {
		name string
		// file returns the path to decrypt, given a scratch directory.
		file func(t *testing.T, dir string) string
		// env prepares the key environment; nil means the test key.
		env  func(t *testing.T)
		is   error
		want []string
	}{
		{
			name: "file not found",
			file: func(_ *testing.T, dir string) string { return filepath.Join(dir, "personio.enc.yaml") },
			is:   fs.ErrNotExist,
			want: []string{"does not exist", "sops edit "},
		},
		{
			name: "unknown extension",
			file: func(t *testing.T, dir string) string {
				return writeFile(t, dir, "personio.enc.toml", "client_secret = \"test-secret-plain-Mx8gT4\"\n")
			},
			is:   ErrUnsupportedFormat,
			want: []string{`".toml"`, ".yaml, .yml, .json, .env"},
		},
		{
			name: "unencrypted yaml",
			file: fixture("plain.yaml"),
			is:   ErrNotEncrypted,
			want: []string{"is not SOPS-encrypted", "committed by mistake", "sops -e -i ", "rotate"},
		},
		{
			// sops finds no metadata before it looks for a key: the
			// plain file's advice stands.
			name: "unencrypted yaml, SOPS_AGE_KEY_CMD set but empty",
			file: fixture("plain.yaml"),
			env:  func(t *testing.T) { withTestKey(t); t.Setenv("SOPS_AGE_KEY_CMD", "") },
			is:   ErrNotEncrypted,
			want: []string{"is not SOPS-encrypted", "rotate"},
		},
		{
			name: "unencrypted dotenv",
			file: fixture("plain.env"),
			is:   ErrNotEncrypted,
			want: []string{"is not SOPS-encrypted", "sops -e -i "},
		},
		{
			name: "not yaml at all",
			file: func(t *testing.T, dir string) string {
				return writeFile(t, dir, "broken.enc.yaml", "client_secret: [test-secret-plain-Mx8gT4\n")
			},
			is:   ErrMalformed,
			want: []string{"not a valid SOPS-encrypted file", "sops decrypt "},
		},
		{
			name: "wrong key",
			file: fixture("wrong-key.enc.yaml"),
			is:   ErrNoKey,
			want: []string{
				"none of the keys it is encrypted for is available here",
				"age " + wrongRecipient + ": the age keys found here do not belong to this recipient",
				"age keys tried: SOPS_AGE_KEY_FILE=",
				"test-only-age-key.txt",
				"to fix: point SOPS_AGE_KEY_FILE (or SOPS_AGE_KEY) at the private key",
				"sops updatekeys ",
			},
		},
		{
			name: "missing key",
			file: fixture("credentials.enc.yaml"),
			env:  func(t *testing.T) { isolate(t) },
			is:   ErrNoKey,
			want: []string{
				"no SOPS key is configured in this environment",
				": no age key found",
				"age key sources not present: SOPS_AGE_KEY_FILE, SOPS_AGE_KEY, SOPS_AGE_KEY_CMD",
				"sops/age/keys.txt",
				"to fix: set SOPS_AGE_KEY_FILE to the path of your age key file, or SOPS_AGE_KEY",
			},
		},
		{
			name: "key file does not exist",
			file: fixture("credentials.enc.yaml"),
			env: func(t *testing.T) {
				isolate(t)
				t.Setenv("SOPS_AGE_KEY_FILE", filepath.Join(t.TempDir(), "nokey.txt"))
			},
			is: ErrNoKey,
			want: []string{
				"no age key could be loaded",
				"nokey.txt (cannot read it: no such file or directory)",
			},
		},
		{
			name: "malformed SOPS_AGE_KEY",
			file: fixture("credentials.enc.yaml"),
			env: func(t *testing.T) {
				isolate(t)
				t.Setenv("SOPS_AGE_KEY", "AGE-SECRET-KEY-NOT-VALID test-secret-plain-Mx8gT4")
			},
			is: ErrNoKey,
			want: []string{
				"cannot decrypt secrets file ", ": SOPS_AGE_KEY is malformed: no age key could be read from it",
				": SOPS_AGE_KEY is malformed: it holds no age key",
				"age keys tried: SOPS_AGE_KEY",
				"to fix: SOPS_AGE_KEY must hold the contents of a key file written by `age-keygen` (its secret key line; comment lines are fine); in GitHub Actions, check the repository secret SOPS_AGE_KEY",
			},
		},
		{
			name: "SOPS_AGE_KEY with a damaged key",
			file: fixture("credentials.enc.yaml"),
			env: func(t *testing.T) {
				isolate(t)
				t.Setenv("SOPS_AGE_KEY", "# created: 2024-01-01\nAGE-SECRET-KEY-1QTESTSECRETPLAINMX8GT4")
			},
			is:   ErrNoKey,
			want: []string{": SOPS_AGE_KEY is malformed: no age key could be read from it", "to fix: SOPS_AGE_KEY must hold the contents of a key file written by `age-keygen`"},
		},
		{
			name: "malformed SOPS_AGE_KEY_FILE",
			file: fixture("credentials.enc.yaml"),
			env: func(t *testing.T) {
				isolate(t)
				f := filepath.Join(t.TempDir(), "keys.txt")
				if err := os.WriteFile(f, []byte("test-secret-plain-Mx8gT4\n"), 0o600); err != nil {
					t.Fatal(err)
				}
				t.Setenv("SOPS_AGE_KEY_FILE", f)
			},
			is: ErrNoKey,
			want: []string{": SOPS_AGE_KEY_FILE is malformed: no age key could be read from it",
				"to fix: SOPS_AGE_KEY_FILE must name a key file as `age-keygen -o KEYFILE` writes it"},
		},
		{
			// sops panics on a key command it cannot split into words,
			// even with a good key beside it.
			name: "SOPS_AGE_KEY_CMD set but empty",
			file: fixture("credentials.enc.yaml"),
			env:  func(t *testing.T) { withTestKey(t); t.Setenv("SOPS_AGE_KEY_CMD", "") },
			is:   ErrNoKey,
			want: []string{": SOPS_AGE_KEY_CMD is set but holds no command",
				"to fix: unset SOPS_AGE_KEY_CMD, or set it to a command that prints the key"},
		},
		{
			name: "SOPS_AGE_SSH_PRIVATE_KEY_CMD of blanks",
			file: fixture("credentials.enc.yaml"),
			env:  func(t *testing.T) { withTestKey(t); t.Setenv("SOPS_AGE_SSH_PRIVATE_KEY_CMD", " \t") },
			is:   ErrNoKey,
			want: []string{": SOPS_AGE_SSH_PRIVATE_KEY_CMD is set but holds no command"},
		},
		{
			name: "tampered value ciphertext",
			file: tampered("credentials.enc.yaml", func(s string) string {
				return flipAfter(s, "client_secret: ENC[AES256_GCM,data:")
			}),
			is:   ErrIntegrity,
			want: []string{"MAC mismatch", "edited by hand or mangled in a merge", "sops edit "},
		},
		{
			name: "tampered MAC",
			file: tampered("credentials.enc.yaml", func(s string) string {
				return flipAfter(s, "mac: ENC[AES256_GCM,data:")
			}),
			is:   ErrIntegrity,
			want: []string{"MAC mismatch", "edited by hand or mangled in a merge"},
		},
		{
			name: "tampered dotenv MAC",
			file: tampered("credentials.enc.env", func(s string) string {
				return flipAfter(s, "sops_mac=ENC[AES256_GCM,data:")
			}),
			is:   ErrIntegrity,
			want: []string{"MAC mismatch"},
		},
		{
			name: "key removed by hand",
			file: tampered("credentials.enc.yaml", func(s string) string {
				return regexp.MustCompile(`(?m)^port: .*\n`).ReplaceAllString(s, "")
			}),
			is:   ErrIntegrity,
			want: []string{"MAC mismatch", "edited by hand or mangled in a merge"},
		},
		{
			name: "plain value pasted into an encrypted file",
			file: tampered("credentials.enc.yaml", func(s string) string {
				return regexp.MustCompile(`(?m)^client_secret: .*$`).ReplaceAllString(s, "client_secret: "+handEditedSecret)
			}),
			is:   ErrIntegrity,
			want: []string{"edited by hand"},
		},
		{
			name: "nested value",
			file: fixture("nested.enc.yaml"),
			is:   ErrMalformed,
			want: []string{`key "database" holds a nested map or list`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env != nil {
				tt.env(t)
			} else {
				withTestKey(t)
			}
			path := tt.file(t, t.TempDir())
			v, err := Decrypt(path)
			if err == nil {
				t.Fatalf("Decrypt(%s) = %v, want an error", path, v)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(err, %v) = false; err = %v", tt.is, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, path) {
				t.Errorf("error does not name the file %s:\n%s", path, msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
			assertNoSecret(t, err)
		})
	}
}

// assertNoSecret fails if any fixture plaintext appears in err, however it
// is printed.
func assertNoSecret(t *testing.T, err error) {
	t.Helper()
	for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
		if strings.Contains(text, "AGE-SECRET-KEY-") {
			t.Errorf("error leaks an age private key:\n%s", text)
		}
		for _, secret := range plaintexts {
			if strings.Contains(text, secret) {
				t.Errorf("error leaks %q:\n%s", secret, text)
			}
		}
	}
}

// fixture returns a file func for a committed fixture.
func fixture(name string) func(*testing.T, string) string {
	return func(*testing.T, string) string { return filepath.Join("testdata", name) }
}

// tampered returns a file func that writes a fixture, changed by edit, into
// the scratch directory.
func tampered(name string, edit func(string) string) func(*testing.T, string) string {
	return func(t *testing.T, dir string) string {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		out := edit(string(b))
		if out == string(b) {
			t.Fatalf("tampering left %s unchanged", name)
		}
		return writeFile(t, dir, name, out)
	}
}

// flipAfter changes the first character after marker, keeping it valid
// base64 so that only the cryptographic check can notice.
func flipAfter(s, marker string) string {
	i := strings.Index(s, marker)
	if i < 0 {
		return s
	}
	i += len(marker)
	c := byte('A')
	if s[i] == 'A' {
		c = 'B'
	}
	return s[:i] + string(c) + s[i+1:]
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// recipientOf reads the (single) age recipient a fixture is encrypted for.
func recipientOf(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`recipient: (age1[0-9a-z]+)`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("%s names no age recipient", path)
	}
	return string(m[1])
}
