package plan

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/renameio/v2"
)

// FormatVersion is the version of the JSON plan format (the -json output
// and the saved plan file), the one schema/plan.schema.json describes.
// Decode reads any 1.x and ignores properties it does not know: a new minor
// version only adds them (and comes with its own schema). 1.1 added
// jobs_unavailable.
const FormatVersion = "1.1"

// The file* types are the persisted format, as Decode reads it (RenderJSON
// writes the same fields in the same order, streaming). They are kept apart
// from the in-memory model so that the model can change without breaking
// saved plans or scripts reading -json; only Digests, Summary and Scope,
// whose JSON names are part of the format, are shared.
type fileV1 struct {
	FormatVersion string   `json:"format_version"`
	CreatedAt     string   `json:"created_at,omitempty"`
	AllCompanies  bool     `json:"all_companies"`
	Digests       Digests  `json:"digests"`
	Summary       Summary  `json:"summary"`
	Scope         []Scope  `json:"scope"`
	Warnings      []string `json:"warnings"`
	Suspicious    []string `json:"suspicious"`
	// JobsUnavailable is Plan.JobsUnavailable, absent when the feed was
	// read (since 1.1).
	JobsUnavailable string       `json:"jobs_unavailable,omitempty"`
	Changes         []fileChange `json:"changes"`
}

type fileChange struct {
	Address  string            `json:"address"`
	Type     string            `json:"type"`
	Company  string            `json:"company"`
	Key      string            `json:"key"`
	Action   string            `json:"action"`
	TargetID int64             `json:"target_id,omitempty"`
	Before   map[string]string `json:"before"`
	After    map[string]string `json:"after"`
	Reason   string            `json:"reason,omitempty"`
}

// RenderJSON writes the plan in the versioned JSON format, the same bytes
// WriteFile saves. It streams: the plan is encoded change by change as it
// is written, so a plan of 100,000 changes is never held twice in memory.
// The bytes are those of the file* types above with sorted attribute keys,
// two-space indentation and HTML left unescaped (job descriptions are
// HTML; they stay readable). Every object's names are fixed or attribute
// keys, so the encoder is spared checking them for duplicates.
func RenderJSON(w io.Writer, p *Plan) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := jsontext.NewEncoder(bw, jsontext.Multiline(true), jsontext.WithIndent("  "),
		jsontext.SpaceAfterColon(true), jsontext.EscapeForHTML(false), jsontext.EscapeForJS(true),
		jsontext.PreserveRawStrings(true), jsontext.AllowDuplicateNames(true))
	if err := encodePlan(enc, p); err != nil {
		return fmt.Errorf("encoding the plan as JSON: %w", err)
	}
	return bw.Flush()
}

// encodePlan writes p as one JSON object, in the order of fileV1's fields.
func encodePlan(enc *jsontext.Encoder, p *Plan) error {
	e := planEncoder{enc: enc}
	e.tok(jsontext.BeginObject)
	e.str("format_version", FormatVersion)
	if !p.CreatedAt.IsZero() {
		e.str("created_at", p.CreatedAt.UTC().Format(time.RFC3339))
	}
	e.field("all_companies", jsontext.Bool(p.AllCompanies))
	e.field("digests", jsontext.BeginObject)
	e.str("config", p.Digests.Config)
	e.str("personio", p.Digests.Personio)
	e.str("target", p.Digests.Target)
	e.tok(jsontext.EndObject)
	e.field("summary", jsontext.BeginObject)
	e.field("add", jsontext.Int(int64(p.Summary.Add)))
	e.field("change", jsontext.Int(int64(p.Summary.Change)))
	e.field("unlink", jsontext.Int(int64(p.Summary.Unlink)))
	e.field("destroy", jsontext.Int(int64(p.Summary.Destroy)))
	e.tok(jsontext.EndObject)
	e.field("scope", jsontext.BeginArray)
	for _, s := range p.Scope {
		e.tok(jsontext.BeginObject)
		e.str("company", s.Company)
		e.field("employees", jsontext.Bool(s.Employees))
		e.field("jobs", jsontext.Bool(s.Jobs))
		e.tok(jsontext.EndObject)
	}
	e.tok(jsontext.EndArray)
	e.strs("warnings", p.Warnings)
	e.strs("suspicious", p.SuspiciousTexts())
	if p.JobsUnavailable != "" {
		e.str("jobs_unavailable", p.JobsUnavailable)
	}
	e.field("changes", jsontext.BeginArray)
	for i := range p.Changes {
		c := &p.Changes[i]
		if c.Action == NoOp {
			continue
		}
		e.tok(jsontext.BeginObject)
		e.str("address", c.Address)
		e.str("type", string(c.Type))
		e.str("company", c.Company)
		e.str("key", c.Key)
		e.str("action", string(c.Action))
		if c.TargetID != 0 {
			e.field("target_id", jsontext.Int(c.TargetID))
		}
		e.attrs("before", c.Before)
		e.attrs("after", c.After)
		if c.Reason != "" {
			e.str("reason", c.Reason)
		}
		e.tok(jsontext.EndObject)
	}
	e.tok(jsontext.EndArray)
	e.tok(jsontext.EndObject)
	return e.err
}

// planEncoder writes tokens until the first error, which it keeps.
type planEncoder struct {
	enc *jsontext.Encoder
	err error
}

func (e *planEncoder) tok(t jsontext.Token) {
	if e.err == nil {
		e.err = e.enc.WriteToken(t)
	}
}

// field writes the name n and the token t.
func (e *planEncoder) field(n string, t jsontext.Token) {
	e.tok(jsontext.String(n))
	e.tok(t)
}

