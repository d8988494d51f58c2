package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/gridwork/gridsync/internal/engine"
	ghub "github.com/gridwork/gridsync/internal/github"
	"github.com/gridwork/gridsync/internal/personio"
)

func newCredsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "creds",
		Short: "Check the Personio credentials",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newCredsValidateCmd(g))
	return cmd
}

func newCredsValidateCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "validate [-chdir DIR]",
		Short: "Decrypt the Personio credentials and try them against Personio",
		Long: `Validate is the "Validate" button of the Personio integration. It decrypts
the credentials named by personio.credentials (with the usual SOPS keys, e.g.
SOPS_AGE_KEY_FILE), authenticates with Personio, reads one page of employees
and the head of the tenant's job feed, and prints a check line with its timing
for each step. It writes nothing anywhere and never prints the secret.

Exit status: 0 when every check passed, 1 at the first failure, whose line
says what to fix.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCredsValidate(cmd.Context(), g)
		},
	}
}

// checklist prints one line per check: "✓ what  12ms" on stdout, or
// "✗ what: why" on stderr.
type checklist struct {
	out, err io.Writer
	colorOut bool
	colorErr bool
	start    time.Time
}

func (c *checklist) begin() { c.start = time.Now() }

func (c *checklist) pass(format string, args ...any) {
	mark := "✓"
	if c.colorOut {
		mark = "\x1b[32m✓\x1b[0m"
	}
	fmt.Fprintf(c.out, "%s %s  %s\n", mark, fmt.Sprintf(format, args...), roundDuration(time.Since(c.start)))
}

func (c *checklist) fail(what string, err error) error {
	mark := "✗"
	if c.colorErr {
		mark = "\x1b[31m✗\x1b[0m"
	}
	fmt.Fprintf(c.err, "%s %s: %v\n", mark, what, err)
	return exitCode(1)
}

func roundDuration(d time.Duration) time.Duration {
	if d < time.Millisecond {
		return d.Round(10 * time.Microsecond)
	}
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(10 * time.Millisecond)
}

func runCredsValidate(ctx context.Context, g *globals) error {
	cfg, err := loadConfig(g)
	if err != nil {
		return err
	}
	list := &checklist{out: g.Out, err: g.Err, colorOut: g.color(g.Out), colorErr: g.color(g.Err)}
	file := engine.CredentialsFile(cfg)
	list.begin()
	creds, err := engine.Credentials(cfg)
	if err != nil {
		return list.fail("credentials could not be decrypted", err)
	}
	list.pass("credentials decrypted (%s)", file)

	client, err := newRunner(g).NewClient(cfg, creds, nil)
	if err != nil {
		return list.fail("Personio client", err)
	}

	list.begin()
	if err := client.Authenticate(ctx); err != nil {
		return list.fail("authentication failed", engine.CredentialsError(cfg, err))
	}
	list.pass("authenticated as client %s", creds.ClientID)

	list.begin()
	page, err := client.EmployeesPage(ctx, 0, personio.PageSize)
	if err != nil {
		return list.fail("employees not readable", err)
	}
	list.pass("employees readable: %s", credsCount(page.Total, "employee", "employees"))

	list.begin()
	jobs, err := client.Jobs(ctx)
	if err != nil {
		return list.fail("job feed not readable", err)
	}
	list.pass("job feed readable: %s", credsCount(len(jobs), "position", "positions"))

	fmt.Fprintln(g.Out, "Personio credentials are valid.")
	return nil
}

// credsCount writes n with thousands separators and the singular or plural
// noun: "1 position", "1,240 employees".
func credsCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return ghub.FormatCount(n) + " " + many
}
