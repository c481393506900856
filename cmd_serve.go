package main

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"csm/model"
	csmsync "csm/sync"
)

// serveDBEnv names the team database when --db is not given.
const serveDBEnv = "CSM_SERVE_DB"

// shutdownGrace is how long requests in flight may run on after SIGTERM
// or Ctrl-C: enough for a full-sync page to a slow client, and under the
// 10 s a container runtime waits before it kills.
const shutdownGrace = 5 * time.Second

type serveOptions struct {
	Addr            string
	DB              string
	TLSCert, TLSKey string

	// The generated book, without --db.
	Accounts int
	Days     int
	Seed     int64
	Token    string
}

// demoFlags shape the generated book, which a database replaces.
var demoFlags = []string{"accounts", "days", "seed", "token"}

func newServeCmd() *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the sync server, on a team database or a generated book",
		Long: `Run the REST server of API.md.

With --db (or CSM_SERVE_DB) it serves the team's database: a file path or
sqlite:PATH for SQLite, postgres://... for PostgreSQL. Pending migrations run
at start; CSMs, tokens and data are managed with csm admin.

Without --db it serves a generated, realistic book from memory: two CSMs,
the first one's token is --token, the second's is --token followed by "-c2".
Usage history ends yesterday. Nothing survives the process.

GET /healthz answers 200 while the database answers, without a token. Every
request is logged as one JSON line on stderr. SIGTERM or Ctrl-C lets the
requests in flight finish (up to 5 s), then exits 0. --tls-cert and
--tls-key serve HTTPS; otherwise serve plain HTTP on loopback or behind a
reverse proxy that terminates TLS.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.DB = cmp.Or(o.DB, os.Getenv(serveDBEnv))
			if err := o.validateServe(cmd.Flags()); err != nil {
				return err
			}
			return o.run(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Addr, "addr", "127.0.0.1:8765", "address to listen on")
	f.StringVar(&o.DB, "db", "", "the team database: PATH, sqlite:PATH or postgres://... (env "+serveDBEnv+")")
	f.StringVar(&o.TLSCert, "tls-cert", "", "serve HTTPS with this PEM certificate (chain); needs --tls-key")
	f.StringVar(&o.TLSKey, "tls-key", "", "the PEM private key of --tls-cert")
	f.IntVar(&o.Accounts, "accounts", 200, "without --db: accounts per CSM")
	f.IntVar(&o.Days, "days", 365, "without --db: days of usage history")
	f.Int64Var(&o.Seed, "seed", 1, "without --db: seed of the generated book (same seed, same book)")
	f.StringVar(&o.Token, "token", "dev-token", "without --db: token of the first CSM")
	return cmd
}

// validateServe checks what serve adds to the generated book's options:
// a database replaces the book, and TLS needs a certificate and its key.
func (o serveOptions) validateServe(flags *pflag.FlagSet) error {
	if o.DB != "" {
		if err := checkDBScheme(o.DB); err != nil {
			return err
		}
		for _, name := range demoFlags {
			if flags.Changed(name) {
				return usageError{fmt.Errorf("--%s shapes the generated book and cannot be used with a database (--db or %s); tokens come from csm admin user", name, serveDBEnv)}
			}
		}
	}
	if (o.TLSCert == "") != (o.TLSKey == "") {
		return usageError{errors.New("--tls-cert and --tls-key go together: give both or neither")}
	}
	return o.validate()
}

// checkDBScheme refuses, as bad usage, a database URL of a kind csm does
// not speak, before anything is opened or created.
func checkDBScheme(dbURL string) error {
	scheme, _, ok := strings.Cut(dbURL, "://")
	if !ok {
		return nil // a file path, or sqlite:PATH
	}
	switch strings.ToLower(scheme) {
	case "postgres", "postgresql", "sqlite":
		return nil
	}
	return usageError{fmt.Errorf("--db %s: unknown scheme %q (use a file path, sqlite:PATH or postgres://...)", redactDB(dbURL), scheme)}
}

// validate checks the generated book's options (serve's and demo's).
func (o serveOptions) validate() error {
	switch {
	case o.Accounts < 1 || o.Accounts > 100000:
		return usageError{fmt.Errorf("--accounts must be between 1 and 100000, got %d", o.Accounts)}
	case o.Days < 1 || o.Days > 3660:
		return usageError{fmt.Errorf("--days must be between 1 and 3660, got %d", o.Days)}
	case o.Token == "":
		return usageError{errors.New("--token must not be empty")}
	}
	return nil
}

// run serves until ctx ends. Requests are logged to logw; what it serves
// and where goes to out.
func (o serveOptions) run(ctx context.Context, out, logw io.Writer) error {
	tlsConf, err := o.tlsConfig()
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(logw, nil))
	if o.DB != "" {
		return o.serveTeam(ctx, tlsConf, log, out)
	}
	ln, err := listen(o.Addr)
	if err != nil {
		return err
	}
	srv, tenants := newDemoServer(o)
	base := serverURL(ln, tlsConf)
	fmt.Fprintf(out, "csm reference server on %s\n", base)
	for _, t := range tenants {
		fmt.Fprintf(out, "  %s (%s): %d accounts, token %s\n", t.Book.CSM.Name, t.Book.CSM.ID, len(t.Book.Accounts), t.Token)
	}
	fmt.Fprintf(out, "sync with: CSM_SERVER_URL=%s CSM_TOKEN=%s csm sync\n", base, tenants[0].Token)
	return serveUntilDone(ctx, ln, srv.OpsHandler(log), tlsConf, log, out)
}

// serveTeam serves the database of --db. The database is opened and
// migrated before the port opens, so nothing connects to a server that
// cannot answer yet.
func (o serveOptions) serveTeam(ctx context.Context, tlsConf *tls.Config, log *slog.Logger, out io.Writer) (err error) {
	shown := redactDB(o.DB)
	store, err := openTeamStore(ctx, o.DB)
	if err != nil {
		return dbError("open", o.DB, err)
	}
	defer func() {
		if cerr := store.Close(); cerr != nil && err == nil {
			err = dbError("close", o.DB, cerr)
		}
	}()
	// Opening migrates already; asking again is cheap and tells the
	// version, which the start line reports.
	version, err := store.Migrate(ctx)
	if err != nil {
		return dbError("migrate", o.DB, err)
	}
	ln, err := listen(o.Addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "csm server on %s, database %s (schema version %d)\n", serverURL(ln, tlsConf), shown, version)
	return serveUntilDone(ctx, ln, csmsync.NewServerWith(store).OpsHandler(log), tlsConf, log, out)
}

// teamStore is what serve needs of a team database.
type teamStore interface {
	csmsync.ServerStore
	Migrate(ctx context.Context) (int, error)
}

// openTeamStore opens the database of --db; tests replace it.
var openTeamStore = func(ctx context.Context, dbURL string) (teamStore, error) {
	s, err := csmsync.OpenSQLStore(ctx, dbURL)
	if err != nil {
		return nil, err // not a nil *SQLStore in a non-nil interface
	}
	return s, nil
}

func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

func serverURL(ln net.Listener, tlsConf *tls.Config) string {
	if tlsConf != nil {
		return "https://" + ln.Addr().String()
	}
	return "http://" + ln.Addr().String()
}

// tlsConfig loads --tls-cert and --tls-key, or returns nil for plain
// HTTP. They are read once, at start: a renewed certificate takes a
// restart, which SIGTERM makes graceful.
func (o serveOptions) tlsConfig() (*tls.Config, error) {
	if o.TLSCert == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(o.TLSCert, o.TLSKey)
	if err != nil {
		return nil, fmt.Errorf("load --tls-cert %s and --tls-key %s: %w", o.TLSCert, o.TLSKey, err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// newDemoServer generates the books and the server that serves them.
func newDemoServer(o serveOptions) (*csmsync.Server, []csmsync.Tenant) {
	asOf := model.DateOf(time.Now()) - 1
	books := model.Generate(model.GenOptions{Seed: o.Seed, Accounts: o.Accounts, Days: o.Days, AsOf: asOf, CSMs: 2})
	tenants := make([]csmsync.Tenant, len(books))
	for i, b := range books {
		tok := o.Token
		if i > 0 {
			tok = fmt.Sprintf("%s-%s", o.Token, b.CSM.ID)
		}
		tenants[i] = csmsync.Tenant{Token: tok, Book: b}
	}
	return csmsync.NewServer(tenants), tenants
}

// serveUntilDone serves until ctx ends (Ctrl-C, SIGTERM), then stops
// accepting connections and waits up to shutdownGrace for the requests in
// flight; only those still running then are cut off, and that is an error.
// With tlsConf it serves HTTPS.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, tlsConf *tls.Config, log *slog.Logger, out io.Writer) error {
	srv := &http.Server{
		Handler:           h,
		TLSConfig:         tlsConf,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		// net/http's own complaints (TLS handshakes, panics) in the same
		// JSON as the request lines.
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() {
		if tlsConf != nil {
			errc <- srv.ServeTLS(ln, "", "")
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	fmt.Fprintln(out, "shutting down")
	if err := srv.Shutdown(shutCtx); err != nil {
		_ = srv.Close() // cut what still runs: the process is ending anyway
		return fmt.Errorf("shut down: requests still running after %s were cut off: %w", shutdownGrace, err)
	}
	return nil
}

// redactDB is the database URL fit to print: a postgres:// URL's
// password, in the user part or the query, replaced by xxxxx. Paths and
// sqlite: URLs hold no secret.
func redactDB(dbURL string) string {
	if !strings.Contains(dbURL, "://") {
		return dbURL
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		return "(a URL csm cannot read)" // it may hold a password we cannot find
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// dbError says what failed on the database, naming it (redacted) unless
// the error does already, with any password scrubbed from the error.
func dbError(what, dbURL string, err error) error {
	err = scrubPassword(err, dbURL)
	shown := redactDB(dbURL)
	if strings.Contains(err.Error(), shown) {
		return fmt.Errorf("%s the database: %w", what, err)
	}
	return fmt.Errorf("%s the database %s: %w", what, shown, err)
}

// scrubPassword removes the URL's password from an error's text, in case
// the driver quoted the URL.
func scrubPassword(err error, dbURL string) error {
	u, perr := url.Parse(dbURL)
	if perr != nil {
		return err
	}
	var secrets []string
	if pw, ok := u.User.Password(); ok && pw != "" {
		secrets = append(secrets, pw, url.QueryEscape(pw), url.PathEscape(pw))
	}
	if pw := u.Query().Get("password"); pw != "" {
		secrets = append(secrets, pw, url.QueryEscape(pw))
	}
	msg := err.Error()
	for _, s := range secrets {
		msg = strings.ReplaceAll(msg, s, "xxxxx")
	}
	if msg == err.Error() {
		return err
	}
	return errors.New(msg)
}
