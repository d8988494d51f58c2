package personio

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestJobsFeed(t *testing.T) {
	feed, err := os.ReadFile(filepath.Join("testdata", "feed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var query string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		query = r.URL.RawQuery
		if r.URL.Path != "/xml" || r.Header.Get("Authorization") != "" {
			t.Errorf("feed request %s with Authorization %q", r.URL, r.Header.Get("Authorization"))
		}
		w.Header().Set("Content-Type", "text/xml")
		w.Write(feed)
	}))
	defer srv.Close()
	jobs, err := testClient(t, srv.URL, func(o *Options) { o.JobsLanguage = "de" }).Jobs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if query != "language=de" {
		t.Errorf("query = %q", query)
	}
	if len(jobs) != 2 || jobs[0].ID != 4103 || jobs[1].ID != 9002 {
		t.Fatalf("jobs not sorted by id: %+v", jobs)
	}
	j := jobs[0]
	created := time.Date(2016, 5, 31, 12, 14, 7, 0, time.FixedZone("", 2*3600))
	checks := map[string][2]string{
		"Subcompany":         {j.Subcompany, "Acme Services GmbH"},
		"Office":             {j.Office, "Munich"},
		"AdditionalOffices":  {strings.Join(j.AdditionalOffices, "|"), "Berlin|Remote"},
		"Department":         {j.Department, "Management"},
		"RecruitingCategory": {j.RecruitingCategory, "Various"},
		"Name":               {j.Name, "Office- und Feelgood Manager (m/w)"},
		"Description name":   {j.Descriptions[0].Name, "Beschreibung"},
		"Description HTML":   {j.Descriptions[0].Value, "Für unser Büro <strong>mitten</strong> im Glockenbachviertel<br><br><ul><li>Post</li></ul>"},
		"Description entity": {j.Descriptions[1].Value, "Du bist\u00a0herzlich"},
		"EmploymentType":     {j.EmploymentType, "intern"},
		"Seniority":          {j.Seniority, "entry-level"},
		"Schedule":           {j.Schedule, "part-time"},
		"YearsOfExperience":  {j.YearsOfExperience, "lt-1"},
		"Keywords":           {j.Keywords, "office manager,büro"},
		"Occupation":         {j.Occupation, "office_management"},
		"OccupationCategory": {j.OccupationCategory, "administrative_and_clerical"},
		"ApplicationURL":     {j.ApplicationURL, srv.URL + "/job/4103"},
	}
	for field, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", field, c[0], c[1])
		}
	}
	if !j.CreatedAt.Equal(created) {
		t.Errorf("CreatedAt = %s, want %s", j.CreatedAt, created)
	}
	if got := jobs[1].Descriptions[0].Value; got != "<ul><li>Build &amp; run Go services</li></ul>" {
		t.Errorf("CDATA must be kept verbatim, got %q", got)
	}
}

func TestApplicationURLFromTenant(t *testing.T) {
	c, err := New(Options{Tenant: "acme", Credentials: Credentials{ClientID: "x", ClientSecret: testSecret}})
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := decodeFeed([]byte(`<workzag-jobs><position><id>7</id><name>X</name></position></workzag-jobs>`), c.JobsURL())
	if err != nil {
		t.Fatal(err)
	}
	if jobs[0].ApplicationURL != "https://acme.jobs.personio.de/job/7" {
		t.Errorf("ApplicationURL = %q", jobs[0].ApplicationURL)
	}
}

func TestDecodeFeed(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		want   int
		errHas string
	}{
		{name: "empty board", body: `<workzag-jobs></workzag-jobs>`, want: 0},
		{name: "latin-1", body: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><workzag-jobs><position><id>1</id><office>M\xfcnchen</office></position></workzag-jobs>", want: 1},
		{name: "duplicate position", body: `<workzag-jobs><position><id>1</id></position><position><id>1</id></position></workzag-jobs>`, want: 1},
		{name: "truncated", body: `<workzag-jobs><position><id>1</id><name>Dev`, errHas: "not well-formed XML"},
		{name: "garbage after the root", body: `<workzag-jobs></workzag-jobs><position>`, errHas: "after </workzag-jobs>"},
		{name: "HTML page", body: `<html><body>Welcome</body></html>`, errHas: "not a Personio job feed"},
		{name: "no id", body: `<workzag-jobs><position><name>Dev</name></position></workzag-jobs>`, errHas: "position #1 (Dev): it has no id"},
		{name: "bad id", body: `<workzag-jobs><position><id>x1</id></position></workzag-jobs>`, errHas: `id "x1" is not a position id`},
		{name: "bad createdAt", body: `<workzag-jobs><position><id>1</id><createdAt>yesterday</createdAt></position></workzag-jobs>`, errHas: `createdAt "yesterday" is not a timestamp`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jobs, err := decodeFeed([]byte(tt.body), "https://acme.jobs.personio.de")
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(jobs) != tt.want {
				t.Errorf("%d jobs, want %d", len(jobs), tt.want)
			}
			if tt.name == "latin-1" && jobs[0].Office != "München" {
				t.Errorf("office = %q", jobs[0].Office)
			}
		})
	}
}
