package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/gridwork/gridsync/config"
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
		Short: "Check everything a sync needs from Personio, without a database",
		Long: `Validate is the pre-flight of a sync, and the "Validate" button of the
Personio integration. It decrypts the credentials named by personio.credentials
(with the usual SOPS keys, e.g. SOPS_AGE_KEY_FILE) and checks, one line each:

  - the credentials authenticate with Personio;
  - the credential may read every attribute gridsync syncs (Personio leaves
    out the ones it may not, which would read as empty);
  - the job feed answers, when jobs sync is on for any company;
  - the employees can be read, and every office a location maps, by name or
    by id, exists in Personio (an unknown one names the closest offices).

It reads the whole employee listing (counting offices, keeping nothing) and
needs no database; it writes nothing anywhere and never prints the secret.
On a terminal the checks are marked ✓ and ✗, elsewhere PASS and FAIL.

Exit status: 0 when every check passed, 1 when any failed (a failed
decryption or authentication stops the rest).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCredsValidate(cmd.Context(), g)
		},
	}
}

// checklist prints one line per check on out: "✓ what  12ms", "✗ what:
// why" or "– what" (skipped) on a terminal, PASS, FAIL and SKIP elsewhere.
type checklist struct {
	out    io.Writer
	marks  bool // ✓ and ✗ rather than words
	color  bool
	start  time.Time
	checks int // lines passed or failed
	failed int
}

func (c *checklist) begin() { c.start = time.Now() }

func (c *checklist) line(mark, word, color, text string) {
	switch {
	case c.marks && c.color:
		mark = color + mark + "\x1b[0m"
	case !c.marks:
		mark = word
	}
	fmt.Fprintf(c.out, "%s %s\n", mark, text)
}

func (c *checklist) pass(format string, args ...any) {
	c.checks++
	c.line("✓", "PASS", "\x1b[32m", fmt.Sprintf(format, args...)+"  "+roundDuration(time.Since(c.start)).String())
}

func (c *checklist) fail(what string, err error) {
	c.checks++
	c.failed++
	c.line("✗", "FAIL", "\x1b[31m", what+": "+err.Error())
}

func (c *checklist) skip(format string, args ...any) {
	c.line("–", "SKIP", "\x1b[2m", fmt.Sprintf(format, args...))
}

// result is the command's outcome once the checks ran.
func (c *checklist) result() error {
	if c.failed == 0 {
		fmt.Fprintln(c.out, "Personio is ready: every check passed.")
		return nil
	}
	return &exitError{code: 1, err: fmt.Errorf("%d of %d checks failed; fix what the failed lines say and run gridsync creds validate again", c.failed, c.checks)}
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
	list := &checklist{out: g.Out, marks: isTerminal(g.Out), color: g.color(g.Out)}
	file := engine.CredentialsFile(cfg)
	list.begin()
	creds, err := engine.Credentials(cfg)
	if err != nil {
		list.fail("credentials could not be decrypted", err)
		return list.result()
	}
	list.pass("credentials decrypted (%s)", file)

	client, done, err := newRunner(g).ReaderClient(cfg, creds)
	if err != nil {
		list.fail("Personio client", err)
		return list.result()
	}
	defer done()
	list.begin()
	if err := client.Authenticate(ctx); err != nil {
		list.fail("authentication failed", engine.CredentialsError(cfg, err))
		return list.result()
	}
	list.pass("authenticated as client %s", creds.ClientID)

	checkAttributes(ctx, list, cfg, client)
	jobs, feedErr := checkFeed(ctx, list, cfg, client)
	checkOffices(ctx, list, cfg, client, jobs, feedErr, done)
	if err := ctx.Err(); err != nil {
		return err
	}
	return list.result()
}

// checkAttributes checks that the credential may read every attribute a
// sync reads: one request, the attribute list.
func checkAttributes(ctx context.Context, list *checklist, cfg *config.Config, client *personio.Client) {
	required := engine.RequiredAttributes(cfg)
	list.begin()
	if err := client.CheckAttributes(ctx, required); err != nil {
		list.fail("synced attributes not readable", engine.AttributesError(cfg, err))
		return
	}
	list.pass("synced attributes readable: %s", strings.Join(required, ", "))
}

// checkFeed reads the job feed. It must answer when jobs sync is on for
// any company; otherwise a feed that does not is only noted. It returns
// the positions and the error, for the office check.
func checkFeed(ctx context.Context, list *checklist, cfg *config.Config, client *personio.Client) ([]personio.Job, error) {
	var syncing []string
	for _, c := range cfg.Companies {
		if c.SyncJobs {
			syncing = append(syncing, c.Slug)
		}
	}
	list.begin()
	jobs, err := client.Jobs(ctx)
	switch {
	case err == nil:
		list.pass("job feed answers: %s (%s)", credsCount(len(jobs), "position", "positions"), client.JobsURL())
	case len(syncing) > 0:
		var fu *personio.FeedUnavailableError
		if errors.As(err, &fu) {
			err = errors.New(fu.Reason())
		}
		list.fail(fmt.Sprintf("job feed not readable, and jobs sync is on for %s", strings.Join(syncing, ", ")), err)
	default:
		list.skip("job feed not readable (%v); not needed while jobs sync is off for every company", err)
	}
	return jobs, err
}

// checkOffices reads the employee listing, counting offices, and checks
// every mapped office against them and the feed's, exactly as a plan
// resolves them. endProgress ends the listing's live progress line before
// the check lines go on.
func checkOffices(ctx context.Context, list *checklist, cfg *config.Config, client *personio.Client, jobs []personio.Job, feedErr error, endProgress func()) {
	list.begin()
	rep, err := engine.CountOffices(ctx, client)
	endProgress()
	if err != nil {
		list.fail("employees not readable", err)
		list.skip("mapped offices not checked: the employees could not be read")
		return
	}
	offices := len(rep.Offices)
	list.pass("employees readable: %s in %s", credsCount(rep.Employees, "employee", "employees"), credsCount(offices, "office", "offices"))

	var fu *personio.FeedUnavailableError
	switch {
	case feedErr == nil:
		rep.AddJobs(jobs)
	case errors.As(feedErr, &fu):
		rep.JobsUnavailable = fu.Reason()
	default:
		rep.JobsUnavailable = feedErr.Error()
	}
	rep.Map(cfg)
	list.begin()
	diags, warnings := engine.CheckOffices(cfg, rep)
	mapped := 0
	for _, c := range cfg.Companies {
		for _, l := range c.Locations {
			if l.Mapped() {
				mapped++
			}
		}
	}
	bad := 0
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		bad++
		list.fail(mappingWhere(cfg, d), fmt.Errorf("%s. %s", d.Summary, d.Detail))
	}
	for _, w := range warnings {
		list.skip("%s", w)
	}
	switch {
	case bad > 0:
	case mapped == 0:
		list.pass("no location maps an office yet: see gridsync offices")
	default:
		list.pass("every mapped office exists in Personio (%s)", credsCount(mapped, "location", "locations"))
	}
}

// mappingWhere names the location a diagnostic about an office mapping
// points at: its address and file:line.
func mappingWhere(cfg *config.Config, d *hcl.Diagnostic) string {
	if d.Subject == nil {
		return "office mapping"
	}
	at := fmt.Sprintf("%s:%d", d.Subject.Filename, d.Subject.Start.Line)
	for _, c := range cfg.Companies {
		for _, l := range c.Locations {
			if l.OfficeRange == *d.Subject {
				return fmt.Sprintf("location.%s.%s (%s)", c.Slug, l.Slug, at)
			}
		}
	}
	return at
}

// credsCount writes n with thousands separators and the singular or plural
// noun: "1 position", "1,240 employees".
func credsCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return ghub.FormatCount(n) + " " + many
}
