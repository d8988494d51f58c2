package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gridwork/gridsync/internal/store"
)

func TestMigrate(t *testing.T) {
	env := newTestDatabaseEnv(t)
	dir := dbTestDir(t, dbTestConfig)
	want, err := store.SchemaVersion()
	if err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := runDBCLI(t, env, "status", "-chdir", dir)
	if code != 1 || stdout != "" || !strings.Contains(stderr, fmt.Sprintf("schema is at version 0, gridsync needs %d: run `gridsync migrate`", want)) {
		t.Errorf("status before migrate: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	code, stdout, stderr = runDBCLI(t, env, "migrate", "-chdir", dir)
	if code != 0 || !strings.Contains(stdout, "Migrated the Gridwork database at 127.0.0.1:5432/gridsync_test_") ||
		!strings.Contains(stdout, fmt.Sprintf("from schema version 0 to %d.", want)) {
		t.Errorf("migrate: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, stderr = runDBCLI(t, env, "migrate", "-chdir", dir)
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("is up to date (schema version %d).", want)) {
		t.Errorf("second migrate: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
