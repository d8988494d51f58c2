package plan

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/google/renameio/v2"
)

// FormatVersion is the version of the JSON plan format (the -json output
// and the saved plan file), the one schema/plan.schema.json describes.
// Decode reads any 1.x and ignores properties it does not know: a new minor
// version only adds them (and comes with its own schema). 1.1 added
// jobs_unavailable.
const FormatVersion = "1.1"

// The file* types are the persisted format. They are kept apart from the
// in-memory model so that the model can change without breaking saved
// plans or scripts reading -json.
type fileV1 struct {
	FormatVersion string      `json:"format_version"`
	CreatedAt     string      `json:"created_at,omitempty"`
	AllCompanies  bool        `json:"all_companies"`
	Digests       fileDigests `json:"digests"`
	Summary       fileSummary `json:"summary"`
	Scope         []fileScope `json:"scope"`
	Warnings      []string    `json:"warnings"`
	Suspicious    []string    `json:"suspicious"`
	// JobsUnavailable is Plan.JobsUnavailable, absent when the feed was
	// read (since 1.1).
	JobsUnavailable string       `json:"jobs_unavailable,omitempty"`
	Changes         []fileChange `json:"changes"`
}

type fileDigests struct {
	Config   string `json:"config"`
	Personio string `json:"personio"`
	Target   string `json:"target"`
}

type fileSummary struct {
	Add     int `json:"add"`
	Change  int `json:"change"`
	Unlink  int `json:"unlink"`
	Destroy int `json:"destroy"`
}

type fileScope struct {
	Company   string `json:"company"`
	Employees bool   `json:"employees"`
	Jobs      bool   `json:"jobs"`
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

func toFile(p *Plan) *fileV1 {
	f := &fileV1{
		FormatVersion: FormatVersion,
		AllCompanies:  p.AllCompanies,
		Digests:       fileDigests(p.Digests),
		Summary:       fileSummary(p.Summary),
		Scope:         make([]fileScope, len(p.Scope)),
		Warnings:      append([]string{}, p.Warnings...),
		Suspicious:    append([]string{}, p.SuspiciousTexts()...),
		Changes:       make([]fileChange, 0, len(p.Changes)),

		JobsUnavailable: p.JobsUnavailable,
	}
	if !p.CreatedAt.IsZero() {
		f.CreatedAt = p.CreatedAt.UTC().Format(time.RFC3339)
	}
	for i, s := range p.Scope {
		f.Scope[i] = fileScope(s)
	}
	for _, c := range p.Changes {
		if c.Action == NoOp {
			continue
		}
		f.Changes = append(f.Changes, fileChange{
			Address: c.Address, Type: string(c.Type), Company: c.Company, Key: c.Key,
			Action: string(c.Action), TargetID: c.TargetID,
			Before: nonEmpty(c.Before), After: nonEmpty(c.After), Reason: c.Reason,
		})
	}
	return f
}

// nonEmpty drops "" values (a missing key and "" are the same) and keeps
// nil as nil, which the format writes as null.
func nonEmpty(a Attrs) map[string]string {
	if a == nil {
		return nil
	}
	m := make(map[string]string, len(a))
	for k, v := range a {
		if v != "" {
			m[k] = v
		}
	}
	return m
}

// RenderJSON writes the plan in the versioned JSON format, the same bytes
// WriteFile saves.
func RenderJSON(w io.Writer, p *Plan) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	// Job descriptions are HTML; keep them readable.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(toFile(p)); err != nil {
		return fmt.Errorf("encoding the plan as JSON: %w", err)
	}
	return bw.Flush()
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
	dec := json.NewDecoder(r)
	if err := dec.Decode(&f); err != nil {
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
	return fromFile(&f)
}

func fromFile(f *fileV1) (*Plan, error) {
	p := &Plan{
		AllCompanies: f.AllCompanies,
		Digests:      Digests(f.Digests),
		Summary:      Summary(f.Summary),
		Warnings:     nilIfEmpty(f.Warnings),
		Suspicious:   suspicions(f.Suspicious),
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
	for _, s := range f.Scope {
		p.Scope = append(p.Scope, Scope(s))
	}
	for i, c := range f.Changes {
		a, t := Action(c.Action), Type(c.Type)
		switch a {
		case Create, Update, Adopt, Unlink, Delete:
		default:
			return nil, fmt.Errorf("change %d (%s) has unknown action %q", i, c.Address, c.Action)
		}
		switch t {
		case TypeCompany, TypeLocation, TypeEmployee, TypeJob:
		default:
			return nil, fmt.Errorf("change %d (%s) has unknown type %q", i, c.Address, c.Type)
		}
		p.Changes = append(p.Changes, Change{
			Address: c.Address, Type: t, Company: c.Company, Key: c.Key, Action: a,
			TargetID: c.TargetID, Before: attrsOrNil(c.Before), After: attrsOrNil(c.After), Reason: c.Reason,
		})
	}
	if p.Summary != summarize(p.Changes) {
		return nil, errors.New("its summary does not match its changes: the file was edited or is damaged")
	}
	return p, nil
}

func attrsOrNil(m map[string]string) Attrs {
	if m == nil {
		return nil
	}
	return Attrs(m)
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// suspicions reads a file's suspicious answers; the file does not record
// the companies concerned, so each concerns the whole plan.
func suspicions(texts []string) []Suspicion {
	if len(texts) == 0 {
		return nil
	}
	out := make([]Suspicion, len(texts))
	for i, t := range texts {
		out[i] = Suspicion{Text: t}
	}
	return out
}
