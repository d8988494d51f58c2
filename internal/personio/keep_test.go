package personio_test

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/gridwork/gridsync/internal/personio"
	"github.com/gridwork/gridsync/internal/personio/personiosim"
)

// TestKeepAttributes reads the same tenant keeping every attribute, two
// and none: the typed fields never change, and the kept attributes read
// exactly as they do when everything is kept.
func TestKeepAttributes(t *testing.T) {
	env := startSim(t, personiosim.Options{Dataset: dataset(250)})
	read := func(keep []string) []personio.Employee {
		t.Helper()
		emps, err := env.client(t, func(o *personio.Options) { o.KeepAttributes = keep }).Employees(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		assertSame(t, env.sim, emps)
		return emps
	}
	all := read(nil)
	if len(all[0].Attributes) < 10 {
		t.Fatalf("keeping everything kept only %v", all[0].Attributes)
	}
	tests := []struct {
		name string
		keep []string
	}{
		{"none", []string{}},
		{"two", []string{"dynamic_1001", "department"}},
		{"unknown key", []string{"dynamic_404"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := read(tt.keep)
			present := 0
			for i, e := range got {
				for _, a := range e.Attributes {
					if !slices.Contains(tt.keep, a.Key) {
						t.Fatalf("employee %d kept %q, not in %v", e.ID, a.Key, tt.keep)
					}
				}
				for _, k := range tt.keep {
					gv, gok := e.Attr(k)
					wv, wok := all[i].Attr(k)
					if gv != wv || gok != wok {
						t.Fatalf("employee %d: Attr(%q) = %q, %v; keeping everything it is %q, %v", e.ID, k, gv, gok, wv, wok)
					}
					if gok {
						present++
					}
				}
			}
			if tt.name == "two" && present == 0 {
				t.Error("no employee has the kept attributes; the test checks nothing")
			}
		})
	}
}

// TestSourceKeepsTheKeptAttributes checks that the plan's input carries
// exactly the attributes Options.KeepAttributes keeps, with the values
// Employee.Attr reads.
func TestSourceKeepsTheKeptAttributes(t *testing.T) {
	env := startSim(t, personiosim.Options{Dataset: dataset(250)})
	keep := []string{"dynamic_1001", "department", "dynamic_404"}
	c := env.client(t, func(o *personio.Options) { o.KeepAttributes = keep })
	emps, err := c.Employees(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	src, err := c.Source(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	present := 0
	for i, se := range src.Employees {
		want := map[string]string{}
		for _, k := range keep {
			if v, ok := emps[i].Attr(k); ok {
				want[k] = v
			}
		}
		if len(se.Attributes) != len(want) || (len(want) > 0 && !maps.Equal(se.Attributes, want)) {
			t.Fatalf("employee %d: attributes %v, want %v", se.ID, se.Attributes, want)
		}
		if got := personio.SourceEmployee(&emps[i]).Attributes; !maps.Equal(got, se.Attributes) {
			t.Fatalf("employee %d: SourceEmployee attributes %v, Source %v", se.ID, got, se.Attributes)
		}
		present += len(want)
	}
	if present == 0 {
		t.Error("no employee has the kept attributes; the test checks nothing")
	}
}
