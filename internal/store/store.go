package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store is a connection pool to the Gridwork database.
type Store struct {
	pool   *pgxpool.Pool
	logger *slog.Logger
	where  string // host:port/db for messages; never the password

	// beforeLog, when set (tests only), runs inside the apply transaction
	// after the data writes and before the sync log, so a test can kill the
	// connection at the worst moment.
	beforeLog func(ctx context.Context, tx pgx.Tx) error

	// lost holds the backend pids (int32) of sessions of this store whose
	// connection failed during an apply, so that the next apply waits for
	// their lock to go rather than being refused.
	lost sync.Map
}

// Open connects to the Gridwork database at databaseURL and checks that it
// answers. Errors name the host, port and database but never the password.
func Open(ctx context.Context, databaseURL string, logger *slog.Logger) (*Store, error) {
	logger = cmp.Or(logger, slog.New(slog.DiscardHandler))
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		// pgx redacts passwords from parse errors only on a best-effort
		// basis, so the message stays generic on purpose.
		return nil, errors.New("the Gridwork database URL is not a valid PostgreSQL connection string; check target.database_url or GRIDWORK_DATABASE_URL")
	}
	where := fmt.Sprintf("%s:%d/%s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
	// Names gridsync's sessions in pg_stat_activity, and so the holder of
	// the apply lock in another apply's error.
	params := cfg.ConnConfig.RuntimeParams
	params["application_name"] = cmp.Or(params["application_name"], "gridsync")
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("cannot connect to the Gridwork database at %s: %w; check target.database_url or GRIDWORK_DATABASE_URL", where, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("cannot connect to the Gridwork database at %s: %w; check target.database_url or GRIDWORK_DATABASE_URL", where, connectCause(err))
	}
	logger.Info("connected to the Gridwork database", "database", where)
	return &Store{pool: pool, logger: logger, where: where}, nil
}

// connectCause strips pgx's "failed to connect to `user=… database=…`:"
// prefix, which repeats what the caller's message already says, and folds
// the identical lines pgx reports once per attempt (with and without TLS)
// into one.
func connectCause(err error) error {
	var ce *pgconn.ConnectError
	if !errors.As(err, &ce) || ce.Unwrap() == nil {
		return err
	}
	var lines []string
	seen := map[string]bool{}
	for _, l := range strings.Split(ce.Unwrap().Error(), "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !seen[l] {
			seen[l] = true
			lines = append(lines, l)
		}
	}
	return &messageError{msg: strings.Join(lines, "; "), err: err}
}

// messageError replaces an error's message but keeps it for errors.As.
type messageError struct {
	msg string
	err error
}

func (e *messageError) Error() string { return e.msg }
func (e *messageError) Unwrap() error { return e.err }

// Close releases all connections.
func (s *Store) Close() { s.pool.Close() }

// Where returns host:port/database, for messages.
func (s *Store) Where() string { return s.where }
