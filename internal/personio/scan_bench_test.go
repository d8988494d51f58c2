package personio

import (
	"context"
	"runtime"
	"runtime/metrics"
	"testing"

	"github.com/gridwork/gridsync/internal/personio/personiosim"
)

// officeCount counts employees per office, the way the offices command
// does, for the benchmark.
type officeCount map[int64]int

func (c officeCount) Begin(int) { clear(c) }

func (c officeCount) Visit(e *Employee) error {
	if e.Office != nil {
		c[e.Office.ID]++
	}
	return nil
}

// heldSink passes employees on to a visitor and, once 99% of the listing
// has arrived, collects garbage and notes the live heap: what the read
// holds near its end, pages in flight included.
type heldSink struct {
	EmployeeVisitor
	total, seen int
	held        uint64
}

func (h *heldSink) Begin(total int) {
	h.total, h.seen, h.held = total, 0, 0
	h.EmployeeVisitor.Begin(total)
}

func (h *heldSink) Visit(e *Employee) error {
	err := h.EmployeeVisitor.Visit(e)
	h.seen++
	if h.held == 0 && h.seen >= h.total*99/100 {
		runtime.GC()
		h.held = liveHeap()
	}
	return err
}

// BenchmarkCountOffices100k reads a 100,000-employee tenant the two ways
// a count of employees per office could: keeping every record, as
// Employees does (with the leanest KeepAttributes), and handing each to a
// counter, as ScanEmployees does. Metrics: the live heap the read holds
// when 99% of the listing has arrived, above the heap before the read
// (the in-process simulator's dataset is in both), and wall seconds.
func BenchmarkCountOffices100k(b *testing.B) {
	const n = 100_000
	_, url := benchSim(b, n, personiosim.Faults{})
	// The simulator's first listing builds what it keeps for the next
	// ones; read it once so that no mode pays for that.
	if _, err := benchClient(b, url, nil).Employees(context.Background()); err != nil {
		b.Fatal(err)
	}
	for _, mode := range []struct {
		name string
		sink func() EmployeeVisitor
	}{
		{"Employees", func() EmployeeVisitor { return &collector[Employee]{conv: func(e *Employee) Employee { return *e }} }},
		{"ScanEmployees", func() EmployeeVisitor { return officeCount{} }},
	} {
		b.Run(mode.name, func(b *testing.B) {
			var held uint64
			for b.Loop() {
				c := benchClient(b, url, nil)
				runtime.GC()
				base := liveHeap()
				sink := &heldSink{EmployeeVisitor: mode.sink()}
				if err := c.read(context.Background(), newSelection([]string{}, []string{"office", "status"}), sink); err != nil {
					b.Fatal(err)
				}
				if sink.seen != n {
					b.Fatalf("read %d employees, want %d", sink.seen, n)
				}
				if sink.held > base {
					held = max(held, sink.held-base)
				}
			}
			b.ReportMetric(float64(held)/(1<<20), "held-MB")
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "wall-s/op")
		})
	}
}

// liveHeap is the live heap as of the last collection.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
