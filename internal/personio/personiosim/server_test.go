package personiosim

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"image/png"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAuth(t *testing.T) {
	ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 1, Employees: 3, Offices: 1})})
	good := `{"client_id":"gridsync-demo","client_secret":"demo-secret-not-for-production"}`
	tests := []struct {
		name, path, contentType, body string
		want                          int
	}{
		{"json body", "/v1/auth", "application/json", good, 200},
		{"form body", "/v1/auth", "application/x-www-form-urlencoded", "client_id=gridsync-demo&client_secret=demo-secret-not-for-production", 200},
		{"wrong secret", "/v1/auth", "application/json", `{"client_id":"gridsync-demo","client_secret":"nope"}`, 401},
		{"wrong id", "/v1/auth", "application/json", `{"client_id":"other","client_secret":"demo-secret-not-for-production"}`, 401},
		{"credentials in query", "/v1/auth?client_id=gridsync-demo&client_secret=demo-secret-not-for-production", "", "", 400},
		{"missing secret", "/v1/auth", "application/json", `{"client_id":"gridsync-demo"}`, 400},
		{"not json", "/v1/auth", "application/json", `client_id=x`, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, b := ts.do("POST", tt.path, "", tt.contentType, tt.body)
			if status != tt.want {
				t.Fatalf("status %d, want %d: %s", status, tt.want, b)
			}
			if status != 200 {
				if e := decodeV1Error(t, b); e.Error.Code != tt.want {
					t.Errorf("error code %d, want %d", e.Error.Code, tt.want)
				}
				return
			}
			var a authAnswer
			if err := json.Unmarshal(b, &a); err != nil {
				t.Fatal(err)
			}
			if !a.Success || !strings.HasPrefix(a.Data.Token, "papi-") || a.Data.ExpiresIn != 86400 {
				t.Errorf("answer %s: want success, a papi- token, expires_in 86400", b)
			}
			if strings.Contains(string(b), DefaultClientSecret) {
				t.Errorf("answer contains the client secret")
			}
		})
	}
}

func TestEmployeesAuthorization(t *testing.T) {
	ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 1, Employees: 3, Offices: 1})})
	good := ts.token()
	tests := []struct {
		name, header string
		want         int
	}{
		{"no header", "", 401},
		{"unknown token", "Bearer papi-nope", 401},
		{"not bearer", "Basic Z3JpZHN5bmM6eA==", 401},
		{"valid token", "Bearer " + good, 200},
	}
	for _, path := range []string{"/v1/company/employees", "/v1/company/employees/attributes", "/v1/company/employees/1/profile-picture/40"} {
		for _, tt := range tests {
			t.Run(path+"/"+tt.name, func(t *testing.T) {
				req, _ := http.NewRequest("GET", ts.URL+path, nil)
				if tt.header != "" {
					req.Header.Set("Authorization", tt.header)
				}
				resp, err := ts.client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				if resp.StatusCode != tt.want && !(tt.want == 200 && resp.StatusCode == 404) {
					t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
				}
			})
		}
	}
}

