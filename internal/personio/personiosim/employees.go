package personiosim

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Paging limits of GET /v1/company/employees since 2025-01-31.
const (
	defaultLimit = 50
	maxLimit     = 100
)

// pageSnapshot is what one employees page needs, copied under the lock.
type pageSnapshot struct {
	total   int
	recs    []*empRecord
	offices []Office // office of recs[i], ID 0 for none or unknown
	attrs   []AttributeDef
	faults  Faults
}

// handleEmployees serves GET /v1/company/employees.
func (s *Server) handleEmployees(w http.ResponseWriter, r *http.Request, f Faults) {
	q := r.URL.Query()
	limit, offset := defaultLimit, 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil || n < 1:
			writeError(w, http.StatusBadRequest, "The limit must be a positive integer")
			return
		case n > maxLimit:
			writeError(w, http.StatusBadRequest, "The limit must not be greater than 100")
			return
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, "The offset must be a non-negative integer")
			return
		}
		offset = n
	}
	projection := q["attributes[]"]
	if len(projection) == 0 {
		projection = q["attributes"]
	}
	for _, a := range projection {
		if slices.Contains(f.HiddenAttributes, a) {
			writeError(w, http.StatusForbidden, "Forbidden: the attribute "+a+" is not whitelisted for these API credentials")
			return
		}
	}
	if s.hook != nil {
		s.hook(offset, limit)
		f = s.Faults() // the hook may have changed them for this page
	}
	s.shiftListing(offset)
	snap := s.snapshotPage(offset, limit, q.Get("email"))
	b := renderPage(r, snap, offset, limit, projection)
	if f.Garbled && f.GarbledOffset == offset {
		// Truncated mid-way, with text that no JSON parser accepts; still 200.
		b = append(b[:len(b)/2], "\x00<!-- upstream timeout -->"...)
	}
	writeJSON(w, http.StatusOK, b)
}

func (s *Server) snapshotPage(offset, limit int, email string) pageSnapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	snap := pageSnapshot{attrs: s.attrs, faults: s.faults}
	all := s.emps
	if email != "" {
		all = slices.DeleteFunc(slices.Clone(all), func(r *empRecord) bool { return !strings.EqualFold(r.e.Email, email) })
	}
	snap.total = len(all)
	if offset < len(all) {
		snap.recs = slices.Clone(all[offset:min(offset+limit, len(all))])
	}
	snap.offices = make([]Office, len(snap.recs))
	for i, r := range snap.recs {
		snap.offices[i] = s.offices[r.e.OfficeID]
	}
	return snap
}

// renderPage encodes the envelope. Without projection or hidden attributes
// it uses each employee's cached encoding.
func renderPage(r *http.Request, snap pageSnapshot, offset, limit int, projection []string) []byte {
	want := hiddenFilter(snap.faults, projection)
	b := make([]byte, 0, 256+len(snap.recs)*1400)
	b = appendNum(b, `{"success":true,"metadata":{"total_elements":`, snap.total)
	b = appendNum(b, `,"current_page":`, offset/limit)
	b = appendNum(b, `,"total_pages":`, (snap.total+limit-1)/limit)
	b = appendNum(b, `},"offset":`, offset)
	b = appendNum(b, `,"limit":`, limit)
	b = append(b, `,"data":[`...)
	base, wide := pictureBase(r), wideOf(snap.faults)
	for i, rec := range snap.recs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendEmployee(b, rec, snap.offices[i], snap.attrs, wide, base, want)
	}
	return append(b, "]}"...)
}

// hiddenFilter returns the filter of attribute keys an answer shows under
// f and an attributes[] projection; nil shows every attribute.
func hiddenFilter(f Faults, projection []string) func(string) bool {
	if len(projection) == 0 && len(f.HiddenAttributes) == 0 {
		return nil
	}
	return func(key string) bool {
		return !slices.Contains(f.HiddenAttributes, key) && (len(projection) == 0 || slices.Contains(projection, key))
	}
}

// appendEmployee appends one employee item {"type":"Employee",
// "attributes":{…}} with the attributes want accepts (every one when want
// is nil, from the record's cached encoding), wide ones included.
func appendEmployee(b []byte, rec *empRecord, office Office, attrs []AttributeDef, wide []wideAttr, base string, want func(string) bool) []byte {
	b = append(b, `{"type":"Employee","attributes":{`...)
	mark := len(b)
	if want == nil {
		std, dyn := rec.encoded(attrs)
		b = append(b, std...)
		b = appendOffice(b, office, mark)
		b = appendPicture(b, rec.e, base, mark)
		b = append(b, dyn...)
	} else {
		b = appendStd(b, rec.e, want)
		if want("office") {
			b = appendOffice(b, office, mark)
		}
		if want("profile_picture") {
			b = appendPicture(b, rec.e, base, mark)
		}
		b = appendDyn(b, rec.e, attrs, want, mark)
	}
	b = appendWide(b, wide, rec.e, attrs, want, mark)
	return append(b, "}}"...)
}

