package store

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/gridwork/gridsync/internal/store/storetest"
)

// stepTracer times every statement and COPY a store runs, keyed by the
// statement's first words, so that a benchmark can say where an apply
// spends its time.
type stepTracer struct {
	mu    sync.Mutex
	total map[string]time.Duration
	order []string
}

type stepKey struct{}

type stepStart struct {
	name  string
	start time.Time
}

func (t *stepTracer) begin(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, stepKey{}, stepStart{name, time.Now()})
}

func (t *stepTracer) end(ctx context.Context) {
	s, ok := ctx.Value(stepKey{}).(stepStart)
	if !ok {
		return
	}
	d := time.Since(s.start)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.total == nil {
		t.total = map[string]time.Duration{}
	}
	if _, seen := t.total[s.name]; !seen {
		t.order = append(t.order, s.name)
	}
	t.total[s.name] += d
}

func (t *stepTracer) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.total, t.order = map[string]time.Duration{}, nil
}

func (t *stepTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	return t.begin(ctx, stepName(d.SQL))
}

func (t *stepTracer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryEndData) {
	t.end(ctx)
}

func (t *stepTracer) TraceCopyFromStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceCopyFromStartData) context.Context {
	return t.begin(ctx, "copy "+d.TableName.Sanitize())
}

func (t *stepTracer) TraceCopyFromEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceCopyFromEndData) {
	t.end(ctx)
}

// stepName is a statement's first few words.
func stepName(sql string) string {
	f := strings.Fields(sql)
	if len(f) > 5 {
		f = f[:5]
	}
	return strings.Join(f, " ")
}

// String lists the steps, slowest first.
func (t *stepTracer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	names := append([]string{}, t.order...)
	sort.SliceStable(names, func(i, j int) bool { return t.total[names[i]] > t.total[names[j]] })
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "\n  %8.1f ms  %s", float64(t.total[n].Microseconds())/1000, n)
	}
	return b.String()
}

// newTracedStore is newStore with every statement timed by tr.
func newTracedStore(t testing.TB, tr *stepTracer) *Store {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(storetest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Tracer = tr
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := &Store{pool: pool, logger: slog.New(slog.DiscardHandler), where: "test"}
	t.Cleanup(s.Close)
	if _, _, err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	tr.reset()
	return s
}
