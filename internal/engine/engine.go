package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/time/rate"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/personio"
	"github.com/gridwork/gridsync/internal/secrets"
	"github.com/gridwork/gridsync/plan"
)

// Runner holds what one gridsync invocation needs to reach the outside.
type Runner struct {
	Logger *slog.Logger
	// HTTPClient is used for Personio; nil means the client's default.
	HTTPClient *http.Client
	// Progress receives progress of long reads (stderr). LiveProgress
	// rewrites one line, for terminals, instead of logging every few seconds.
	Progress     io.Writer
	LiveProgress bool
	// PersonioOptions, when set, adjusts the client options (tests and
	// benchmarks shorten backoffs or lift the pace).
	PersonioOptions func(*personio.Options)
	// Now stamps plans; nil means time.Now.
	Now func() time.Time
	// Credentials, when set, gives the Personio credentials for cfg in
	// place of decrypting its SOPS file (see Credentials): the commands'
	// tests talk to a simulated Personio without SOPS keys.
	Credentials func(cfg *config.Config) (personio.Credentials, error)
}

// Timings are the phases of a plan or an apply, shown with -v.
type Timings struct {
	Fetch time.Duration // Personio
	Read  time.Duration // target state
	Diff  time.Duration // desired state, diff, digests
}

func (t Timings) String() string {
	r := func(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
	return fmt.Sprintf("fetch %s, read %s, diff %s", r(t.Fetch), r(t.Read), r(t.Diff))
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Runner) logger() *slog.Logger {
	return cmp.Or(r.Logger, slog.New(slog.DiscardHandler))
}

// CredentialsFile is the credentials file as the user wrote it in
// sops_file(...): relative to the configuration directory when inside it.
func CredentialsFile(cfg *config.Config) string {
	path := cfg.Personio.Credentials
	if rel, err := filepath.Rel(cfg.Dir, path); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return path
}

// Credentials decrypts the Personio credentials named by the config. A
// dotenv file may spell the keys in upper case (CLIENT_ID, CLIENT_SECRET).
func Credentials(cfg *config.Config) (personio.Credentials, error) {
	if cfg.Personio.Credentials == "" {
		return personio.Credentials{}, errors.New("personio.credentials is not set: add credentials = sops_file(\"secrets/personio.enc.yaml\") to the personio block")
	}
	vals, err := secrets.Decrypt(cfg.Personio.Credentials)
	if err != nil {
		return personio.Credentials{}, err
	}
	for _, k := range []string{"client_id", "client_secret"} {
		vals[k] = cmp.Or(vals[k], vals[strings.ToUpper(k)])
	}
	if err := vals.Require("client_id", "client_secret"); err != nil {
		var mk *secrets.MissingKeysError
		if errors.As(err, &mk) {
			mk.Path = CredentialsFile(cfg)
		}
		return personio.Credentials{}, err
	}
	return personio.Credentials{ClientID: vals["client_id"], ClientSecret: vals["client_secret"]}, nil
}

// newClient returns a Personio client for cfg with credentials already
// decrypted; progress, when not nil, is called after each employees page.
func (r *Runner) newClient(cfg *config.Config, creds personio.Credentials, progress func(done, total int)) (*personio.Client, error) {
	opts := personio.Options{
		APIURL:       cfg.Personio.APIURL,
		JobsURL:      cfg.Personio.JobsURL,
		JobsURLSet:   cfg.Personio.JobsURLSet,
		Tenant:       cfg.Personio.Tenant,
		JobsLanguage: cfg.Personio.JobsLanguage,
		// requests_per_minute as a rate; 0 (a configuration not built by
		// the loader) leaves the client's default, Personio's 300 a minute.
		RateLimit:   rate.Limit(max(cfg.Personio.RequestsPerMinute, 0)) / 60,
		Burst:       cfg.Personio.Burst,
		Credentials: creds,
		HTTPClient:  r.HTTPClient,
		Logger:      r.logger(),
		Progress:    progress,
		// Only the attributes employee_fields reads are kept raw: keeping
		// every attribute of every employee was most of a large run's
		// memory. Unknown keys are checked against the attribute list.
		KeepAttributes: employeeFieldAttributes(cfg),
		// Every attribute a synced field comes from must be readable:
		// Personio leaves out what the credential may not read, and a
		// value left out is unknown, not empty.
		RequiredAttributes: RequiredAttributes(cfg),
	}
	if r.PersonioOptions != nil {
		r.PersonioOptions(&opts)
	}
	return personio.New(opts)
}

// CredentialsError adds the credentials file to Personio's 401, so the
// message says which file to fix.
func CredentialsError(cfg *config.Config, err error) error {
	var ae *personio.AuthError
	if errors.As(err, &ae) {
		return fmt.Errorf("%w in %s", err, CredentialsFile(cfg))
	}
	return err
}

// employeeFieldAttributes returns the Personio keys employee_fields names,
// sorted; an empty (not nil) list when there are none.
func employeeFieldAttributes(cfg *config.Config) []string {
	keys := make([]string, 0, len(cfg.Personio.EmployeeFields))
	for _, ref := range cfg.Personio.EmployeeFields {
		if ref.Key != "" && !slices.Contains(keys, ref.Key) {
			keys = append(keys, ref.Key)
		}
	}
	slices.Sort(keys)
	return keys
}

// RequiredAttributes are the Personio attribute keys the synced employee
// fields come from: the standard ones, less those employee_fields feeds
// from another attribute, plus the attributes employee_fields names. The
// office and the status are always read: they decide who is synced.
func RequiredAttributes(cfg *config.Config) []string {
	var out []string
	for _, k := range personio.StandardAttributes() {
		field := k // the Gridwork field k feeds
		if k == "profile_picture" {
			field = plan.FieldProfileImageURL
		}
		if ref, ok := cfg.Personio.EmployeeFields[field]; ok && ref.Key != "" && k != "status" {
			continue
		}
		out = append(out, k)
	}
	for _, k := range employeeFieldAttributes(cfg) {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// AttributesError adds to a *personio.HiddenAttributesError where the
// configuration names each hidden attribute that employee_fields reads,
// so that a typo in a key can be found as easily as a missing permission;
// other errors come back as they are.
func AttributesError(cfg *config.Config, err error) error {
	var he *personio.HiddenAttributesError
	if !errors.As(err, &he) {
		return err
	}
	var where []string
	for _, field := range slices.Sorted(maps.Keys(cfg.Personio.EmployeeFields)) {
		ref := cfg.Personio.EmployeeFields[field]
		if slices.Contains(he.Keys, ref.Key) {
			where = append(where, fmt.Sprintf("employee_fields.%s = %s at %s:%d", field, ref.KeyRef(), ref.Range.Filename, ref.Range.Start.Line))
		}
	}
	if len(where) == 0 {
		return err
	}
	return fmt.Errorf("%w (the configuration reads them in %s: check the key, or allow it)", err, strings.Join(where, ", "))
}

// fetched is Personio's answer with the client that read it (to confirm
// removals and count requests) and what reading it took.
type fetched struct {
	src    *plan.Source
	client *personio.Client
	took   time.Duration
}

// fetch reads everything the plan needs from Personio, and times it:
// employees and the job feed concurrently, and the attribute list when
// employee_fields names custom attributes that must be checked.
func (r *Runner) fetch(ctx context.Context, cfg *config.Config) (fetched, error) {
	start := time.Now()
	client, done, err := r.connect(ctx, cfg)
	if err != nil {
		return fetched{}, err
	}
	defer done()
	var (
		src  *plan.Source
		keys []string
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		src, err = client.Source(gctx)
		return err
	})
	if len(cfg.Personio.EmployeeFields) > 0 {
		g.Go(func() (err error) {
			keys, err = attributeKeys(gctx, client)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return fetched{}, AttributesError(cfg, err)
	}
	src.AttributeKeys = keys
	return fetched{src: src, client: client, took: time.Since(start)}, nil
}

// attributeKeys are the keys of Personio's attribute list.
func attributeKeys(ctx context.Context, client *personio.Client) ([]string, error) {
	attrs, err := client.Attributes(ctx)
	keys := make([]string, len(attrs))
	for i, a := range attrs {
		keys[i] = a.Key
	}
	return keys, err
}
