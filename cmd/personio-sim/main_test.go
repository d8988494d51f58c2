package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gridwork/gridsync/internal/personio/personiosim"
)

// syncBuffer is a bytes.Buffer safe for the server's and the test's
// goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startRun runs the command and returns its URL, a stop function returning
// the exit code, and its stdout.
func startRun(t *testing.T, args ...string) (url string, stop func() int, stdout *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	stdout = &syncBuffer{}
	stderr := &syncBuffer{}
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, args, io.MultiWriter(pw, stdout), stderr)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("no listening line (stderr: %s): %v", stderr.String(), err)
	}
	go io.Copy(io.Discard, pr)
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "personio-sim listening on ")
	if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") {
		cancel()
		t.Fatalf("first line %q", line)
	}
	var once sync.Once
	result := 0
	stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case result = <-code:
			case <-time.After(10 * time.Second):
				t.Fatal("personio-sim did not stop")
			}
		})
		return result
	}
	t.Cleanup(func() { stop() })
	return url, stop, stdout
}

func TestRunServesAndStops(t *testing.T) {
	url, stop, stdout := startRun(t, "-addr", "127.0.0.1:0", "-employees", "7", "-offices", "2", "-jobs", "3", "-rate-per-minute", "1", "-rate-window", "1h", "-retry-after")
	resp, err := http.Post(url+"/v1/auth", "application/json",
		strings.NewReader(`{"client_id":"gridsync-demo","client_secret":"demo-secret-not-for-production"}`))
	if err != nil {
		t.Fatal(err)
	}
	var auth struct {
		Data struct{ Token string } `json:"data"`
	}
	json.NewDecoder(resp.Body).Decode(&auth)
	resp.Body.Close()
	statuses := []int{}
	for range 2 {
		req, _ := http.NewRequest("GET", url+"/v1/company/employees", nil)
		req.Header.Set("Authorization", "Bearer "+auth.Data.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var p struct {
			Metadata struct {
				TotalElements int `json:"total_elements"`
			} `json:"metadata"`
		}
		json.NewDecoder(resp.Body).Decode(&p)
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
		if resp.StatusCode == 200 && p.Metadata.TotalElements != 7 {
			t.Errorf("total_elements %d, want 7", p.Metadata.TotalElements)
		}
		if resp.StatusCode == 429 && resp.Header.Get("Retry-After") == "" {
			t.Errorf("429 without Retry-After despite -retry-after")
		}
	}
	if statuses[0] != 200 || statuses[1] != 429 {
		t.Errorf("statuses %v, want [200 429] under -rate-per-minute 1", statuses)
	}
	if code := stop(); code != 0 {
		t.Errorf("exit code %d after cancel, want 0", code)
	}
	if n := strings.Count(stdout.String(), "\n"); n != 1 {
		t.Errorf("stdout has %d lines, want exactly 1: %q", n, stdout.String())
	}
}

// TestRunFeedSwitches: -feed-redirect moves the feed, -feed-missing makes
// it answer 404 with an HTML page.
func TestRunFeedSwitches(t *testing.T) {
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(url string) (*http.Response, string) {
		t.Helper()
		resp, err := noFollow.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	url, _, _ := startRun(t, "-addr", "127.0.0.1:0", "-jobs", "2", "-feed-redirect", personiosim.MovedFeedPath)
	resp, _ := get(url + "/xml?language=en")
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != personiosim.MovedFeedPath+"?language=en" {
		t.Errorf("-feed-redirect: %d to %q, want 301 to %s?language=en", resp.StatusCode, resp.Header.Get("Location"), personiosim.MovedFeedPath)
	}
	if resp, body := get(url + personiosim.MovedFeedPath + "?language=en"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "<workzag-jobs>") {
		t.Errorf("the moved feed: %d %.60q, want 200 with the feed", resp.StatusCode, body)
	}

	url, _, _ = startRun(t, "-addr", "127.0.0.1:0", "-feed-missing")
	resp, body := get(url + "/xml?language=en")
	if resp.StatusCode != http.StatusNotFound || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, "<html") {
		t.Errorf("-feed-missing: %d %q %.60q, want 404 with an HTML page", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}

func TestRunDataFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data.json")
	if err := personiosim.Generate(personiosim.GenerateOptions{Seed: 3, Employees: 2, Offices: 1, Jobs: 5}).WriteFile(path); err != nil {
		t.Fatal(err)
	}
	url, _, _ := startRun(t, "-addr", "127.0.0.1:0", "-data", path)
	resp, err := http.Get(url + "/_sim/jobs")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var jobs []personiosim.Job
	if err := json.NewDecoder(resp.Body).Decode(&jobs); err != nil || len(jobs) != 5 {
		t.Errorf("jobs %d (%v), want the file's 5", len(jobs), err)
	}
}

// TestRunSwitchFlags checks that the data switches' flags reach the
// simulator's faults, as the admin API reports them.
func TestRunSwitchFlags(t *testing.T) {
	url, _, _ := startRun(t, "-addr", "127.0.0.1:0", "-hidden-attributes", " position, gender,", "-hidden-listed", "-wide", "-shift-every", "3", "-shift-times", "1")
	resp, err := http.Get(url + "/_sim/faults")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var f personiosim.Faults
	if err := json.NewDecoder(resp.Body).Decode(&f); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.HiddenAttributes, []string{"position", "gender"}) || !f.HiddenListed || !f.WideEmployees || f.ShiftEvery != 3 || f.ShiftTimes != 1 {
		t.Errorf("faults %+v", f)
	}
}

func TestRunBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
		says string // on stderr, when set
	}{
		{"unknown flag", []string{"-nope"}, 2, ""},
		{"missing data file", []string{"-addr", "127.0.0.1:0", "-data", "/does/not/exist.json"}, 1, ""},
		{"error rate over 1", []string{"-error-rate", "1.5"}, 2, ""},
		{"feed redirect not a path or URL", []string{"-feed-redirect", "moved/xml"}, 2, ""},
		{"negative shift", []string{"-shift-every", "-2"}, 2, ""},
		{"bad address", []string{"-addr", "not-an-address"}, 1, ""},
		{"an argument", []string{"-addr", "not-an-address", "extra"}, 2, `unexpected argument "extra": it takes only flags (-h lists them)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), tt.args, &stdout, &stderr); code != tt.want {
				t.Errorf("exit code %d, want %d (stderr: %s)", code, tt.want, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.says) {
				t.Errorf("stderr %q, want it to say %q", stderr.String(), tt.says)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout %q, want nothing on failure", stdout.String())
			}
		})
	}
}
