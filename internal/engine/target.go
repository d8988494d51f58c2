package engine

import (
	"context"

	"github.com/gridwork/gridsync/internal/store"
	"github.com/gridwork/gridsync/plan"
)

// Target is the Gridwork database as the engine reads and writes it.
// *store.Store is the real one; the commands' tests put an in-memory one
// in its place, so that what a command does with the engine's answers is
// tested without PostgreSQL.
type Target interface {
	// ReadState reads the part of the target q covers.
	ReadState(ctx context.Context, q store.Query) (plan.State, error)
	// Write runs one apply transaction under the apply lock; prepare
	// decides there what to write.
	Write(ctx context.Context, prepare store.Prepare, opts store.ApplyOptions) (*store.Result, error)
	// Apply writes a plan computed before the lock was taken.
	Apply(ctx context.Context, p *plan.Plan, opts store.ApplyOptions) (*store.Result, error)
	// RecordFailure records a failed run in the sync log.
	RecordFailure(ctx context.Context, p *plan.Plan, opts store.ApplyOptions, cause error) (int64, error)
}
