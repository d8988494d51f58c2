package main

import (
	"strings"
	"testing"
)

func TestMigrate(t *testing.T) {
	env := newTestDatabaseEnv(t)
	dir := dbTestDir(t, dbTestConfig)

	code, stdout, stderr := runDBCLI(t, env, "status", "-chdir", dir)
	if code != 1 || !strings.Contains(stderr, "schema is at version 0, gridsync needs 1: run `gridsync migrate`") {
		t.Errorf("status before migrate: exit %d, stderr %q", code, stderr)
	}

	code, stdout, stderr = runDBCLI(t, env, "migrate", "-chdir", dir)
	if code != 0 || !strings.Contains(stdout, "Migrated the Gridwork database at 127.0.0.1:5432/gridsync_test_") ||
		!strings.Contains(stdout, "from schema version 0 to 1.") {
		t.Errorf("migrate: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, stdout, stderr = runDBCLI(t, env, "migrate", "-chdir", dir)
	if code != 0 || !strings.Contains(stdout, "is up to date (schema version 1).") {
		t.Errorf("second migrate: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
