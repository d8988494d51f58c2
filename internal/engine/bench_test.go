//go:build linux

package engine

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/time/rate"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/personio"
	"github.com/gridwork/gridsync/internal/personio/personiosim"
	"github.com/gridwork/gridsync/internal/store"
	"github.com/gridwork/gridsync/internal/store/storetest"
	"github.com/gridwork/gridsync/plan"
)

// The engine benchmarks run what `gridsync plan` and `gridsync apply` run,
// against a generated tenant served by the simulator without rate limits and
// a fresh PostgreSQL database. The simulator runs in a child process (this
// test binary, see TestBenchSimulatorProcess) so that the CPU time and the
// peak RSS the benchmarks report are the engine's alone. The file is Linux
// only because of getrusage's units.
//
// Tenant: n employees in 100 offices, two mapped to each of 50 companies, so
// every employee with an office is in a mapped one; 500 jobs.
var benchSizes = []int{10_000, 100_000}

const (
	benchCompanies = 50
	benchOffices   = 100
	benchJobs      = 500
	benchSeed      = 1
	// benchFirstOffice is the id personiosim gives its first generated office.
	benchFirstOffice = 1001
	benchSimEnv      = "GRIDSYNC_BENCH_SIM_EMPLOYEES"
)

// BenchmarkPlan plans a first sync (empty target: everything is created) and
// the steady state after applying it (no changes). Metrics per plan, wall
// and CPU time (getrusage user+sys of this process; the simulator is another
// process) of each phase as (*Runner).Plan runs them, plus rendering the
// plan as text to io.Discard:
//
//	fetch-ms  read-ms  diff-ms  render-ms            wall time
//	fetch-cpu-ms  read-cpu-ms  diff-cpu-ms  render-cpu-ms
//	requests   requests the simulator answered (pages + 1 auth + 1 feed)
//	changes    changes in the plan
//	maxrss-MB  peak RSS of this process so far
func BenchmarkPlan(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("employees=%d", n), func(b *testing.B) {
			w := newBenchWorld(b, newBenchSimProcess(b, n), n)
			_, st := benchStore(b)
			b.Run("first-sync", func(b *testing.B) {
				benchPlan(b, w, st, func(changes int) bool { return changes > n/2 })
			})
			first := w.plan(b, st)
			if _, err := w.runner.Apply(context.Background(), st, first, ApplyOptions{}); err != nil {
				b.Fatal(err)
			}
			b.Run("steady-state", func(b *testing.B) {
				benchPlan(b, w, st, func(changes int) bool { return changes == 0 })
			})
		})
	}
}

func benchPlan(b *testing.B, w *benchWorld, st *store.Store, changesOK func(int) bool) {
	ctx := context.Background()
	var sum benchPhases
	var requests int
	for range b.N {
		b.StopTimer()
		runtime.GC() // the previous plan's garbage is not this plan's cost
		w.sim.resetStats(b)
		b.StartTimer()

		ph, err := runPhases(ctx, w.runner, w.cfg, st)
		if err != nil {
			b.Fatal(err)
		}

		b.StopTimer()
		if !changesOK(len(ph.plan.Changes)) {
			b.Fatalf("plan has %d changes (%s)", len(ph.plan.Changes), ph.plan.Summary)
		}
		got, want := w.sim.requests(b), benchWantRequests(w.employees)
		if got != want {
			b.Errorf("the plan made %d requests, want %d (pages + auth + attributes + feed)", got, want)
		}
		requests += got
		sum.add(ph)
		b.StartTimer()
	}
	b.StopTimer()
	per := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
	for i, name := range phaseNames {
		b.ReportMetric(per(sum.wall[i]), name+"-ms")
		b.ReportMetric(per(sum.cpu[i]), name+"-cpu-ms")
	}
	b.ReportMetric(float64(requests)/float64(b.N), "requests")
	b.ReportMetric(float64(len(sum.plan.Changes)), "changes")
	b.ReportMetric(maxRSSMB(), "maxrss-MB")
}

// BenchmarkApply applies a first sync to an empty database and, in the same
// run, COPYs the very rows it wrote (employees and jobs, read back) into
// temp tables with the same columns, no indexes and no constraints. Then it
// plans again and applies that no-change plan. Apply's time includes the
// lock, the in-transaction re-read and the sync log (one row per change with
// before/after JSON); COPY's does not. Metrics:
//
//	apply-rows/s  rows Apply wrote (companies, locations, employees, jobs) per second
//	copy-rows/s   rows per second of the raw COPY
//	apply/copy    the ratio (the goal: at least 0.5)
//	apply-cpu-ms  CPU time of this process during the first apply (the
//	              database server's is not included)
//	noop-rows     rows the no-change apply wrote (must be 0)
//	noop-ms       its wall time
//
// There is no RSS metric here: the COPY's rows, read back into this process,
// would count. scripts/bench.sh measures the CLI's peak RSS per command.
func BenchmarkApply(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("employees=%d", n), func(b *testing.B) {
			benchApply(b, newBenchWorld(b, newBenchSimProcess(b, n), n))
		})
	}
}

