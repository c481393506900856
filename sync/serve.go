package sync

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"csm/model"
)

// Running the server: on a team database or on generated books, over
// HTTP or HTTPS, until the context ends, then a graceful shutdown. csm
// serve and csm demo are flags around these.

// ShutdownGrace is how long requests in flight may run on after SIGTERM
// or Ctrl-C: enough for a full-sync page to a slow client, and under the
// 10 s a container runtime waits before it kills.
const ShutdownGrace = 5 * time.Second

// TeamDB is what serving needs of a team database.
type TeamDB interface {
	ServerStore
	// Migrate creates or upgrades the schema and returns its version.
	Migrate(ctx context.Context) (int, error)
}

// OpenTeamDB opens, and migrates, the team database at dbURL (see
// OpenSQLStore).
func OpenTeamDB(ctx context.Context, dbURL string) (TeamDB, error) {
	s, err := OpenSQLStore(ctx, dbURL)
	if err != nil {
		return nil, err // not a nil *SQLStore in a non-nil interface
	}
	return s, nil
}

// ServeConfig is what Serve serves, and where.
type ServeConfig struct {
	Addr string
	// TLSCert and TLSKey, PEM files, serve HTTPS; neither, plain HTTP.
	TLSCert, TLSKey string
	// DB is the team database's URL (see OpenSQLStore); "" serves the
	// books Demo generates.
	DB string
	// Open opens DB; nil is OpenTeamDB.
	Open func(ctx context.Context, dbURL string) (TeamDB, error)
	Demo DemoBooks
}

// DemoBooks shape the generated books of a server without a database:
// two CSMs, the first one's token is Token, the second's is Token followed
// by "-" and their id. Usage history ends yesterday.
type DemoBooks struct {
	Accounts, Days int
	Seed           int64
	Token          string
}

// Tenants generates the books and their tokens.
func (d DemoBooks) Tenants() []Tenant {
	return GenerateTenants(model.GenOptions{Seed: d.Seed, Accounts: d.Accounts, Days: d.Days, CSMs: 2}, func(i int, b model.Book) string {
		if i == 0 {
			return d.Token
		}
		return d.Token + "-" + b.CSM.ID
	})
}

// GenerateTenants makes o.CSMs realistic books with usage ending
// yesterday (o.AsOf is ignored), the i-th one's token being token(i, its
// book).
func GenerateTenants(o model.GenOptions, token func(i int, b model.Book) string) []Tenant {
	o.AsOf = model.DateOf(time.Now()) - 1
	books := model.Generate(o)
	tenants := make([]Tenant, len(books))
	for i, b := range books {
		tenants[i] = Tenant{Token: token(i, b), Book: b}
	}
	return tenants
}

// Serve serves until ctx ends. Requests are logged to logw, one JSON line
// each (see OpsHandler); what it serves and where goes to out. A team
// database is opened and migrated before the port opens, so nothing
// connects to a server that cannot answer yet, and closed at the end.
func Serve(ctx context.Context, c ServeConfig, out, logw io.Writer) error {
	tlsConf, err := loadTLS(c.TLSCert, c.TLSKey)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(logw, nil))
	if c.DB != "" {
		return c.serveTeam(ctx, tlsConf, log, out)
	}
	ln, err := listen(c.Addr)
	if err != nil {
		return err
	}
	tenants := c.Demo.Tenants()
	base := baseURL(ln, tlsConf)
	fmt.Fprintf(out, "csm reference server on %s\n", base)
	for _, t := range tenants {
		fmt.Fprintf(out, "  %s (%s): %d accounts, token %s\n", t.Book.CSM.Name, t.Book.CSM.ID, len(t.Book.Accounts), t.Token)
	}
	fmt.Fprintf(out, "sync with: CSM_SERVER_URL=%s CSM_TOKEN=%s csm sync\n", base, tenants[0].Token)
	return serveUntilDone(ctx, ln, NewServer(tenants).OpsHandler(log), tlsConf, log, out)
}

// serveTeam serves the team database.
func (c ServeConfig) serveTeam(ctx context.Context, tlsConf *tls.Config, log *slog.Logger, out io.Writer) error {
	open := c.Open
	if open == nil {
		open = OpenTeamDB
	}
	return withDB(ctx, c.DB, open, func(store TeamDB) error {
		// Opening migrates already; asking again is cheap and tells the
		// version, which the start line reports.
		version, err := store.Migrate(ctx)
		if err != nil {
			return dbError("migrate", c.DB, err)
		}
		ln, err := listen(c.Addr)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "csm server on %s, database %s (schema version %d)\n", baseURL(ln, tlsConf), RedactDB(c.DB), version)
		return serveUntilDone(ctx, ln, NewServerWith(store).OpsHandler(log), tlsConf, log, out)
	})
}

// withDB opens the database at dbURL with open, runs fn on it and closes
// it; a failure to close is an error too, since it may be the commit of
// what fn wrote. No error it returns shows the database's password.
func withDB[DB io.Closer](ctx context.Context, dbURL string, open func(context.Context, string) (DB, error), fn func(DB) error) (err error) {
	db, err := open(ctx, dbURL)
	if err != nil {
		return dbError("open", dbURL, err)
	}
	defer func() {
		if cerr := db.Close(); cerr != nil && err == nil {
			err = dbError("close", dbURL, cerr)
		}
	}()
	if err := fn(db); err != nil {
		return scrubPassword(err, dbURL)
	}
	return nil
}

func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

func baseURL(ln net.Listener, tlsConf *tls.Config) string {
	if tlsConf != nil {
		return "https://" + ln.Addr().String()
	}
	return "http://" + ln.Addr().String()
}

// loadTLS loads a certificate and its key, or returns nil for plain
// HTTP. They are read once, at start: a renewed certificate takes a
// restart, which SIGTERM makes graceful.
func loadTLS(certFile, keyFile string) (*tls.Config, error) {
	if certFile == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("load --tls-cert %s and --tls-key %s: %w", certFile, keyFile, err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// serveUntilDone serves until ctx ends (Ctrl-C, SIGTERM), then stops
// accepting connections and waits up to ShutdownGrace for the requests in
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
	shutCtx, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
	defer cancel()
	fmt.Fprintln(out, "shutting down")
	if err := srv.Shutdown(shutCtx); err != nil {
		_ = srv.Close() // cut what still runs: the process is ending anyway
		return fmt.Errorf("shut down: requests still running after %s were cut off: %w", ShutdownGrace, err)
	}
	return nil
}

// CheckDBScheme refuses a database URL of a kind csm does not speak,
// before anything is opened or created.
func CheckDBScheme(dbURL string) error {
	scheme, _, ok := strings.Cut(dbURL, "://")
	if !ok {
		return nil // a file path, or sqlite:PATH
	}
	switch strings.ToLower(scheme) {
	case "postgres", "postgresql", "sqlite":
		return nil
	}
	return fmt.Errorf("--db %s: unknown scheme %q (use a file path, sqlite:PATH or postgres://...)", RedactDB(dbURL), scheme)
}

// RedactDB is the database URL fit to print: a postgres:// URL's
// password, in the user part or the query, replaced by xxxxx. Paths and
// sqlite: URLs hold no secret.
func RedactDB(dbURL string) string {
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
	shown := RedactDB(dbURL)
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

// ServeLoopback serves h on a free loopback port, in plain HTTP, until
// stop is called; url is where.
func ServeLoopback(h http.Handler) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return baseURL(ln, nil), func() { srv.Close() }, nil
}
