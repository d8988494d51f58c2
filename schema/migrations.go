package schema

import (
	"embed"
	"io/fs"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the target store's tern migrations (001_init.sql, …)
// as a file system rooted at the migrations directory, ready for
// migrate.Migrator.LoadMigrations.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		// fs.Sub fails only for an invalid path, a programming error.
		panic(err)
	}
	return sub
}