func benchApply(b *testing.B, w *benchWorld) {
	ctx := context.Background()
	dbURL, st := benchStore(b)
	// Every fresh database is empty, so the plan computed against the first
	// one stays fresh for the others.
	first := w.plan(b, st)
	var applyTime, applyCPU, copyTime, noopTime time.Duration
	var applyRows, copyRows, noopRows int64
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		if i > 0 {
			dbURL, st = benchStore(b)
		}
		runtime.GC()
		b.StartTimer()

		cpu, start := cpuTime(), time.Now()
		res, err := w.runner.Apply(ctx, st, first, ApplyOptions{})
		applyTime += time.Since(start)
		applyCPU += cpuTime() - cpu
		if err != nil {
			b.Fatal(err)
		}

		b.StopTimer()
		applyRows += res.RowsWritten
		d, rows := benchCopy(b, dbURL)
		copyTime += d
		copyRows += rows

		steady := w.plan(b, st)
		if len(steady.Changes) != 0 {
			b.Fatalf("the plan after the first apply has %d changes (%s)", len(steady.Changes), steady.Summary)
		}
		start = time.Now()
		res, err = w.runner.Apply(ctx, st, steady, ApplyOptions{})
		noopTime += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		noopRows += res.RowsWritten
		b.StartTimer()
	}
	b.StopTimer()
	applyRate := float64(applyRows) / applyTime.Seconds()
	copyRate := float64(copyRows) / copyTime.Seconds()
	b.ReportMetric(applyRate, "apply-rows/s")
	b.ReportMetric(copyRate, "copy-rows/s")
	b.ReportMetric(applyRate/copyRate, "apply/copy")
	b.ReportMetric(float64(applyCPU.Microseconds())/1000/float64(b.N), "apply-cpu-ms")
	b.ReportMetric(float64(noopRows)/float64(b.N), "noop-rows")
	b.ReportMetric(float64(noopTime.Microseconds())/1000/float64(b.N), "noop-ms")
	if noopRows != 0 {
		b.Errorf("the no-change apply wrote %d rows, want 0", noopRows)
	}
}

// benchCopy copies the employees and jobs rows of the database at dbURL
// into temp tables of the same columns and returns the time the COPYs took
// and the rows copied.
func benchCopy(b *testing.B, dbURL string) (time.Duration, int64) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	var took time.Duration
	var copied int64
	for _, table := range []string{"employees", "jobs"} {
		scratch := "copy_" + table
		if _, err := conn.Exec(ctx, fmt.Sprintf("create temp table %s (like %s including defaults)", scratch, table)); err != nil {
			b.Fatal(err)
		}
		rows, err := conn.Query(ctx, "select * from "+table)
		if err != nil {
			b.Fatal(err)
		}
		var cols []string
		for _, fd := range rows.FieldDescriptions() {
			cols = append(cols, fd.Name)
		}
		data, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([]any, error) { return r.Values() })
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		n, err := conn.CopyFrom(ctx, pgx.Identifier{scratch}, cols, pgx.CopyFromRows(data))
		took += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		copied += n
	}
	return took, copied
}

// phaseNames name the measured phases, in order.
var phaseNames = [...]string{"fetch", "read", "diff", "render"}

const (
	phaseFetch = iota
	phaseRead
	phaseDiff
	phaseRender
)

// benchPhases is one plan with the wall and CPU time of each phase.
type benchPhases struct {
	wall, cpu [len(phaseNames)]time.Duration
	plan      *plan.Plan
}

func (s *benchPhases) add(ph benchPhases) {
	for i := range s.wall {
		s.wall[i] += ph.wall[i]
		s.cpu[i] += ph.cpu[i]
	}
	s.plan = ph.plan
}