func TestEmployeesPaging(t *testing.T) {
	ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 7, Employees: 250, Offices: 3})})
	tok := ts.token()
	tests := []struct {
		name                              string
		query                             url.Values
		wantStatus                        int
		wantFirst, wantCount              int64
		wantLimit, wantPage, wantTotalPgs int
	}{
		{"defaults", url.Values{}, 200, 1, 50, 50, 0, 5},
		{"first page of 100", url.Values{"limit": {"100"}}, 200, 1, 100, 100, 0, 3},
		{"row offset", url.Values{"limit": {"100"}, "offset": {"100"}}, 200, 101, 100, 100, 1, 3},
		{"last partial page", url.Values{"limit": {"100"}, "offset": {"200"}}, 200, 201, 50, 100, 2, 3},
		{"offset not on a page boundary", url.Values{"limit": {"100"}, "offset": {"150"}}, 200, 151, 100, 100, 1, 3},
		{"past the end", url.Values{"limit": {"100"}, "offset": {"300"}}, 200, 0, 0, 100, 3, 3},
		{"limit 1", url.Values{"limit": {"1"}, "offset": {"249"}}, 200, 250, 1, 1, 249, 250},
		{"limit over 100", url.Values{"limit": {"101"}}, 400, 0, 0, 0, 0, 0},
		{"limit 0", url.Values{"limit": {"0"}}, 400, 0, 0, 0, 0, 0},
		{"limit not a number", url.Values{"limit": {"ten"}}, 400, 0, 0, 0, 0, 0},
		{"negative offset", url.Values{"offset": {"-1"}}, 400, 0, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, p, b := ts.page(tok, tt.query)
			if status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", status, tt.wantStatus, b)
			}
			if status != 200 {
				if e := decodeV1Error(t, b); e.Error.Code != status {
					t.Errorf("error code %d, want %d", e.Error.Code, status)
				}
				return
			}
			ids := p.ids(t)
			if int64(len(ids)) != tt.wantCount {
				t.Fatalf("%d employees, want %d", len(ids), tt.wantCount)
			}
			for i, id := range ids {
				if id != tt.wantFirst+int64(i) {
					t.Fatalf("ids %v, want consecutive from %d", ids, tt.wantFirst)
				}
			}
			if !p.Success || p.Metadata.TotalElements != 250 || p.Metadata.CurrentPage != tt.wantPage ||
				p.Metadata.TotalPages != tt.wantTotalPgs || p.Limit != tt.wantLimit {
				t.Errorf("envelope success=%v metadata=%+v limit=%d, want total 250 page %d of %d, limit %d",
					p.Success, p.Metadata, p.Limit, tt.wantPage, tt.wantTotalPgs, tt.wantLimit)
			}
			if want, _ := strconv.Atoi(tt.query.Get("offset")); p.Offset != want {
				t.Errorf("offset %d, want %d", p.Offset, want)
			}
		})
	}
}

func TestEmployeeRendering(t *testing.T) {
	ds := &Dataset{
		Offices:    []Office{{ID: 1001, Name: "Zürich \"HQ\""}},
		Attributes: []AttributeDef{{Key: "dynamic_1", Label: "Shirt size", Type: "list", Options: []string{"S", "M"}}},
		Employees: []Employee{
			{ID: 1, FirstName: "Zoë", LastName: "李", Gender: "female", Position: "CTO", Email: "zoe.li.1@acme.example",
				Status: "active", OfficeID: 1001, Department: "Engineering", HireDate: "2020-02-01", HasPicture: true,
				Custom: map[string]any{"dynamic_1": "M"}},
			{ID: 2, FirstName: "Søren", LastName: "O'Brien", Email: "soren.obrien.2@acme.example", Status: "inactive"},
		},
	}
	ts := startSim(t, Options{Dataset: ds})
	_, p, _ := ts.page(ts.token(), url.Values{})
	if len(p.Data) != 2 {
		t.Fatalf("%d employees, want 2", len(p.Data))
	}
	value := func(i int, key string) string {
		raw, ok := p.Data[i].Attributes[key]
		if !ok {
			return "<absent>"
		}
		var a attr
		if err := json.Unmarshal(raw, &a); err != nil {
			t.Fatal(err)
		}
		return string(a.Value)
	}
	tests := []struct {
		emp       int
		key, want string
	}{
		{0, "id", `1`},
		{0, "first_name", `"Zoë"`},
		{0, "last_name", `"李"`},
		{0, "gender", `"female"`},
		{0, "hire_date", `"2020-02-01T00:00:00+00:00"`},
		{0, "office", `{"type":"Office","attributes":{"id":1001,"name":"Zürich \"HQ\""}}`},
		{0, "profile_picture", `"` + ts.URL + `/v1/company/employees/1/profile-picture/250"`},
		{0, "dynamic_1", `"M"`},
		{1, "gender", `null`},
		{1, "office", `null`},
		{1, "department", `null`},
		{1, "hire_date", `null`},
		{1, "status", `"inactive"`},
		{1, "profile_picture", `<absent>`},
		{1, "dynamic_1", `null`},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.emp)+"/"+tt.key, func(t *testing.T) {
			if got := value(tt.emp, tt.key); got != tt.want {
				t.Errorf("value %s, want %s", got, tt.want)
			}
		})
	}
	if dep := value(0, "department"); !strings.Contains(dep, `"type":"Department"`) || !strings.Contains(dep, `"name":"Engineering"`) {
		t.Errorf("department %s, want a nested Department named Engineering", dep)
	}
}

