package personiosim

import (
	"bytes"
	"encoding/xml"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// xmlNode is a generic element tree of the feed, keeping whether text came
// from CDATA.
type xmlNode struct {
	name     string
	text     strings.Builder
	cdata    bool
	children []*xmlNode
}

func (n *xmlNode) child(name string) []*xmlNode {
	var out []*xmlNode
	for _, c := range n.children {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

// parseXMLTree reads the document into xmlNodes. encoding/xml reports CDATA
// as CharData too, so CDATA is detected from the raw bytes of each token.
func parseXMLTree(t *testing.T, b []byte) *xmlNode {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	root := &xmlNode{}
	stack := []*xmlNode{root}
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("feed is not well-formed XML: %v", err)
		}
		top := stack[len(stack)-1]
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &xmlNode{name: tok.Name.Local}
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			top.text.Write(tok)
			if bytes.HasPrefix(b[start:dec.InputOffset()], []byte("<![CDATA[")) {
				top.cdata = true
			}
		}
	}
	if len(root.children) != 1 {
		t.Fatalf("feed has %d root elements, want 1", len(root.children))
	}
	return root.children[0]
}

// TestConformanceFeed checks the XML feed against the recruiting file's
// XmlResponse/JobPosting description: element names, every property per
// position, integer and enum types, plus what NOTES.md adds
// (additionalOffices, CDATA HTML descriptions, ISO 8601 createdAt).
func TestConformanceFeed(t *testing.T) {
	doc := loadSpec(t, "personio-recruiting-api.yaml")
	if doc.Paths.Find("/xml") == nil || doc.Paths.Find("/xml").Get == nil {
		t.Fatal("the recruiting file has no GET /xml")
	}
	feedSchema := doc.Components.Schemas["XmlResponse"].Value
	posting := doc.Components.Schemas["JobPosting"].Value
	rootName, itemName := feedSchema.XML.Name, posting.XML.Name
	if rootName != "workzag-jobs" || itemName != "position" {
		t.Fatalf("the file names the feed %q/%q; this test expects workzag-jobs/position", rootName, itemName)
	}
	var props []string
	for name := range posting.Properties {
		props = append(props, name)
	}
	slices.Sort(props)

	for _, jobs := range []int{0, 1, 12} {
		t.Run(strconv.Itoa(jobs)+" jobs", func(t *testing.T) {
			s := New(Options{Dataset: Generate(GenerateOptions{Seed: 4, Employees: 5, Offices: 3, Jobs: jobs})})
			ex := call(t, s, "GET", "/xml?language=en", "", "")
			if ex.status != 200 || !strings.Contains(ex.header.Get("Content-Type"), "xml") {
				t.Fatalf("status %d, content type %q", ex.status, ex.header.Get("Content-Type"))
			}
			root := parseXMLTree(t, ex.body)
			if root.name != rootName {
				t.Fatalf("root element %q, want %q", root.name, rootName)
			}
			positions := root.child(itemName)
			if len(positions) != jobs || len(root.children) != jobs {
				t.Fatalf("%d %s elements of %d children, want %d", len(positions), itemName, len(root.children), jobs)
			}
			if jobs == 0 && !bytes.Contains(ex.body, []byte("<workzag-jobs></workzag-jobs>")) {
				t.Errorf("empty board %q, want <workzag-jobs></workzag-jobs>", ex.body)
			}
			for i, p := range positions {
				checkPosition(t, i, p, posting, props)
			}
		})
	}
}

func checkPosition(t *testing.T, i int, p *xmlNode, posting *openapi3.Schema, props []string) {
	t.Helper()
	value := map[string]any{}
	for _, name := range props {
		els := p.child(name)
		if len(els) != 1 {
			t.Errorf("position %d: %d <%s> elements, want 1", i, len(els), name)
			continue
		}
		if name == "jobDescriptions" {
			checkDescriptions(t, i, els[0])
			continue // its schema nests arrays in arrays, unlike any real feed
		}
		text := strings.TrimSpace(els[0].text.String())
		if posting.Properties[name].Value.Type.Is("integer") {
			n, err := strconv.ParseInt(text, 10, 64)
			if err != nil {
				t.Errorf("position %d: <%s>%s</%s> is not an integer", i, name, text, name)
				continue
			}
			value[name] = n
		} else {
			value[name] = text
		}
		if text == "" && name != "subcompany" {
			t.Errorf("position %d: <%s> is empty", i, name)
		}
	}
	for _, err := range leafErrors(posting.VisitJSON(value, openapi3.MultiErrors())) {
		t.Errorf("position %d does not conform to JobPosting: %v", i, err)
	}
	// NOTES.md: additionalOffices/office*, createdAt in ISO 8601.
	if add := p.child("additionalOffices"); len(add) != 1 || len(add[0].children) != len(add[0].child("office")) {
		t.Errorf("position %d: want one <additionalOffices> holding only <office> elements", i)
	}
	created := strings.TrimSpace(p.child("createdAt")[0].text.String())
	if _, err := time.Parse(time.RFC3339, created); err != nil {
		t.Errorf("position %d: createdAt %q is not ISO 8601: %v", i, created, err)
	}
}

func checkDescriptions(t *testing.T, i int, descs *xmlNode) {
	t.Helper()
	items := descs.child("jobDescription")
	if len(items) == 0 || len(items) != len(descs.children) {
		t.Errorf("position %d: jobDescriptions holds %d jobDescription of %d children", i, len(items), len(descs.children))
	}
	for _, d := range items {
		names, values := d.child("name"), d.child("value")
		if len(names) != 1 || len(values) != 1 || names[0].text.Len() == 0 {
			t.Errorf("position %d: jobDescription needs one non-empty name and one value", i)
			continue
		}
		if !values[0].cdata || !strings.Contains(values[0].text.String(), "<") {
			t.Errorf("position %d: description value %q is not CDATA HTML", i, values[0].text.String())
		}
	}
}
