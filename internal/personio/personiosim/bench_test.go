package personiosim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// benchToken authenticates against s in-process.
func benchToken(b *testing.B, s *Server) string {
	b.Helper()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("POST", "/v1/auth", strings.NewReader(
		`{"client_id":"`+DefaultClientID+`","client_secret":"`+DefaultClientSecret+`"}`)))
	var a authAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
		b.Fatal(err)
	}
	return a.Data.Token
}

// BenchmarkEmployeesPage renders 100-employee pages of a 100k tenant through
// the handler, walking the listing so that both first renders (cold) and
// cached encodings (warm) are measured.
func BenchmarkEmployeesPage(b *testing.B) {
	for _, mode := range []string{"cold", "warm", "projected"} {
		b.Run(mode, func(b *testing.B) {
			s := New(Options{Dataset: Generate(GenerateOptions{Seed: 1, Employees: 100_000, Offices: 20})})
			tok := benchToken(b, s)
			query := ""
			if mode == "projected" {
				query = "&attributes[]=first_name&attributes[]=office&attributes[]=email"
			}
			if mode == "warm" {
				for off := 0; off < 100_000; off += 100 {
					s.ServeHTTP(httptest.NewRecorder(), pageRequest(tok, off, query))
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			off := 0
			for b.Loop() {
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, pageRequest(tok, off, query))
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
				b.SetBytes(int64(rec.Body.Len()))
				off = (off + 100) % 100_000
			}
		})
	}
}

func pageRequest(tok string, offset int, query string) *http.Request {
	r := httptest.NewRequest("GET", "/v1/company/employees?limit=100&offset="+strconv.Itoa(offset)+query, nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	return r
}

func BenchmarkFeed(b *testing.B) {
	s := New(Options{Dataset: Generate(GenerateOptions{Seed: 1, Employees: 10, Offices: 20, Jobs: 500})})
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", "/xml?language=en", nil))
	}
}
