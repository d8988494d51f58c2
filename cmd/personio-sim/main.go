// Command personio-sim serves a simulated Personio (v1 API and XML job feed)
// for demos, benchmarks and manual tests.
//
// It prints exactly one line to stdout once it listens,
//
//	personio-sim listening on http://127.0.0.1:8089
//
// so that scripts can read the URL (use -addr 127.0.0.1:0 for a free port),
// logs to stderr, and shuts down gracefully on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/gridwork/gridsync/internal/personio/personiosim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: it serves until ctx ends and returns the
// exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("personio-sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opts personiosim.Options
	f := &opts.Faults
	var (
		addr      = fs.String("addr", "127.0.0.1:8089", "listen address; port 0 picks a free port")
		employees = fs.Int("employees", 40, "number of generated employees")
		offices   = fs.Int("offices", 4, "number of generated offices")
		jobs      = fs.Int("jobs", 8, "number of generated jobs")
		data      = fs.String("data", "", "JSON dataset file to serve instead of a generated one")
		verbose   = fs.Bool("v", false, "log every request")
		hidden    = fs.String("hidden-attributes", "", "comma-separated attribute keys the credential may not read: left out of employees and the attribute list (e.g. position,gender)")
	)
	fs.Int64Var(&opts.Seed, "seed", 1, "seed of the generated dataset and of fault randomness")
	fs.StringVar(&opts.Tenant, "tenant", personiosim.DefaultTenant, "tenant subdomain")
	fs.StringVar(&opts.ClientID, "client-id", personiosim.DefaultClientID, "accepted client_id")
	fs.StringVar(&opts.ClientSecret, "client-secret", personiosim.DefaultClientSecret, "accepted client_secret")
	fs.IntVar(&f.RatePerMinute, "rate-per-minute", 0, "employees requests allowed per rate window; 0 = unlimited")
	fs.IntVar(&f.Burst, "burst", 0, "employees requests allowed at once (Personio: 15); 0 = no burst limit")
	fs.DurationVar(&f.RateWindow, "rate-window", time.Minute, "window of -rate-per-minute (e.g. 1s to scale time)")
	fs.DurationVar(&f.Latency, "latency", 0, "latency added to every answer")
	fs.Float64Var(&f.ErrorRate, "error-rate", 0, "share of API answers replaced by 500/502/503/504")
	fs.Float64Var(&f.DropRate, "drop-rate", 0, "share of connections dropped without an answer")
	fs.BoolVar(&f.RetryAfter, "retry-after", false, "send Retry-After with 429")
	fs.StringVar(&f.FeedRedirect, "feed-redirect", "", "answer the feed with 301 to this path (e.g. "+personiosim.MovedFeedPath+", which serves the feed) or URL")
	fs.BoolVar(&f.FeedMissing, "feed-missing", false, "answer the feed with 404 and an HTML page, as when the career page is switched off")
	fs.BoolVar(&f.HiddenListed, "hidden-listed", false, "keep -hidden-attributes in the attribute list: only the employees leave them out")
	fs.BoolVar(&f.WideEmployees, "wide", false, "give every employee 45 more attributes (60 with a generated dataset), custom ones of every type included")
	fs.IntVar(&f.ShiftEvery, "shift-every", 0, "before every Nth employees page after the first, delete an employee before its offset and hire one at the end (total unchanged); 0 = never")
	fs.IntVar(&f.ShiftTimes, "shift-times", 0, "how often -shift-every moves the listing; 0 = every time")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "personio-sim: unexpected argument %q: it takes only flags (-h lists them)\n", fs.Arg(0))
		return 2
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	opts.Logger = logger

	var err error
	if *data == "" {
		opts.Dataset = personiosim.Generate(personiosim.GenerateOptions{Seed: opts.Seed, Employees: *employees, Offices: *offices, Jobs: *jobs})
	} else if opts.Dataset, err = personiosim.LoadDataset(*data); err != nil {
		logger.Error("cannot load dataset", "err", err)
		return 1
	}
	for key := range strings.SplitSeq(*hidden, ",") {
		if key = strings.TrimSpace(key); key != "" {
			f.HiddenAttributes = append(f.HiddenAttributes, key)
		}
	}
	if err := f.Validate(); err != nil {
		fmt.Fprintf(stderr, "personio-sim: %v\n", err)
		return 2
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Error("cannot listen", "addr", *addr, "err", err)
		return 1
	}
	srv := &http.Server{Handler: personiosim.New(opts), ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	fmt.Fprintf(stdout, "personio-sim listening on http://%s\n", ln.Addr())
	ds := opts.Dataset
	logger.Info("serving simulated Personio", "tenant", opts.Tenant, "employees", len(ds.Employees), "jobs", len(ds.Jobs), "offices", len(ds.Offices))

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		logger.Error("server stopped", "err", err)
		return 1
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		logger.Error("graceful shutdown failed", "err", err)
		return 1
	}
	logger.Info("stopped")
	return 0
}
