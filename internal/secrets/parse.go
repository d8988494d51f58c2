package secrets

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// format is a SOPS file format gridsync reads, chosen by file extension.
type format struct {
	sops  string // the format name decrypt.Data understands
	parse func(cleartext []byte) (Values, error)
}

// formats maps a lower-case extension such as ".yaml" to its format.
var formats = map[string]format{
	".yaml": {"yaml", parseYAML},
	".yml":  {"yaml", parseYAML},
	".json": {"json", parseJSON},
	".env":  {"dotenv", parseDotenv},
}

// supportedExtensions is listed in the error for any other extension.
const supportedExtensions = ".yaml, .yml, .json, .env"

// The parse errors below never quote the document: it is decrypted by now,
// so any excerpt could be a secret. They name keys at most.

// parseYAML reads the top-level mapping of a YAML document. Scalars keep the
// text sops emitted (5432, true, 0.25); null becomes "".
func parseYAML(cleartext []byte) (Values, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(cleartext, &doc); err != nil {
		return nil, fmt.Errorf("the decrypted content is not valid YAML")
	}
	if len(doc.Content) == 0 {
		return Values{}, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("the decrypted document is not a mapping of keys to values")
	}
	v := make(Values, len(root.Content)/2)
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i].Value, root.Content[i+1]
		for val.Kind == yaml.AliasNode && val.Alias != nil {
			val = val.Alias
		}
		if val.Kind != yaml.ScalarNode {
			return nil, nestedError(key)
		}
		v[key] = val.Value
		if val.Tag == "!!null" {
			v[key] = ""
		}
	}
	return v, nil
}

// parseJSON reads the top-level object of a JSON document. Numbers and
// booleans keep their JSON text; null becomes "".
func parseJSON(cleartext []byte) (Values, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(cleartext, &raw); err != nil {
		return nil, fmt.Errorf("the decrypted content is not a JSON object")
	}
	v := make(Values, len(raw))
	for key, msg := range raw {
		msg = bytes.TrimSpace(msg)
		switch {
		case len(msg) == 0 || string(msg) == "null":
			v[key] = ""
		case msg[0] == '"':
			var s string
			if err := json.Unmarshal(msg, &s); err != nil {
				return nil, fmt.Errorf("the value of %q is not a valid JSON string", key)
			}
			v[key] = s
		case msg[0] == '{' || msg[0] == '[':
			return nil, nestedError(key)
		default:
			v[key] = string(msg)
		}
	}
	return v, nil
}

// parseDotenv reads KEY=value lines as sops emits them: comments start with
// #, and a newline inside a value is written as \n.
func parseDotenv(cleartext []byte) (Values, error) {
	v := Values{}
	for n, line := range strings.Split(string(cleartext), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %d of the decrypted content is not KEY=value", n+1)
		}
		v[key] = strings.ReplaceAll(val, `\n`, "\n")
	}
	return v, nil
}

func nestedError(key string) error {
	return fmt.Errorf("key %q holds a nested map or list: gridsync reads only top-level keys with single values", key)
}
