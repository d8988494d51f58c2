package secrets

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/gridwork/gridsync/internal/words"
)

// redacted stands in for every secret value whenever Values is printed,
// logged or marshalled.
const redacted = "<redacted>"

// Values holds the top-level keys of a decrypted SOPS document and their
// values as text. Read a value by indexing (v["client_id"]).
//
// Every way of printing a Values shows its keys only: String, GoString and
// Format (so every fmt verb, %#v included), LogValue (slog) and MarshalJSON.
// Printing a struct that holds a Values in an unexported field bypasses these
// methods (fmt cannot call methods there), so never keep one in a struct that
// is printed or logged.
type Values map[string]string

// pairs writes pair(key) for each key in sorted order, so that output is
// deterministic, separated by sep.
func (v Values) pairs(pair func(key string) string, sep string) string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(v)) {
		out = append(out, pair(k))
	}
	return strings.Join(out, sep)
}

// String lists the keys with their values redacted:
// {client_id:<redacted> client_secret:<redacted>}.
func (v Values) String() string {
	return "{" + v.pairs(func(k string) string { return k + ":" + redacted }, " ") + "}"
}

// GoString is String in Go syntax, for %#v.
func (v Values) GoString() string {
	return "secrets.Values{" + v.pairs(func(k string) string { return strconv.Quote(k) + ": " + strconv.Quote(redacted) }, ", ") + "}"
}

// Format implements fmt.Formatter so that no verb (%v, %+v, %s, %q, %x, …)
// can reach the values through fmt's default map printing.
func (v Values) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		io.WriteString(f, v.GoString())
	case verb == 'q':
		io.WriteString(f, strconv.Quote(v.String()))
	default:
		io.WriteString(f, v.String())
	}
}

// LogValue implements slog.LogValuer: a group with one attribute per key,
// each valued <redacted>.
func (v Values) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, len(v))
	for _, k := range slices.Sorted(maps.Keys(v)) {
		attrs = append(attrs, slog.String(k, redacted))
	}
	return slog.GroupValue(attrs...)
}

// MarshalJSON emits the keys with redacted values, so that a Values that
// slips into a JSON log line or an output file carries no secret.
func (v Values) MarshalJSON() ([]byte, error) {
	m := make(map[string]string, len(v))
	for k := range v {
		m[k] = redacted
	}
	return json.Marshal(m)
}

// Require reports the keys among keys that v lacks or holds empty, as a
// *MissingKeysError; nil when all are present.
func (v Values) Require(keys ...string) error {
	missing := slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return v[k] != "" })
	if len(missing) == 0 {
		return nil
	}
	return &MissingKeysError{Keys: missing}
}

// MissingKeysError names the keys a secrets file lacks. Values does not know
// the file it came from, so Require leaves Path empty; a caller that knows
// the path sets it to get the complete message:
//
//	secrets/personio.enc.yaml has no client_id: add it with `sops edit secrets/personio.enc.yaml`
type MissingKeysError struct {
	Path string
	Keys []string
}

func (e *MissingKeysError) Error() string {
	file, edit := "the secrets file", "`sops edit` on that file"
	if e.Path != "" {
		file, edit = e.Path, "`sops edit "+e.Path+"`"
	}
	return fmt.Sprintf("%s has no %s: add %s with %s", file, strings.Join(e.Keys, ", "), words.Plural(len(e.Keys), "it", "them"), edit)
}
