package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"csm/model"
	csmsync "csm/sync"
)

type serveOptions struct {
	Addr     string
	Accounts int
	Days     int
	Seed     int64
	Token    string
}

func newServeCmd() *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the reference sync server with a generated book",
		Long: `Run the reference REST server of API.md on a generated, realistic book.
Two CSMs are generated; the first one's token is --token, the second's is
--token followed by "-c2". Usage history ends yesterday.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			ln, err := net.Listen("tcp", o.Addr)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", o.Addr, err)
			}
			srv, tenants := newDemoServer(o)
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "csm reference server on http://%s\n", ln.Addr())
			for _, t := range tenants {
				fmt.Fprintf(out, "  %s (%s): %d accounts, token %s\n", t.Book.CSM.Name, t.Book.CSM.ID, len(t.Book.Accounts), t.Token)
			}
			fmt.Fprintf(out, "sync with: CSM_SERVER_URL=http://%s CSM_TOKEN=%s csm sync\n", ln.Addr(), tenants[0].Token)
			return serveUntilDone(cmd.Context(), ln, srv.Handler(), out)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Addr, "addr", "127.0.0.1:8765", "address to listen on")
	f.IntVar(&o.Accounts, "accounts", 200, "accounts per CSM")
	f.IntVar(&o.Days, "days", 365, "days of usage history")
	f.Int64Var(&o.Seed, "seed", 1, "seed of the generated book (same seed, same book)")
	f.StringVar(&o.Token, "token", "dev-token", "token of the first CSM")
	return cmd
}

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

// serveUntilDone serves until ctx ends (Ctrl-C, SIGTERM), then shuts down.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, out io.Writer) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	fmt.Fprintln(out, "shutting down")
	return srv.Shutdown(shutCtx)
}
