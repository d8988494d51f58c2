package personio

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// AttrText renders a raw attribute value as text. null, "" and missing all
// become "". Nested objects such as {"type":"Office","attributes":{"id":1,
// "name":"Berlin"}} render as their name; lists join with ", ".
func AttrText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return ""
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return string(raw)
	}
	return anyText(v)
}

func anyText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			if s := anyText(e); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		if attrs, ok := x["attributes"].(map[string]any); ok {
			return anyText(attrs)
		}
		for _, k := range []string{"name", "value", "label", "id"} {
			if s, ok := x[k]; ok {
				return anyText(s)
			}
		}
		b, _ := json.Marshal(x)
		return string(b)
	}
	return ""
}