// runPhases computes a plan the way (*Runner).Plan does, one phase at a
// time so that each can be measured (the diff phase is Plan's own build
// step), then renders it as text.
func runPhases(ctx context.Context, r *Runner, cfg *config.Config, st *store.Store) (benchPhases, error) {
	var ph benchPhases
	measure := func(phase int, f func() error) error {
		cpu, start := cpuTime(), time.Now()
		err := f()
		ph.wall[phase], ph.cpu[phase] = time.Since(start), cpuTime()-cpu
		return err
	}
	var f fetched
	var cur plan.State
	err := measure(phaseFetch, func() (err error) {
		f, err = r.fetch(ctx, cfg)
		f.client = nil // nothing confirmed: the diff phase is the build alone
		return err
	})
	if err == nil {
		err = measure(phaseRead, func() (err error) {
			cur, err = st.ReadState(ctx, Query(cfg, nil))
			return err
		})
	}
	if err == nil {
		err = measure(phaseDiff, func() error {
			planned, diags, err := r.build(ctx, cfg, f, cur, 0, nil)
			if err != nil {
				return err
			}
			if diags.HasErrors() {
				return diags
			}
			ph.plan = planned.Plan
			return nil
		})
	}
	if err == nil {
		err = measure(phaseRender, func() error { return plan.RenderText(io.Discard, ph.plan, plan.TextOptions{}) })
	}
	return ph, err
}

// cpuTime is the user plus system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// maxRSSMB is the peak resident set size of this process so far, in MiB
// (Linux reports ru_maxrss in KiB).
func maxRSSMB() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024
}

// benchWantRequests is what reading n employees must cost: the first page
// of 100 and one page per 99 more (pages overlap by one row, to notice a
// listing that moves), one authentication, the attribute list (to notice
// hidden attributes) and one job feed.
func benchWantRequests(n int) int {
	step := personio.PageSize - 1
	return 1 + (max(0, n-personio.PageSize)+step-1)/step + 3
}

// benchWorld is a configuration over a simulated tenant and the runner that
// reads it.
type benchWorld struct {
	employees int
	sim       *benchSim
	cfg       *config.Config
	runner    *Runner
}

func newBenchWorld(tb testing.TB, sim *benchSim, employees int) *benchWorld {
	tb.Helper()
	quickstart, err := filepath.Abs(filepath.Join("..", "..", "examples", "quickstart"))
	if err != nil {
		tb.Fatal(err)
	}
	// The quickstart's demo secret holds the simulator's default credentials.
	tb.Setenv("SOPS_AGE_KEY_FILE", filepath.Join(quickstart, "demo-age-key.txt"))
	cfg, diags := config.Loader{}.LoadFiles(tb.TempDir(), map[string][]byte{
		"gridsync.hcl": benchHCL(sim.url, filepath.Join(quickstart, "secrets", "personio.enc.yaml")),
	})
	if diags.HasErrors() {
		tb.Fatal(diags.Error())
	}
	return &benchWorld{
		employees: employees,
		sim:       sim,
		cfg:       cfg,
		runner: &Runner{
			PersonioOptions: func(o *personio.Options) { o.RateLimit, o.Concurrency = rate.Inf, 4 },
			Now:             func() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) },
		},
	}
}

// benchHCL maps benchOffices offices, in pairs, to benchCompanies companies.
func benchHCL(simURL, credentials string) []byte {
	var s strings.Builder
	fmt.Fprintf(&s, "personio {\n  tenant = \"acme\"\n  credentials = sops_file(%s)\n  api_url = %q\n  jobs_url = %q\n}\n\n",
		strconv.Quote(credentials), simURL, simURL)
	s.WriteString("target {\n  database_url = \"postgres://127.0.0.1/unused\"\n}\n")
	perCompany := benchOffices / benchCompanies
	for c := range benchCompanies {
		fmt.Fprintf(&s, "\ncompany \"company-%02d\" {\n  name = \"Company %02d\"\n", c+1, c+1)
		for o := range perCompany {
			id := benchFirstOffice + c*perCompany + o
			fmt.Fprintf(&s, "  location \"office-%d\" {\n    name = \"Office %d\"\n    office_id = %d\n  }\n", id, id, id)
		}
		s.WriteString("}\n")
	}
	return []byte(s.String())
}

