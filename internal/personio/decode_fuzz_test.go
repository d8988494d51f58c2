package personio

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// scanPage runs the decoder's scanner over body without the json.Valid pass
// that decodePageKeep makes first, reporting whether the scanner alone
// accepted it. Only for bodies that are valid JSON but for a detail: on
// arbitrary input readEnvelope and pageDecoder may index past the end (an
// empty body does), since they are only ever given validated input.
func scanPage(body []byte) bool {
	w, err := readEnvelope(body)
	if err != nil {
		return false
	}
	if len(w.data) == 0 || w.data[0] != '[' {
		return true
	}
	d := pageDecoder{strs: map[string]string{}, offices: map[string]*Office{}}
	_, err = d.employees(w.data, PageSize)
	return err == nil
}

// FuzzDecodePage holds the page decoder to two promises: it never panics,
// whatever the body, and it accepts only valid JSON. The scanner under it
// does not check syntax (see scanner and TestScannerDoesNotValidate),
// which is why decodePageKeep keeps its json.Valid pass.
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
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, keep := range []keepSet{nil, newKeepSet([]string{"dynamic_1"})} {
			if _, err := decodePageKeep(body, 0, 100, keep); err == nil && !json.Valid(body) {
				t.Fatalf("decoded a page that is not valid JSON: %q", body)
			}
		}
	})
}

// TestScannerDoesNotValidate documents why decodePageKeep validates first:
// the scanner alone accepts malformed pages.
func TestScannerDoesNotValidate(t *testing.T) {
	for _, body := range []string{
		`{"success":true,"metadata":{"total_elements":0},"data":[]`,  // unclosed
		`{"success":tru,"metadata":{"total_elements":0},"data":[]}`,  // bad literal
		`{"success":true "metadata":{"total_elements":0},"data":[]}`, // missing comma
	} {
		if !scanPage([]byte(body)) {
			t.Fatalf("the scanner rejects %s: if it now validates, json.Valid in decodePageKeep may be redundant", body)
		}
		if _, err := decodePage([]byte(body), 0, 100); err == nil {
			t.Errorf("decodePage accepted %s", body)
		}
	}
}
