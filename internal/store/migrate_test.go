package store

import (
	"context"
	"strings"
	"testing"

	"github.com/gridwork/gridsync/internal/store/storetest"
)

func TestMigrateAndCheckSchema(t *testing.T) {
	ctx := context.Background()
	s := openFresh(t)
	want, err := SchemaVersion()
	if err != nil || want < 1 {
		t.Fatalf("SchemaVersion = %d, %v", want, err)
	}

	err = s.CheckSchema(ctx)
	if err == nil || !strings.Contains(err.Error(), "schema is at version 0, gridsync needs") ||
		!strings.Contains(err.Error(), "run `gridsync migrate`") {
		t.Fatalf("CheckSchema on an empty database = %v, want a 'run gridsync migrate' error", err)
	}
	// CheckSchema must not have created anything.
	if got := dump(t, s, "select to_regclass('gridsync_schema_version') is null"); got[0] != "true" {
		t.Errorf("CheckSchema created the version table")
	}

	from, to, err := s.Migrate(ctx)
	if err != nil || from != 0 || to != want {
		t.Fatalf("Migrate = %d, %d, %v; want 0, %d, nil", from, to, err, want)
	}
	if err := s.CheckSchema(ctx); err != nil {
		t.Fatalf("CheckSchema after Migrate: %v", err)
	}
	from, to, err = s.Migrate(ctx)
	if err != nil || from != want || to != want {
		t.Fatalf("second Migrate = %d, %d, %v; want %d, %d, nil", from, to, err, want, want)
	}

	t.Run("behind", func(t *testing.T) {
		mustExec(t, s, "update gridsync_schema_version set version = $1", want-1)
		defer mustExec(t, s, "update gridsync_schema_version set version = $1", want)
		err := s.CheckSchema(ctx)
		if err == nil || !strings.Contains(err.Error(), "run `gridsync migrate`") {
			t.Errorf("CheckSchema behind = %v", err)
		}
	})
	t.Run("ahead", func(t *testing.T) {
		mustExec(t, s, "update gridsync_schema_version set version = $1", want+1)
		defer mustExec(t, s, "update gridsync_schema_version set version = $1", want)
		if err := s.CheckSchema(ctx); err == nil || !strings.Contains(err.Error(), "newer gridsync is needed") {
			t.Errorf("CheckSchema ahead = %v", err)
		}
		if _, _, err := s.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "newer gridsync is needed") {
			t.Errorf("Migrate ahead = %v", err)
		}
	})
}

func TestOpenErrorsNeverShowThePassword(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, url, want string
	}{
		{"unreachable", "postgres://gridwork:s3cr3t-pw@127.0.0.1:1/gridwork?connect_timeout=2",
			"cannot connect to the Gridwork database at 127.0.0.1:1/gridwork"},
		{"unparsable", "postgres://gridwork:s3cr3t-pw@127.0.0.1:notaport/gridwork",
			"not a valid PostgreSQL connection string"},
		{"missing database", strings.Replace(storetest.AdminURL(), "/test", "/gridsync_no_such_db", 1),
			"/gridsync_no_such_db:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(ctx, tt.url, nil)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%s) succeeded", tt.name)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), "GRIDWORK_DATABASE_URL") {
				t.Errorf("error %q does not say where the URL comes from", err)
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("error leaks the password: %q", err)
			}
		})
	}
}
