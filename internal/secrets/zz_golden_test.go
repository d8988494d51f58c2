package secrets

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestZZGolden(t *testing.T) {
	out := os.Getenv("GOLDEN_OUT")
	if out == "" {
		t.Skip()
	}
	var g strings.Builder
	dir := t.TempDir()
	files, _ := filepath.Glob("testdata/*")
	extra := map[string]string{"x.toml": "a=1", "broken.enc.yaml": "client_secret: [x\n", "empty.yaml": "", "x.json": "{}", "x.yml": "a: b\n"}
	for _, n := range []string{"broken.enc.yaml", "empty.yaml", "x.json", "x.toml", "x.yml"} {
		os.WriteFile(filepath.Join(dir, n), []byte(extra[n]), 0o600)
		files = append(files, filepath.Join(dir, n))
	}
	for _, n := range []string{"credentials.enc.yaml", "credentials.enc.json", "credentials.enc.env"} {
		b, _ := os.ReadFile(filepath.Join("testdata", n))
		os.WriteFile(filepath.Join(dir, "flip-"+n), []byte(flipAfter(string(b), "mac: ENC[AES256_GCM,data:")), 0o600)
		os.WriteFile(filepath.Join(dir, "flip2-"+n), []byte(flipAfter(string(b), "ENC[AES256_GCM,data:")), 0o600)
		os.WriteFile(filepath.Join(dir, "trunc-"+n), b[:len(b)/2], 0o600)
		files = append(files, filepath.Join(dir, "flip-"+n), filepath.Join(dir, "flip2-"+n), filepath.Join(dir, "trunc-"+n))
	}
	files = append(files, filepath.Join(dir, "missing.enc.yaml"))
	envs := map[string]func(t *testing.T){
		"key":   withTestKey,
		"none":  func(t *testing.T) { isolate(t) },
		"empty": func(t *testing.T) { isolate(t); t.Setenv("SOPS_AGE_KEY", "") },
		"bad":   func(t *testing.T) { isolate(t); t.Setenv("SOPS_AGE_KEY", "garbage") },
		"badf":  func(t *testing.T) { isolate(t); t.Setenv("SOPS_AGE_KEY_FILE", "/nonexistent/key") },
		"wrong": func(t *testing.T) {
			cd := isolate(t)
			os.MkdirAll(filepath.Join(cd, "sops", "age"), 0o700)
			os.WriteFile(filepath.Join(cd, "sops", "age", "keys.txt"), []byte("# x\n"), 0o600)
			t.Setenv("SOPS_AGE_KEY_CMD", "echo")
		},
	}
	for _, en := range []string{"bad", "badf", "empty", "key", "none", "wrong"} {
		t.Run(en, func(t *testing.T) {
			envs[en](t)
			home := os.Getenv("HOME")
			for _, f := range files {
				v, err := Decrypt(f)
				s := fmt.Sprintf("=== %s %s\nvals %v %#v %q %+v\n", en, filepath.Base(f), v, v, v, v)
				if err != nil {
					s += fmt.Sprintf("err %v\n", err)
					for _, k := range []error{ErrUnsupportedFormat, ErrNotEncrypted, ErrNoKey, ErrIntegrity, ErrMalformed, fs.ErrNotExist} {
						s += fmt.Sprintf(" is %v", errors.Is(err, k))
					}
					s += "\n"
				}
				if v != nil {
					j, _ := json.Marshal(v)
					s += string(j) + "\n" + v.LogValue().String() + fmt.Sprint(v.Require("client_id", "x", "y"), v.Require("client_id")) + "\n"
					for _, k := range []string{"client_id", "client_secret"} {
						s += k + "=" + v[k] + "\n"
					}
				}
				s = strings.ReplaceAll(s, dir, "DIR")
				s = strings.ReplaceAll(s, home, "HOME")
				g.WriteString(s)
			}
			for i, r := range []string{coloredReport, ageMissingReport, "something", "",
				"  age1abc: FAILED\n    - | failed to parse 'SOPS_AGE_KEY' age identities: x\n    - | failed to parse 'SOPS_AGE_KEY_FILE' age identities\n  projects/p/locations/l/keyRings/r/cryptoKeys/k: FAILED\n    - | boom\n  https://v.vault.azure.net/keys/k/1: FAILED\n  https://vault:8200/v1/transit/keys/k: FAILED\n  weird: FAILED\n  ssh-ed25519 AAAA: FAILED\n    - | no identity matched\n",
				"  age1x: FAILED\n    - | failed to load age identities. Errors while loading: x\n  age1y: FAILED\n    - | failed to parse 'SOPS_AGE_KEY_CMD' age identities\n  age1z: FAILED\n    - | something else\n"} {
				s := fmt.Sprintf("nokey %s %d %v\n", en, i, noKeyError("p/x.enc.yaml", r))
				s = strings.ReplaceAll(s, home, "HOME")
				g.WriteString(s)
			}
		})
	}
	for _, in := range []string{"a: 1\nb: true\nc: null\nd: &x v\ne: *x\n", "- a\n", "a: {b: c}\n", "a: [1]\n", ":", "", "~\n"} {
		v, err := parseYAML([]byte(in))
		fmt.Fprintf(&g, "yaml %q %v %v %d\n", in, v, err, len(v))
	}
	for _, in := range []string{`{"a":1,"b":"x\ny","c":null,"d":true}`, `{"a":{}}`, `{"a":[1]}`, `[1]`, `{"a":"\x"}`, `{}`} {
		v, err := parseJSON([]byte(in))
		fmt.Fprintf(&g, "json %q %v %v\n", in, v, err)
	}
	for _, in := range []string{"A=1\n#c\nB=x\\ny\n\nC=a=b", "bad\n", ""} {
		v, err := parseDotenv([]byte(in))
		fmt.Fprintf(&g, "env %q %v %v\n", in, v, err)
	}
	v := Values{"b": "s1", "a": "s2"}
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%10v"} {
		fmt.Fprintf(&g, "fmt %s "+f+"\n", f, v)
	}
	fmt.Fprintf(&g, "%s %s %v\n", v.String(), v.GoString(), slog.Any("v", v))
	for _, e := range []*MissingKeysError{{Keys: []string{"a"}}, {Path: "p", Keys: []string{"a", "b"}}} {
		fmt.Fprintf(&g, "mk %v\n", e)
	}
	for _, k := range []string{"age1x", "ssh-rsa", "arn:aws:kms:x", "projects/a/cryptoKeys/b", "x.vault.azure.net", "a/transit/b", "/v1/x", "85D77543B3D624B6", "zz"} {
		kind, fix := keyKind(k)
		fmt.Fprintf(&g, "kind %s %s %s\n", k, kind, fix)
	}
	for _, n := range []string{"SOPS_AGE_KEY", "SOPS_AGE_KEY_FILE", "SOPS_AGE_KEY_CMD"} {
		fmt.Fprintf(&g, "mfix %s\n", malformedFix(n))
	}
	if err := os.WriteFile(out, []byte(g.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