func TestEmployeesFilterAndProjection(t *testing.T) {
	ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 3, Employees: 30, Offices: 2})})
	tok := ts.token()
	target := ts.Employees()[11]

	_, p, _ := ts.page(tok, url.Values{"email": {strings.ToUpper(target.Email)}})
	if ids := p.ids(t); len(ids) != 1 || ids[0] != target.ID || p.Metadata.TotalElements != 1 {
		t.Errorf("email filter: ids %v total %d, want [%d] total 1", ids, p.Metadata.TotalElements, target.ID)
	}

	_, p, _ = ts.page(tok, url.Values{"attributes[]": {"first_name", "office"}, "limit": {"5"}})
	for _, d := range p.Data {
		var keys []string
		for k := range d.Attributes {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, []string{"first_name", "office"}) {
			t.Fatalf("projection returned keys %v, want [first_name office]", keys)
		}
	}
}

func TestAttributesEndpoint(t *testing.T) {
	ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 1, Employees: 1, Offices: 1})})
	status, _, b := ts.do("GET", "/v1/company/employees/attributes", ts.token(), "", "")
	if status != 200 {
		t.Fatalf("status %d: %s", status, b)
	}
	var got struct {
		Success bool `json:"success"`
		Data    []struct {
			Key     string   `json:"key"`
			Label   string   `json:"label"`
			Type    string   `json:"type"`
			Options []string `json:"options"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	byKey := map[string][]string{}
	for _, a := range got.Data {
		byKey[a.Key] = a.Options
	}
	for _, k := range []string{"id", "first_name", "last_name", "email", "gender", "status", "position", "office", "profile_picture", attrCostCenter, attrShirtSize} {
		if _, ok := byKey[k]; !ok {
			t.Errorf("attribute %s missing from %s", k, b)
		}
	}
	if !slices.Equal(byKey[attrShirtSize], shirtSizes) {
		t.Errorf("shirt size options %v, want %v", byKey[attrShirtSize], shirtSizes)
	}
}

// TestPageAttributesMatchAttributesEndpoint holds the employee pages to
// /attributes: every attribute on a page carries the label and type that
// /attributes gives for its key.
func TestPageAttributesMatchAttributesEndpoint(t *testing.T) {
	ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 3, Employees: 200, Offices: 5})})
	tok := ts.token()
	status, _, b := ts.do("GET", "/v1/company/employees/attributes", tok, "", "")
	if status != 200 {
		t.Fatalf("attributes: status %d: %s", status, b)
	}
	var defs struct {
		Data []struct {
			Key   string `json:"key"`
			Label string `json:"label"`
			Type  string `json:"type"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &defs); err != nil {
		t.Fatal(err)
	}
	type labelType struct{ label, typ string }
	want := map[string]labelType{}
	for _, d := range defs.Data {
		want[d.Key] = labelType{d.Label, d.Type}
	}
	seen := map[string]bool{}
	for _, q := range []url.Values{
		{"limit": {"100"}},
		{"limit": {"100"}, "offset": {"100"}},
		{"limit": {"100"}, "attributes[]": {"office", "profile_picture", "hire_date"}},
	} {
		status, p, b := ts.page(tok, q)
		if status != 200 {
			t.Fatalf("page %v: status %d: %s", q, status, b)
		}
		for i, d := range p.Data {
			for key, raw := range d.Attributes {
				var a attr
				if err := json.Unmarshal(raw, &a); err != nil {
					t.Fatalf("employee #%d, %s: %v", i+1, key, err)
				}
				w, ok := want[key]
				if !ok {
					t.Errorf("employee #%d has attribute %s, which /attributes does not list", i+1, key)
					continue
				}
				if got := (labelType{a.Label, a.Type}); got != w {
					t.Errorf("employee #%d, %s: label %q type %q, /attributes says label %q type %q", i+1, key, a.Label, a.Type, w.label, w.typ)
				}
				seen[key] = true
			}
		}
	}
	// Every attribute /attributes lists was on some page, office and
	// profile_picture included.
	for key := range want {
		if !seen[key] {
			t.Errorf("attribute %s is on no page, so it was not compared", key)
		}
	}
}

