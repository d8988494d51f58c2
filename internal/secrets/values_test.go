package secrets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestValuesPrintingRedacts(t *testing.T) {
	v := Values{"client_id": "id-Ab12", "client_secret": "secret-Cd34"}
	type holder struct{ Creds Values }
	printed := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"} {
		printed[verb] = fmt.Sprintf(verb, v)
		printed[verb+" pointer"] = fmt.Sprintf(verb, &v)
		printed[verb+" in struct"] = fmt.Sprintf(verb, holder{v})
	}
	printed["Sprint"] = fmt.Sprint(v)
	printed["Sprintln"] = fmt.Sprintln(v)
	printed["String"] = v.String()
	printed["GoString"] = v.GoString()
	printed["error %w"] = fmt.Errorf("creds %v: %w", v, errors.New("x")).Error()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	printed["json"] = string(b)
	b, err = json.Marshal(holder{v})
	if err != nil {
		t.Fatal(err)
	}
	printed["json in struct"] = string(b)
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"slog text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"slog json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var buf bytes.Buffer
		slog.New(h(&buf)).Info("loaded", "creds", v)
		printed[name] = buf.String()
	}

	for name, out := range printed {
		t.Run(name, func(t *testing.T) {
			if strings.Contains(out, "id-Ab12") || strings.Contains(out, "secret-Cd34") {
				t.Errorf("leaks a value: %s", out)
			}
			if name != "%T" && name != "%T pointer" && name != "%T in struct" && !strings.Contains(out, "client_secret") {
				t.Errorf("does not name the key client_secret: %s", out)
			}
		})
	}

	// The shapes themselves, so that a change is a deliberate one.
	if got, want := v.String(), "{client_id:<redacted> client_secret:<redacted>}"; got != want {
		t.Errorf("String = %s, want %s", got, want)
	}
	if got, want := fmt.Sprintf("%#v", v), `secrets.Values{"client_id": "<redacted>", "client_secret": "<redacted>"}`; got != want {
		t.Errorf("%%#v = %s, want %s", got, want)
	}
	if got, want := printed["slog text"], "creds.client_id=<redacted> creds.client_secret=<redacted>"; !strings.Contains(got, want) {
		t.Errorf("slog text = %s, want it to contain %s", got, want)
	}
}

func TestRequire(t *testing.T) {
	v := Values{"client_id": "id-Ab12", "client_secret": "secret-Cd34", "empty": ""}
	tests := []struct {
		name string
		keys []string
		path string
		want string // "" means no error
	}{
		{"all present", []string{"client_id", "client_secret"}, "", ""},
		{"none asked", nil, "", ""},
		{"one missing", []string{"client_id", "token"}, "secrets/personio.enc.yaml",
			"secrets/personio.enc.yaml has no token: add it with `sops edit secrets/personio.enc.yaml`"},
		{"empty counts as missing", []string{"empty", "token"}, "secrets/personio.enc.yaml",
			"secrets/personio.enc.yaml has no empty, token: add them with `sops edit secrets/personio.enc.yaml`"},
		{"no path known", []string{"token"}, "",
			"the secrets file has no token: add it with `sops edit` on that file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := v.Require(tt.keys...)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Require = %v, want nil", err)
				}
				return
			}
			var missing *MissingKeysError
			if !errors.As(err, &missing) {
				t.Fatalf("Require = %v, want a *MissingKeysError", err)
			}
			missing.Path = tt.path
			if got := err.Error(); got != tt.want {
				t.Errorf("Require error = %q, want %q", got, tt.want)
			}
		})
	}
}
