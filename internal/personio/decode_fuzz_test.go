package personio

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
)

// FuzzDecodePage holds the decoders to three promises, whatever the body:
// they never panic, they accept only valid JSON, and a body that is not
// JSON fails with an error that says where it broke.
func FuzzDecodePage(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range seeds {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(page(2,
		emp(attr("id", "integer", `1`), attr("first_name", "standard", `"A\u00e9"`), attr("office", "standard", `{"type":"Office","attributes":{"id":3,"name":"Berlin"}}`)),
		emp(attr("id", "integer", `"2"`), attr("dynamic_1", "list", `["x",{"name":"y"}]`), `"gender":null`))))
	f.Add([]byte(`{"success":false,"error":{"code":500,"message":"Boom"}}`))
	f.Add([]byte(""))
	f.Add([]byte(`{"success":true,"metadata":{"total_elements":1},"data":[{"type":"Employee","attributes":null}]}`))
	f.Add([]byte(`{"success":true,"data":{"type":"Employee","attributes":{"id":{"label":"ID","value":7}}}}`))
	selections := []*selection{nil, newSelection([]string{"dynamic_1"}, []string{"first_name", "dynamic_1"})}
	f.Fuzz(func(t *testing.T, body []byte) {
		valid := jsontext.Value(body).IsValid(decodeOptions())
		for _, sel := range selections {
			_, err := decodePage(body, sel, 1)
			if err == nil && !valid {
				t.Fatalf("decoded a page that is not valid JSON: %q", body)
			}
			var se *syntaxError
			if errors.As(err, &se) && (se.Offset < 0 || se.Offset > int64(len(body)) || se.Reason == "") {
				t.Fatalf("the error for malformed JSON names no place in the body: %v", err)
			}
			if _, err := decodeEmployee(body, sel); err == nil && !valid {
				t.Fatalf("decoded an employee from invalid JSON: %q", body)
			}
		}
	})
}