func TestProfilePicture(t *testing.T) {
	ds := &Dataset{Employees: []Employee{
		{ID: 1, FirstName: "A", LastName: "B", Email: "a@x", Status: "active", HasPicture: true},
		{ID: 2, FirstName: "C", LastName: "D", Email: "c@x", Status: "active"},
	}}
	ts := startSim(t, Options{Dataset: ds})
	tok := ts.token()
	status, h, b := ts.do("GET", "/v1/company/employees/1/profile-picture/32", tok, "", "")
	if status != 200 || h.Get("Content-Type") != "image/png" {
		t.Fatalf("status %d type %q, want a PNG", status, h.Get("Content-Type"))
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if w := img.Bounds().Dx(); w != 32 {
		t.Errorf("width %d, want 32", w)
	}
	for _, path := range []string{"/v1/company/employees/2/profile-picture/32", "/v1/company/employees/99/profile-picture/32"} {
		if status, _, b := ts.do("GET", path, tok, "", ""); status != 404 {
			t.Errorf("%s: status %d, want 404: %s", path, status, b)
		}
	}
}

// feedXML mirrors the feed for tests.
type feedXML struct {
	XMLName   xml.Name `xml:"workzag-jobs"`
	Positions []struct {
		ID                int64    `xml:"id"`
		Office            string   `xml:"office"`
		AdditionalOffices []string `xml:"additionalOffices>office"`
		Name              string   `xml:"name"`
		Descriptions      []struct {
			Name  string `xml:"name"`
			Value string `xml:"value"`
		} `xml:"jobDescriptions>jobDescription"`
		EmploymentType string `xml:"employmentType"`
		Schedule       string `xml:"schedule"`
		CreatedAt      string `xml:"createdAt"`
	} `xml:"position"`
}

func TestFeed(t *testing.T) {
	ds := Generate(GenerateOptions{Seed: 1, Employees: 10, Offices: 2, Jobs: 6})
	ts := startSim(t, Options{Dataset: ds})
	status, h, b := ts.do("GET", "/xml?language=en", "", "", "")
	if status != 200 || !strings.Contains(h.Get("Content-Type"), "xml") {
		t.Fatalf("status %d type %q", status, h.Get("Content-Type"))
	}
	var f feedXML
	if err := xml.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Positions) != 6 {
		t.Fatalf("%d positions, want 6", len(f.Positions))
	}
	for i, p := range f.Positions {
		want := ds.Jobs[i]
		if p.ID != want.ID || p.Name != want.Name || p.Office != want.Office || p.EmploymentType != want.EmploymentType {
			t.Errorf("position %d = %+v, want job %+v", i, p, want)
		}
		if len(p.Descriptions) != len(want.Descriptions) || p.Descriptions[1].Value != want.Descriptions[1].Value {
			t.Errorf("position %d descriptions do not round-trip their HTML: %+v", i, p.Descriptions)
		}
		if !slices.Equal(p.AdditionalOffices, want.AdditionalOffices) {
			t.Errorf("position %d additional offices %v, want %v", i, p.AdditionalOffices, want.AdditionalOffices)
		}
	}
	if !bytes.Contains(b, []byte("<value><![CDATA[<p>")) {
		t.Errorf("descriptions are not CDATA HTML")
	}

	t.Run("updates after a job change", func(t *testing.T) {
		ts.DeleteJob(ds.Jobs[0].ID)
		j := ds.Jobs[1]
		j.Name = "Renamed"
		ts.UpsertJob(j)
		_, _, b := ts.do("GET", "/xml?language=en", "", "", "")
		var f feedXML
		if err := xml.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		if len(f.Positions) != 5 || f.Positions[0].Name != "Renamed" {
			t.Errorf("feed after delete and rename: %d positions, first %q", len(f.Positions), f.Positions[0].Name)
		}
	})
	t.Run("empty board", func(t *testing.T) {
		ts := startSim(t, Options{})
		_, _, b := ts.do("GET", "/xml?language=en", "", "", "")
		if !bytes.Contains(b, []byte("<workzag-jobs></workzag-jobs>")) {
			t.Errorf("empty feed %q, want <workzag-jobs></workzag-jobs>", b)
		}
	})
}

