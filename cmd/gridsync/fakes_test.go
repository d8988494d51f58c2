package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/personio"
	"github.com/gridwork/gridsync/internal/personio/personiosim"
	"github.com/gridwork/gridsync/internal/store"
	"github.com/gridwork/gridsync/plan"
)

// The unit tests of the commands run them in-process, through their flags,
// against a world without PostgreSQL or SOPS keys: a simulated Personio
// behind httptest, whose credentials the factory hands out directly, and
// an in-memory Store. The engine and the views are the real ones; the
// end-to-end tests (e2e_*_test.go) run the same commands against the real
// PostgreSQL.

// unitCompanies is the configuration of a world: acme maps Berlin (office
// 1001 of the generated dataset) and syncs employees only.
const unitCompanies = `
company "acme" {
  name = "Acme GmbH"

  sync {
    jobs = "off"
  }

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
`

// world is one command's surroundings.
type world struct {
	t     *testing.T
	sim   *personiosim.Server
	url   string
	dir   string
	store *memStore
	env   map[string]string
	// terminal, when set, says whether stdin is a terminal.
	terminal *bool
	// storeErr, when set, is what opening the database fails with.
	storeErr error
	// secret is the client secret handed out; default the simulator's.
	secret string

	mu        sync.Mutex
	opened    int // how often the database was opened
	credsRead int // how often Personio's credentials were asked for
}

// newWorld starts a simulated Personio with ten employees in four offices
// and three positions, and writes a configuration of companies for it.
func newWorld(t *testing.T, companies string) *world {
	t.Helper()
	sim := personiosim.New(personiosim.Options{
		Dataset: personiosim.Generate(personiosim.GenerateOptions{Seed: 7, Employees: 10, Offices: 4, Jobs: 3}),
	})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	w := &world{t: t, sim: sim, url: srv.URL, dir: t.TempDir(), store: &memStore{},
		env: map[string]string{"GRIDWORK_DATABASE_URL": "postgres://gridwork@db.invalid/gridwork"}}
	writePlaceholderCredentials(t, w.dir)
	w.setConfig(companies)
	return w
}

// setConfig writes gridsync.hcl: Personio at the simulator, then
// companies. The database URL is never dialled: the factory hands out
// the memStore.
func (w *world) setConfig(companies string) {
	w.t.Helper()
	writeSimConfig(w.t, w.dir, w.url, companies)
}

// factory hands out the world's store and the simulator's credentials,
// counting both, and lifts the Personio client's pace: the simulator
// takes any.
func (w *world) factory() factory {
	return factory{
		personioOptions: func(o *personio.Options) { o.RateLimit = rate.Inf },
		openStore: func(context.Context, string, *slog.Logger) (Store, error) {
			w.mu.Lock()
			defer w.mu.Unlock()
			w.opened++
			if w.storeErr != nil {
				return nil, w.storeErr
			}
			return w.store, nil
		},
		credentials: func(*config.Config) (personio.Credentials, error) {
			w.mu.Lock()
			defer w.mu.Unlock()
			w.credsRead++
			secret := w.secret
			if secret == "" {
				secret = personiosim.DefaultClientSecret
			}
			return personio.Credentials{ClientID: personiosim.DefaultClientID, ClientSecret: secret}, nil
		},
	}
}

// run runs gridsync with args and -chdir at the world's configuration.
func (w *world) run(args ...string) (stdout, stderr string, code int) {
	return w.runCtx(context.Background(), "", args...)
}

// runCtx runs gridsync under ctx, with stdin as standard input.
func (w *world) runCtx(ctx context.Context, stdin string, args ...string) (stdout, stderr string, code int) {
	w.t.Helper()
	var out, errb bytes.Buffer
	g := w.globals(strings.NewReader(stdin), &out, &errb)
	code = runGlobals(ctx, g, append(slices.Clone(args), "-chdir", w.dir))
	return out.String(), errb.String(), code
}

// globals are the globals of a command in w, before its flags are parsed.
func (w *world) globals(in io.Reader, out, err io.Writer) *globals {
	env := maps.Clone(w.env)
	return &globals{
		streams:       streams{In: in, Out: out, Err: err},
		getenv:        func(k string) string { return env[k] },
		factory:       w.factory(),
		stdinTerminal: w.terminal,
	}
}

// direct returns globals set up as the global flags -chdir DIR would set
// them, for calling a command's run function without the flag layer.
func (w *world) direct(out, err io.Writer) *globals {
	w.t.Helper()
	g := w.globals(strings.NewReader(""), out, err)
	g.chdir = w.dir
	if err := g.setup(); err != nil {
		w.t.Fatal(err)
	}
	return g
}

