package personiosim

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
)

// feedTimeLayout is ISO 8601 with a numeric offset (+00:00, never Z).
const feedTimeLayout = "2006-01-02T15:04:05-07:00"

// handleFeed serves the public job feed GET /xml?language=… and its moved
// copy at MovedFeedPath: no auth, published positions only (every job in
// the dataset is published).
func (s *Server) handleFeed(w http.ResponseWriter, r *http.Request) {
	moved := r.URL.Path == MovedFeedPath
	s.mu.Lock()
	if s.feed == nil {
		s.feed = renderFeed(s.jobs)
	}
	f, b := s.faults, s.feed
	s.mu.Unlock()
	switch {
	case f.UnknownTenant && !moved:
		http.Redirect(w, r, "https://www.personio.de/", http.StatusMovedPermanently)
	case f.FeedRedirect != "" && !moved:
		to := f.FeedRedirect
		if !strings.Contains(to, "?") && r.URL.RawQuery != "" {
			to += "?" + r.URL.RawQuery
		}
		w.Header().Set("Location", to)
		w.WriteHeader(http.StatusMovedPermanently)
	case f.FeedMissing:
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(missingFeedPage))
	default:
		w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b)
	}
}

// missingFeedPage is what a tenant whose career page is switched off
// answers in place of the feed.
const missingFeedPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Page not found</title></head>
<body><h1>This page could not be found</h1><p>The career page you are looking for is not available.</p></body></html>
`

// renderFeed encodes jobs as Personio's workzag-jobs XML. Descriptions are
// CDATA holding HTML, as in Personio's feed.
func renderFeed(jobs []Job) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<workzag-jobs>")
	for _, j := range jobs {
		b.WriteString("\n  <position>")
		elem(&b, "id", strconv.FormatInt(j.ID, 10))
		elem(&b, "subcompany", j.Subcompany)
		elem(&b, "office", j.Office)
		b.WriteString("\n    <additionalOffices>")
		for _, o := range j.AdditionalOffices {
			b.WriteString("\n      <office>")
			xml.EscapeText(&b, []byte(o))
			b.WriteString("</office>")
		}
		if len(j.AdditionalOffices) > 0 {
			b.WriteString("\n    ")
		}
		b.WriteString("</additionalOffices>")
		elem(&b, "department", j.Department)
		elem(&b, "recruitingCategory", j.RecruitingCategory)
		elem(&b, "name", j.Name)
		b.WriteString("\n    <jobDescriptions>")
		for _, d := range j.Descriptions {
			b.WriteString("\n      <jobDescription>\n        <name>")
			xml.EscapeText(&b, []byte(d.Name))
			// The value is CDATA; a "]]>" in it is split across two sections.
			b.WriteString("</name>\n        <value><![CDATA[")
			b.WriteString(strings.ReplaceAll(d.Value, "]]>", "]]]]><![CDATA[>"))
			b.WriteString("]]></value>\n      </jobDescription>")
		}
		b.WriteString("\n    </jobDescriptions>")
		elem(&b, "employmentType", j.EmploymentType)
		elem(&b, "seniority", j.Seniority)
		elem(&b, "schedule", j.Schedule)
		elem(&b, "yearsOfExperience", j.YearsOfExperience)
		elem(&b, "keywords", j.Keywords)
		elem(&b, "occupation", j.Occupation)
		elem(&b, "occupationCategory", j.OccupationCategory)
		created := ""
		if !j.CreatedAt.IsZero() {
			created = j.CreatedAt.Format(feedTimeLayout)
		}
		elem(&b, "createdAt", created)
		b.WriteString("\n  </position>")
	}
	if len(jobs) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("</workzag-jobs>\n")
	return b.Bytes()
}

func elem(b *bytes.Buffer, name, text string) {
	b.WriteString("\n    <" + name + ">")
	xml.EscapeText(b, []byte(text))
	b.WriteString("</" + name + ">")
}