func (e *planEncoder) str(n, v string) {
	e.tok(jsontext.String(n))
	e.text(v)
}

// text writes the string v. The encoder refuses text that is not valid
// UTF-8 (neither Personio's answers nor PostgreSQL let it through) and is
// then as it was; such text is written as encoding/json writes it, each
// invalid byte as the escape \ufffd, which the encoder keeps as it is
// (PreserveRawStrings).
func (e *planEncoder) text(v string) {
	if e.err != nil {
		return
	}
	if e.err = e.enc.WriteToken(jsontext.String(v)); e.err == nil || utf8.ValidString(v) {
		return
	}
	e.err = nil
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // a string always encodes
	e.err = e.enc.WriteValue(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

// strs writes a list of strings; nil is written as [].
func (e *planEncoder) strs(n string, vs []string) {
	e.field(n, jsontext.BeginArray)
	for _, v := range vs {
		e.text(v)
	}
	e.tok(jsontext.EndArray)
}

// attrs writes a's values by sorted key; none is written as null.
func (e *planEncoder) attrs(n string, a Attrs) {
	e.tok(jsontext.String(n))
	if a.IsNone() {
		e.tok(jsontext.Null)
		return
	}
	e.tok(jsontext.BeginObject)
	for k, v := range a.Sorted() {
		e.str(k, v)
	}
	e.tok(jsontext.EndObject)
}

// WriteFile saves the plan to path atomically (a temporary file in the same
// directory, then a rename), so a reader never sees half a plan.
func WriteFile(path string, p *Plan) error {
	f, err := renameio.NewPendingFile(path, renameio.WithPermissions(0o644))
	if err != nil {
		return fmt.Errorf("saving the plan: %w", err)
	}
	defer f.Cleanup() // no-op after CloseAtomicallyReplace
	if err := RenderJSON(f, p); err != nil {
		return fmt.Errorf("saving the plan to %s: %w", path, err)
	}
	if err := f.CloseAtomicallyReplace(); err != nil {
		return fmt.Errorf("saving the plan to %s: %w", path, err)
	}
	return nil
}

// ReadFile loads a plan saved by WriteFile (or -json output). It refuses a
// format whose major version it does not know.
func ReadFile(path string) (*Plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading the plan file: %w", err)
	}
	defer f.Close()
	p, err := Decode(bufio.NewReaderSize(f, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("reading the plan file %s: %w", path, err)
	}
	return p, nil
}

// Decode reads a plan in the JSON format from r. Unknown properties are
// ignored, never refused, so that a 1.x file written by a newer gridsync
// still reads (the decoder must not DisallowUnknownFields).
func Decode(r io.Reader) (*Plan, error) {
	var f fileV1
	if err := json.NewDecoder(r).Decode(&f); err != nil {
		return nil, fmt.Errorf("this is not a gridsync plan file: %w", err)
	}
	if f.FormatVersion == "" {
		return nil, errors.New("this is not a gridsync plan file: it has no format_version")
	}
	major, _, _ := strings.Cut(f.FormatVersion, ".")
	want, _, _ := strings.Cut(FormatVersion, ".")
	if major != want {
		return nil, fmt.Errorf("the plan has format_version %s, but this gridsync reads %s.x only: use the gridsync version that wrote it, or run plan again", f.FormatVersion, want)
	}
	p := &Plan{
		AllCompanies: f.AllCompanies,
		Digests:      f.Digests,
		Summary:      f.Summary,
		Changes:      make([]Change, 0, len(f.Changes)),

		JobsUnavailable: f.JobsUnavailable,
	}
	if f.CreatedAt != "" {
		t, err := time.Parse(time.RFC3339, f.CreatedAt)
		if err != nil {
			return nil, fmt.Errorf("created_at %q is not an RFC 3339 time: %w", f.CreatedAt, err)
		}
		p.CreatedAt = t
	}
	if len(f.Scope) > 0 {
		p.Scope = f.Scope
	}
	if len(f.Warnings) > 0 {
		p.Warnings = f.Warnings
	}
	// The file does not record the companies a suspicious answer concerns,
	// so each concerns the whole plan.
	for _, t := range f.Suspicious {
		p.Suspicious = append(p.Suspicious, Suspicion{Text: t})
	}
	for i, c := range f.Changes {
		a, t := Action(c.Action), Type(c.Type)
		if !slices.Contains([]Action{Create, Update, Adopt, Unlink, Delete}, a) {
			return nil, fmt.Errorf("change %d (%s) has unknown action %q", i, c.Address, c.Action)
		}
		if !slices.Contains([]Type{TypeCompany, TypeLocation, TypeEmployee, TypeJob}, t) {
			return nil, fmt.Errorf("change %d (%s) has unknown type %q", i, c.Address, c.Type)
		}
		if !strings.HasPrefix(c.Address, c.Type+".") {
			return nil, fmt.Errorf("change %d has address %q, which does not start with its type %q: the file was edited or is damaged; make it again with gridsync plan -out", i, c.Address, c.Type+".")
		}
		before, err := parseAttrs(c.Before)
		after, err2 := parseAttrs(c.After)
		if err = cmp.Or(err, err2); err != nil {
			return nil, fmt.Errorf("change %d (%s): %w", i, c.Address, err)
		}
		p.Changes = append(p.Changes, Change{
			Address: c.Address, Type: t, Company: c.Company, Key: c.Key, Action: a,
			TargetID: c.TargetID, Before: before, After: after, Reason: c.Reason,
		})
	}
	if p.Summary != summarize(p.Changes) {
		return nil, errors.New("its summary does not match its changes: the file was edited or is damaged; make it again with gridsync plan -out")
	}
	return p, nil
}