func appendOffice(b []byte, o Office, mark int) []byte {
	a := standardAttrs[stdOffice]
	b = appendAttrHead(b, mark, a.key, a.label)
	if o.ID == 0 {
		b = append(b, "null"...)
	} else {
		b = appendRelated(b, "Office", o.ID, o.Name)
	}
	return appendAttrTail(b, a.typ, a.key)
}

// appendPicture appends the profile_picture attribute, which is absent for
// employees without a picture.
func appendPicture(b []byte, e Employee, base string, mark int) []byte {
	if !e.HasPicture {
		return b
	}
	a := standardAttrs[stdPicture]
	b = appendAttrHead(b, mark, a.key, a.label)
	b = append(b, '"')
	b = appendNum(b, base, e.ID)
	b = appendNum(b, "/profile-picture/", pictureWidth)
	b = append(b, '"')
	return appendAttrTail(b, a.typ, a.key)
}

// pictureBase is the URL prefix of profile pictures on the request's host.
func pictureBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/v1/company/employees/"
}

// handleEmployee serves GET /v1/company/employees/{id}: the employee as
// on a page, {"success":true,"data":{"type":"Employee","attributes":{…}}},
// or 404 with Personio's error body.
func (s *Server) handleEmployee(w http.ResponseWriter, r *http.Request, f Faults) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	rec, office, attrs := s.employee(id)
	if err != nil || id <= 0 || rec == nil {
		writeError(w, http.StatusNotFound, "The employee was not found")
		return
	}
	b := append(make([]byte, 0, 2048), `{"success":true,"data":`...)
	b = appendEmployee(b, rec, office, attrs, wideOf(f), pictureBase(r), hiddenFilter(f, nil))
	writeJSON(w, http.StatusOK, append(b, '}'))
}

// handleAttributes serves GET /v1/company/employees/attributes.
func (s *Server) handleAttributes(w http.ResponseWriter, r *http.Request, f Faults) {
	b := []byte(`{"success":true,"data":[`)
	mark := len(b)
	item := func(key, label, typ, universalID string, options []string) {
		if slices.Contains(f.HiddenAttributes, key) && !f.HiddenListed {
			return
		}
		if len(b) > mark {
			b = append(b, ',')
		}
		b = append(b, `{"key":`...)
		b = appendString(b, key)
		b = append(b, `,"label":`...)
		b = appendString(b, label)
		b = append(b, `,"type":`...)
		b = appendString(b, typ)
		b = append(b, `,"universal_id":`...)
		b = appendStrOrNull(b, universalID)
		b = append(b, `,"options":[`...)
		for i, o := range options {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, o)
		}
		b = append(b, "]}"...)
	}
	for _, a := range standardAttrs {
		item(a.key, a.label, a.typ, a.key, nil)
	}
	for _, a := range s.attrs { // read-only after New
		item(a.Key, a.Label, a.Type, a.UniversalID, a.Options)
	}
	for _, a := range wideOf(f) {
		if !isDeclared(s.attrs, a.key) {
			item(a.key, a.label, a.typ, wideUniversalID(a.key), a.options)
		}
	}
	b = append(b, "]}"...)
	writeJSON(w, http.StatusOK, b)
}

// handlePicture serves a small PNG for employees with a picture, 404
// otherwise. Width is clamped to 1..1024.
func (s *Server) handlePicture(w http.ResponseWriter, r *http.Request, f Faults) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusNotFound, "Employee not found")
		return
	}
	width := 64
	if v := r.PathValue("width"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, "The width must be a positive integer")
			return
		}
		width = min(n, 1024)
	}
	rec, _, _ := s.employee(id)
	hidden := slices.Contains(f.HiddenAttributes, "profile_picture")
	if rec == nil || !rec.e.HasPicture || hidden {
		writeError(w, http.StatusNotFound, "Es ist ein Problem aufgetreten")
		return
	}
	img := image.NewPaletted(image.Rect(0, 0, width, width), color.Palette{
		color.RGBA{uint8(id * 37), uint8(id * 91), uint8(id * 53), 255},
	})
	var buf bytes.Buffer
	png.Encode(&buf, img) // cannot fail: the size is valid and a bytes.Buffer takes every write
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Write(buf.Bytes())
}
