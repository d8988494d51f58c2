//go:build linux

package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/gridwork/gridsync/internal/personio/personiosim"
	"github.com/gridwork/gridsync/internal/store"
)

// benchPacedEnv sets the tenant size of BenchmarkSyncAtPersonioPace; at
// Personio's pace a full read of 100,000 employees takes about 3.5 minutes,
// so the default is smaller.
const benchPacedEnv = "GRIDSYNC_BENCH_PACED_EMPLOYEES"

// BenchmarkSyncAtPersonioPace runs `gridsync sync` (Runner.Sync) the way a
// schedule does, against a simulator that enforces Personio's real limit
// (300 requests a minute, bursts of 15) and a client at its default pace:
// an idle sync (nothing changed) and a sync after 1% of the employees
// changed in Personio. The tenant is the engine benchmarks' (50 companies,
// 100 offices, 500 jobs), converged by an unpaced first sync. Metrics per
// sync:
//
//	sync-s     wall time
//	requests   requests the simulator answered
//	429s       of them refused for going over the limit
//	rows       rows written
func BenchmarkSyncAtPersonioPace(b *testing.B) {
	n := 10_000
	if v := os.Getenv(benchPacedEnv); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("%s=%q is not a positive number", benchPacedEnv, v)
		}
	}
	ctx := context.Background()
	sim := newBenchSimProcess(b, n)
	w := newBenchWorld(b, sim, n)
	_, st := benchStore(b)
	if _, err := w.runner.Sync(ctx, w.cfg, st, SyncOptions{}); err != nil {
		b.Fatal(err)
	}
	sim.setFaults(b, personiosim.Faults{RatePerMinute: 300, Burst: 15})
	paced := &Runner{Now: w.runner.Now} // the configuration's pace: 300 a minute
	dataset := benchDataset(n)

	run := func(b *testing.B, change func(round int)) {
		var took time.Duration
		var requests, refused int
		var rows int64
		for i := range b.N {
			b.StopTimer()
			change(i)
			sim.resetStats(b)
			b.StartTimer()
			start := time.Now()
			written, err := paced.Sync(ctx, w.cfg, st, SyncOptions{})
			took += time.Since(start)
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			if written.Outcome() != store.Succeeded {
				b.Fatalf("sync outcome %s", written.Outcome())
			}
			stats := sim.stats(b)
			for endpoint := range stats {
				requests += stats.Total(endpoint)
				refused += stats[endpoint][http.StatusTooManyRequests]
			}
			rows += written.Result.RowsWritten
			b.StartTimer()
		}
		b.StopTimer()
		b.ReportMetric(took.Seconds()/float64(b.N), "sync-s")
		b.ReportMetric(float64(requests)/float64(b.N), "requests")
		b.ReportMetric(float64(refused)/float64(b.N), "429s")
		b.ReportMetric(float64(rows)/float64(b.N), "rows")
	}
	b.Run(fmt.Sprintf("employees=%d/idle", n), func(b *testing.B) {
		run(b, func(int) {})
	})
	b.Run(fmt.Sprintf("employees=%d/one-percent-changed", n), func(b *testing.B) {
		run(b, func(round int) {
			for i, e := range dataset.Employees {
				if i%100 == 0 {
					e.Position = fmt.Sprintf("Changed %d", round)
					sim.putEmployee(b, e)
				}
			}
		})
	})
}

func (s *benchSim) setFaults(tb testing.TB, f personiosim.Faults) {
	tb.Helper()
	s.put(tb, "/_sim/faults", f)
}

func (s *benchSim) putEmployee(tb testing.TB, e personiosim.Employee) {
	tb.Helper()
	s.put(tb, "/_sim/employees/"+strconv.FormatInt(e.ID, 10), e)
}

func (s *benchSim) put(tb testing.TB, path string, v any) {
	tb.Helper()
	body, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPut, s.url+path, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		tb.Fatalf("PUT %s: %s", path, resp.Status)
	}
}

// stats are the simulator's request counts since the last reset.
func (s *benchSim) stats(tb testing.TB) personiosim.Stats {
	tb.Helper()
	resp, err := http.Get(s.url + "/_sim/stats")
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	var st personiosim.Stats
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		tb.Fatalf("reading the simulator's stats: %v", err)
	}
	return st
}
