// Package storetest gives tests a fresh, empty PostgreSQL database.
//
// Tests that need the Gridwork target store call NewDatabase, then open and
// migrate it with package store. The server comes from
// GRIDSYNC_TEST_DATABASE_URL (default: the local trust-auth server,
// postgres://postgres@127.0.0.1:5432/test). When it is unreachable the test
// is skipped, or fails when the CI environment variable is set, so that CI
// never passes by skipping.
//
// It must not import package store, so that store's own tests can use it.
package storetest

import (
	"cmp"
	"context"
	"crypto/rand"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultAdminURL is the server tests use unless GRIDSYNC_TEST_DATABASE_URL
// says otherwise.
const DefaultAdminURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// AdminURL returns the URL of the database used to create and drop test
// databases.
func AdminURL() string {
	return cmp.Or(os.Getenv("GRIDSYNC_TEST_DATABASE_URL"), DefaultAdminURL)
}

// NewDatabase creates an empty database gridsync_test_<random> and returns
// its URL. The database is dropped (connections and all) when the test
// ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	u, err := url.Parse(AdminURL())
	if err != nil {
		t.Fatalf("GRIDSYNC_TEST_DATABASE_URL must be a postgres:// URL: %v", err)
	}
	name := "gridsync_test_" + strings.ToLower(rand.Text())
	ident := pgx.Identifier{name}.Sanitize()
	if connected, err := admin("create database " + ident); !connected {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL is unreachable (CI is set, so this fails instead of skipping): %v", err)
		}
		t.Skipf("PostgreSQL is unreachable, skipping (set CI to make this fatal): %v", err)
	} else if err != nil {
		t.Fatalf("creating test database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := admin("drop database if exists " + ident + " with (force)"); err != nil {
			t.Errorf("dropping test database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// admin runs sql on the admin database; connected says whether it got that
// far.
func admin(sql string) (connected bool, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		return false, err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return true, err
}