// mustRun runs gridsync and fails the test unless it exits with want.
func (w *world) mustRun(want int, args ...string) (stdout, stderr string) {
	w.t.Helper()
	stdout, stderr, code := w.run(args...)
	if code != want {
		w.t.Fatalf("gridsync %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, stdout, stderr)
	}
	return stdout, stderr
}

// untouched fails the test if the command read Personio's credentials or
// opened the database: what a refusal before the slow part must not do.
func (w *world) untouched(what string) {
	w.t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.credsRead != 0 || w.opened != 0 || len(w.sim.Stats()) != 0 {
		w.t.Errorf("%s: credentials read %d times, database opened %d times, Personio asked %v; want none of it", what, w.credsRead, w.opened, w.sim.Stats())
	}
}

// linkedAbsent puts n employees of company, linked to Personio ids the
// simulator does not know, into the store: a plan removes them all, which
// the deletion guard refuses from 6 on.
func (w *world) linkedAbsent(company string, n int) {
	w.store.mu.Lock()
	defer w.store.mu.Unlock()
	for i := range n {
		id := int64(80001 + i)
		w.store.state.Employees = append(w.store.state.Employees, plan.Record{
			Type: plan.TypeEmployee, Company: company, ExternalID: strconv.FormatInt(id, 10), TargetID: id, Linked: true,
		})
	}
}

// memStore is an in-memory Store. It serves a fixed state, records what
// commands write instead of writing it, and runs each write's preparation
// (the engine's planning under the lock) as the real store does.
type memStore struct {
	mu    sync.Mutex
	state plan.State
	// batches are the writes, failures the failed runs recorded.
	batches  []*store.Batch
	failures []error
	// started are the runs' start times, as the sync log would stamp them.
	started []time.Time
	runs    int64
	status  []store.CompanyStatus
	history []store.Run
	// afterWrite, when set, runs once a write has been recorded (a
	// commit): tests interrupt there.
	afterWrite func()
}

func (m *memStore) ReadState(_ context.Context, q store.Query) (plan.State, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if q.IncludeUnconfigured {
		return m.state, nil
	}
	in := func(company string) bool { return slices.Contains(q.Companies, company) }
	var out plan.State
	for _, c := range m.state.Companies {
		if in(c.Slug) {
			out.Companies = append(out.Companies, c)
		}
	}
	for _, r := range m.state.Employees {
		if in(r.Company) {
			out.Employees = append(out.Employees, r)
		}
	}
	for _, r := range m.state.Jobs {
		if in(r.Company) {
			out.Jobs = append(out.Jobs, r)
		}
	}
	return out, nil
}

func (m *memStore) Write(ctx context.Context, prepare store.Prepare, opts store.ApplyOptions) (*store.Result, error) {
	m.mu.Lock()
	m.started = append(m.started, opts.StartedAt)
	m.mu.Unlock()
	b, err := prepare(ctx, func(q store.Query) (plan.State, error) { return m.ReadState(ctx, q) })
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("apply rolled back, nothing was written: %w", err)
	}
	m.mu.Lock()
	m.batches = append(m.batches, b)
	m.runs++
	res := &store.Result{RunID: m.runs, RowsWritten: int64(len(b.Plan.Changes))}
	after := m.afterWrite
	m.mu.Unlock()
	if after != nil {
		after()
	}
	return res, nil
}

func (m *memStore) Apply(ctx context.Context, p *plan.Plan, opts store.ApplyOptions) (*store.Result, error) {
	return m.Write(ctx, func(ctx context.Context, read func(store.Query) (plan.State, error)) (*store.Batch, error) {
		if opts.Verify != nil {
			cur, err := read(store.Query{IncludeUnconfigured: true})
			if err != nil {
				return nil, err
			}
			if err := opts.Verify(cur); err != nil {
				return nil, err
			}
		}
		return &store.Batch{Plan: p, Outcome: store.Succeeded}, nil
	}, opts)
}

func (m *memStore) RecordFailure(_ context.Context, _ *plan.Plan, opts store.ApplyOptions, cause error) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.started = append(m.started, opts.StartedAt)
	m.failures = append(m.failures, cause)
	m.runs++
	return m.runs, nil
}

func (m *memStore) Status(context.Context, []string) ([]store.CompanyStatus, error) {
	return m.status, nil
}

func (m *memStore) History(_ context.Context, limit int) ([]store.Run, error) {
	if limit > 0 && limit < len(m.history) {
		return m.history[:limit], nil
	}
	return m.history, nil
}

func (m *memStore) Migrate(context.Context) (from, to int32, err error) {
	return 0, 0, errors.New("memStore has no schema")
}

func (m *memStore) CheckSchema(context.Context) error { return nil }
func (m *memStore) Where() string                     { return "memory" }
func (m *memStore) Close()                            {}

// written returns the batches written so far.
func (m *memStore) written() []*store.Batch {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.batches)
}