// plan computes a plan with (*Runner).Plan, untimed.
func (w *benchWorld) plan(tb testing.TB, st *store.Store) *plan.Plan {
	tb.Helper()
	p, diags, err := w.runner.Plan(context.Background(), w.cfg, st, PlanOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	if diags.HasErrors() {
		tb.Fatal(diags.Error())
	}
	return p.Plan
}

// benchStore returns the URL of a fresh, migrated database and a store on it.
func benchStore(tb testing.TB) (string, *store.Store) {
	tb.Helper()
	url := storetest.NewDatabase(tb)
	st, err := store.Open(context.Background(), url, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(st.Close)
	if _, _, err := st.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return url, st
}

// benchSim is a running simulator, reached over HTTP.
type benchSim struct{ url string }

func (s *benchSim) resetStats(tb testing.TB) {
	tb.Helper()
	resp, err := http.Post(s.url+"/_sim/stats/reset", "", nil)
	if err != nil {
		tb.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		tb.Fatalf("resetting the simulator's stats: %s", resp.Status)
	}
}

// requests is the number of requests the simulator answered since the last
// reset, every endpoint and status together.
func (s *benchSim) requests(tb testing.TB) int {
	tb.Helper()
	st := s.stats(tb)
	n := 0
	for endpoint := range st {
		n += st.Total(endpoint)
	}
	return n
}

// newBenchSimInProcess serves the simulator from this process (tests).
func newBenchSimInProcess(tb testing.TB, employees int) *benchSim {
	srv := httptest.NewServer(personiosim.New(personiosim.Options{Dataset: benchDataset(employees)}))
	tb.Cleanup(srv.Close)
	return &benchSim{url: srv.URL}
}

func benchDataset(employees int) *personiosim.Dataset {
	return personiosim.Generate(personiosim.GenerateOptions{
		Seed: benchSeed, Employees: employees, Offices: benchOffices, Jobs: benchJobs,
	})
}

// newBenchSimProcess starts this test binary as the simulator (see
// TestBenchSimulatorProcess) and stops it when tb ends: closing its stdin
// makes it exit.
func newBenchSimProcess(tb testing.TB, employees int) *benchSim {
	tb.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchSimulatorProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), benchSimEnv+"="+strconv.Itoa(employees))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		stdin.Close()
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	lines := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, r)
	}()
	select {
	case line := <-lines:
		url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
		if !ok {
			tb.Fatalf("the simulator process said %q, want its address", line)
		}
		return &benchSim{url: url}
	case <-time.After(2 * time.Minute):
		tb.Fatal("the simulator process did not report its address")
		return nil
	}
}

// TestBenchSimulatorProcess is not a test: it is the simulator process the
// benchmarks start, so that their CPU time and RSS exclude the simulator's.
// It serves a generated tenant until its stdin closes.
func TestBenchSimulatorProcess(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv(benchSimEnv))
	if err != nil {
		t.Skip("the benchmarks' simulator process; runs only when they start it")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: personiosim.New(personiosim.Options{Dataset: benchDataset(n)})}
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		srv.Close()
	}()
	fmt.Printf("listening on http://%s\n", ln.Addr())
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		t.Fatal(err)
	}
}

// TestBenchFetchRequests checks the request count the benchmarks report:
// reading a tenant costs exactly its pages, one authentication, the
// attribute list and one feed.
func TestBenchFetchRequests(t *testing.T) {
	for _, n := range []int{0, 1, 100, 101, 2_345} {
		t.Run(fmt.Sprintf("employees=%d", n), func(t *testing.T) {
			w := newBenchWorld(t, newBenchSimInProcess(t, n), n)
			w.sim.resetStats(t)
			f, err := w.runner.fetch(context.Background(), w.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if len(f.src.Employees) != n {
				t.Errorf("fetched %d employees, want %d", len(f.src.Employees), n)
			}
			if got, want := w.sim.requests(t), benchWantRequests(n); got != want {
				t.Errorf("fetch made %d requests, want %d (pages + auth + attributes + feed)", got, want)
			}
		})
	}
}

// TestBenchPhasesMatchPlan checks that the benchmarks' phase-by-phase plan
// is (*Runner).Plan's, and that applying a no-change plan writes no row.
func TestBenchPhasesMatchPlan(t *testing.T) {
	const n = 1_500
	ctx := context.Background()
	w := newBenchWorld(t, newBenchSimInProcess(t, n), n)
	_, st := benchStore(t)

	want := w.plan(t, st)
	ph, err := runPhases(ctx, w.runner, w.cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	if ph.plan.Digests != want.Digests || ph.plan.Summary != want.Summary || len(ph.plan.Changes) != len(want.Changes) {
		t.Fatalf("phase by phase: %s, %+v; (*Runner).Plan: %s, %+v",
			ph.plan.Summary, ph.plan.Digests, want.Summary, want.Digests)
	}
	res, err := w.runner.Apply(ctx, st, want, ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.RowsWritten != int64(len(want.Changes)) {
		t.Errorf("first apply wrote %d rows, want one per change (%d)", res.RowsWritten, len(want.Changes))
	}

	steady := w.plan(t, st)
	if len(steady.Changes) != 0 {
		t.Fatalf("plan after apply: %s, want no changes", steady.Summary)
	}
	res, err = w.runner.Apply(ctx, st, steady, ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.RowsWritten != 0 {
		t.Errorf("no-change apply wrote %d rows, want 0", res.RowsWritten)
	}
}
