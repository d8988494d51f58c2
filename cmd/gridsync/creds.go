package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/engine"
	"github.com/gridwork/gridsync/internal/personio"
	"github.com/gridwork/gridsync/internal/views"
	"github.com/gridwork/gridsync/internal/words"
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

func runCredsValidate(ctx context.Context, g *globals) error {
	cfg, err := loadConfig(g)
	if err != nil {
		return err
	}
	list := views.NewChecklist(g.view)
	list.Begin()
	creds, err := g.credentials(cfg)
	if err != nil {
		list.Fail("credentials could not be decrypted", err)
		return list.Done()
	}
	list.Pass("credentials decrypted (%s)", engine.CredentialsFile(cfg))

	client, done, err := newRunner(g).ReaderClient(cfg, creds)
	if err != nil {
		list.Fail("Personio client", err)
		return list.Done()
	}
	defer done()
	list.Begin()
	if err := client.Authenticate(ctx); err != nil {
		list.Fail("authentication failed", engine.CredentialsError(cfg, err))
		return list.Done()
	}
	list.Pass("authenticated as client %s", creds.ClientID)

	// The credential may read every attribute a sync reads: one request,
	// the attribute list.
	required := engine.RequiredAttributes(cfg)
	list.Begin()
	if err := client.CheckAttributes(ctx, required); err != nil {
		list.Fail("synced attributes not readable", engine.AttributesError(cfg, err))
	} else {
		list.Pass("synced attributes readable: %s", strings.Join(required, ", "))
	}

	// The job feed must answer when jobs sync is on for any company;
	// otherwise a feed that does not is only noted.
	var syncing []string
	for _, c := range cfg.Companies {
		if c.SyncJobs {
			syncing = append(syncing, c.Slug)
		}
	}
	list.Begin()
	jobs, feedErr := client.Jobs(ctx)
	switch {
	case feedErr == nil:
		list.Pass("job feed answers: %s (%s)", words.Count(len(jobs), "position", "positions"), client.JobsURL())
	case len(syncing) > 0:
		list.Fail(fmt.Sprintf("job feed not readable, and jobs sync is on for %s", strings.Join(syncing, ", ")), errors.New(feedReason(feedErr)))
	default:
		list.Skip("job feed not readable (%v); not needed while jobs sync is off for every company", feedErr)
	}

	checkOffices(ctx, list, cfg, client, jobs, feedErr, done)
	if err := ctx.Err(); err != nil {
		return err
	}
	return list.Done()
}

// checkOffices reads the employee listing, counting offices, and checks
// every mapped office against them and the feed's (jobs, or feedErr),
// exactly as a plan resolves them. endProgress ends the listing's live
// progress line before the check lines go on.
func checkOffices(ctx context.Context, list *views.Checklist, cfg *config.Config, client *personio.Client, jobs []personio.Job, feedErr error, endProgress func()) {
	list.Begin()
	rep, err := engine.CountOffices(ctx, client)
	endProgress()
	if err != nil {
		list.Fail("employees not readable", err)
		list.Skip("mapped offices not checked: the employees could not be read")
		return
	}
	list.Pass("employees readable: %s in %s", words.Count(rep.Employees, "employee", "employees"), words.Count(len(rep.Offices), "office", "offices"))

	if feedErr == nil {
		rep.AddJobs(jobs)
	} else {
		rep.JobsUnavailable = feedReason(feedErr)
	}
	rep.Map(cfg)
	list.Begin()
	diags, warnings := engine.CheckOffices(cfg, rep)
	list.Mappings(cfg, diags, warnings)
}

// feedReason says why the job feed could not be read, in the words of an
// unavailable feed's reason where it is one.
func feedReason(err error) string {
	var fu *personio.FeedUnavailableError
	if errors.As(err, &fu) {
		return fu.Reason()
	}
	return err.Error()
}
