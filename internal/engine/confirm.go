package engine

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/gridwork/gridsync/internal/personio"
	"github.com/gridwork/gridsync/plan"
)

// confirmLimit is how many would-be removals a plan confirms one by one:
// a few percent of a full read (pages of 99 new rows each), and at least
// minConfirm. Past it, the listing is read once more and only employees
// absent from both reads are confirmed one by one.
func confirmLimit(employees int) int {
	return max(minConfirm, employees/99/20)
}

const minConfirm = 25

// confirmAbsent asks Personio once more about the employees p would remove
// only because the listing lacks them (a listing read page by page can miss
// a row that moved between pages), and adds the ones Personio still has to
// src. It reports how many it added: when any, the plan must be built
// again; without a client (nil) none is confirmed. Each is read by id;
// when there are more than confirmLimit, the listing is read again first
// and only those it still lacks are read by id, up to the limit: the rest
// were missing from two whole reads.
func confirmAbsent(ctx context.Context, client *personio.Client, src *plan.Source, p *plan.Plan) (int, error) {
	ids := p.AbsentEmployees()
	if len(ids) == 0 || client == nil {
		return 0, nil
	}
	var found []plan.SourceEmployee
	if limit := confirmLimit(len(src.Employees)); len(ids) > limit {
		again, err := client.Employees(ctx)
		if err != nil {
			return 0, fmt.Errorf("reading Personio's employees again to confirm %d removals: %w", len(ids), err)
		}
		listed := make(map[int64]*personio.Employee, len(again))
		for i := range again {
			listed[again[i].ID] = &again[i]
		}
		var still []int64
		for _, id := range ids {
			if e, ok := listed[id]; ok {
				found = append(found, personio.SourceEmployee(e))
			} else {
				still = append(still, id)
			}
		}
		ids = still[:min(len(still), limit)]
	}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(personio.DefaultConcurrency)
	for _, id := range ids {
		g.Go(func() error {
			e, ok, err := client.Employee(gctx, id)
			if err != nil {
				return fmt.Errorf("confirming that employee %d is gone from Personio: %w", id, err)
			}
			if ok {
				mu.Lock()
				found = append(found, personio.SourceEmployee(&e))
				mu.Unlock()
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	src.AddEmployees(found...)
	return len(found), nil
}