func TestTokenRotation(t *testing.T) {
	ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 1, Employees: 5, Offices: 1}), Faults: Faults{RotateTokens: true}})
	first := ts.token()
	_, h, _ := ts.do("GET", "/v1/company/employees", first, "", "")
	rotated, ok := strings.CutPrefix(h.Get("Authorization"), "Bearer ")
	if !ok || rotated == first || !strings.HasPrefix(rotated, "papi-") {
		t.Fatalf("Authorization header %q, want a new Bearer token", h.Get("Authorization"))
	}
	for _, tok := range []string{rotated, first} {
		if status, _, _ := ts.do("GET", "/v1/company/employees", tok, "", ""); status != 200 {
			t.Errorf("token %s…: status %d, want 200 (old and new tokens stay valid)", tok[:10], status)
		}
	}
	ts.SetFaults(Faults{})
	if _, h, _ := ts.do("GET", "/v1/company/employees", first, "", ""); h.Get("Authorization") != "" {
		t.Errorf("rotation off still sends Authorization %q", h.Get("Authorization"))
	}
}

// TestConcurrentUse pages, mutates and reads stats at once; run with -race.
func TestConcurrentUse(t *testing.T) {
	ts := startSim(t, Options{Dataset: Generate(GenerateOptions{Seed: 2, Employees: 300, Offices: 3, Jobs: 4})})
	tok := ts.token()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for off := 0; off < 300; off += 100 {
				status, _, _ := ts.do("GET", "/v1/company/employees?limit=100&offset="+strconv.Itoa(off), tok, "", "")
				if status != 200 {
					t.Errorf("goroutine %d offset %d: status %d", g, off, status)
				}
				ts.do("GET", "/xml?language=en", "", "", "")
			}
		}()
	}
	for i := range 50 {
		e := ts.Employees()[i]
		e.Position = "Changed"
		ts.UpsertEmployee(e)
		ts.DeleteEmployee(int64(1000 + i))
		ts.UpsertJob(Job{ID: int64(9500 + i), Name: "x", EmploymentType: "permanent", Schedule: "full-time"})
		_ = ts.Stats()
	}
	wg.Wait()
	if got := ts.Stats()[EndpointEmployees][200]; got != 12 {
		t.Errorf("%d employees pages counted, want 12", got)
	}
}

// TestRequestLogHidesQuerySecrets: a caller that puts its credentials in
// the query string must not find them in the simulator's debug log.
func TestRequestLogHidesQuerySecrets(t *testing.T) {
	var logged bytes.Buffer
	var mu sync.Mutex
	w := writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return logged.Write(p) })
	ts := startSim(t, Options{Logger: slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	const secret = "query-secret-4711"
	if status, _, _ := ts.do("POST", "/v1/auth?client_id=someone&client_secret="+secret+"&"+secret+"-as-key", "", "application/json", "{}"); status != http.StatusBadRequest {
		t.Fatalf("auth with query credentials: status %d, want 400", status)
	}
	tok := ts.token()
	if status, _, _ := ts.do("GET", "/v1/company/employees?limit=5&offset=10", tok, "", ""); status != http.StatusOK {
		t.Fatalf("employees: status %d", status)
	}
	// The line is written once the handler returns, which can be after
	// the client has read the answer.
	var out string
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		mu.Lock()
		out = logged.String()
		mu.Unlock()
		if strings.Count(out, "personiosim: request") >= 3 || time.Now().After(deadline) {
			break
		}
	}
	if strings.Contains(out, secret) {
		t.Errorf("the request log reveals the secret:\n%s", out)
	}
	for _, want := range []string{"path=/v1/auth", `query="(+3 not logged)"`, `query="limit=5&offset=10"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the request log lacks %s:\n%s", want, out)
		}
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
