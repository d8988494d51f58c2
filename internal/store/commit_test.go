package store

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestIsServerError separates a COMMIT that PostgreSQL refused (rolled back
// for certain) from one whose connection broke (outcome unknown).
func TestIsServerError(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"serialization failure", &pgconn.PgError{Code: "40001"}, true},
		{"wrapped server error", fmt.Errorf("commit: %w", &pgconn.PgError{Code: "23505"}), true},
		{"connection lost", fmt.Errorf("commit: %w", io.ErrUnexpectedEOF), false},
		{"other", errors.New("conn closed"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isServerError(tt.err); got != tt.want {
				t.Errorf("isServerError(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
