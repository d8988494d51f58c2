package jsonstr

import (
	"encoding/json"
	"testing"
)

func TestAppend(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", `""`},
		{"plain", "Berlin HQ", `"Berlin HQ"`},
		{"escapes", "quote\" backslash\\ nl\n tab\t cr\r bell\a nul\x00", `"quote\" backslash\\ nl\n tab\t cr\r bell\u0007 nul\u0000"`},
		{"unicode and markup kept", "Zoë Müller 東京 Łukasz <b>&</b>", `"Zoë Müller 東京 Łukasz <b>&</b>"`},
		{"invalid utf-8 replaced", "a\xffb\xc3", `"a\ufffdb\ufffd"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Append([]byte("prefix:"), tt.in)
			if string(got) != "prefix:"+tt.want {
				t.Fatalf("Append = %s, want prefix:%s", got, tt.want)
			}
			// Decoding gives what encoding/json's own round trip gives.
			var back, stdBack string
			if err := json.Unmarshal(got[len("prefix:"):], &back); err != nil {
				t.Fatalf("not valid JSON: %v", err)
			}
			std, _ := json.Marshal(tt.in)
			_ = json.Unmarshal(std, &stdBack)
			if back != stdBack {
				t.Errorf("decodes to %q, encoding/json round trip gives %q", back, stdBack)
			}
		})
	}
}

func FuzzAppend(f *testing.F) {
	for _, s := range []string{"", "a\"b", "\x00\x1f", "Müller", "\xff", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var back, stdBack string
		if err := json.Unmarshal(Append(nil, s), &back); err != nil {
			t.Fatalf("Append(%q) is not valid JSON: %v", s, err)
		}
		std, _ := json.Marshal(s)
		_ = json.Unmarshal(std, &stdBack)
		if back != stdBack {
			t.Errorf("Append(%q) decodes to %q, encoding/json round trip gives %q", s, back, stdBack)
		}
	})
}
