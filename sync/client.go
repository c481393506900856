package sync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// MaxResponseBytes bounds what the client reads of one response, after
// decompression, so a hostile or broken server (a gzip bomb) cannot make it
// hold gigabytes. A page of 5,000 ordinary changes is a few MiB; a page
// over the bound is asked for again in smaller pieces (see Pull).
const MaxResponseBytes = 64 << 20

// ErrTooLarge is an answer larger than MaxResponseBytes. It is not retried
// as it is: the same request would get the same answer.
var ErrTooLarge = errors.New("answer too large")

// Retry says how often and how patiently a request is retried.
type Retry struct {
	Attempts int           // total tries, at least 1
	Base     time.Duration // first backoff
	Max      time.Duration // cap of one backoff, Retry-After included
}

// DefaultRetry suits a person waiting on `csm sync`: about half a minute of
// retries in all before giving up.
var DefaultRetry = Retry{Attempts: 6, Base: 500 * time.Millisecond, Max: 10 * time.Second}

// Client speaks the sync API (docs/API.md) to one server with one token.
type Client struct {
	base    *url.URL
	token   string
	http    *http.Client
	retry   Retry
	timeout time.Duration
	sleep   func(ctx context.Context, d time.Duration) error
}

// ClientOption adjusts a Client.
type ClientOption func(*Client)

// WithRetry sets the retry policy.
func WithRetry(r Retry) ClientOption { return func(c *Client) { c.retry = r } }

// WithTimeout sets the limit of one request, body included.
func WithTimeout(d time.Duration) ClientOption { return func(c *Client) { c.timeout = d } }

// WithHTTPClient replaces the transport (tests use it to cut connections).
func WithHTTPClient(h *http.Client) ClientOption { return func(c *Client) { c.http = h } }

// NewClient checks the server URL and returns a client for it. Plain http is
// allowed only to loopback hosts, so a token never crosses a network in the
// clear.
func NewClient(serverURL, token string, opts ...ClientOption) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(serverURL, "/"))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("server URL %q is not an absolute http(s) URL", serverURL)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("server URL %q: plain http is allowed only to loopback; use https", serverURL)
		}
	default:
		return nil, fmt.Errorf("server URL %q: scheme must be http or https", serverURL)
	}
	if token == "" {
		return nil, errors.New("no token: run `csm login` or set CSM_TOKEN")
	}
	c := &Client{
		base:    u,
		token:   token,
		retry:   DefaultRetry,
		timeout: 60 * time.Second,
		sleep:   sleepCtx,
	}
	c.http = &http.Client{CheckRedirect: sameHostRedirects}
	for _, o := range opts {
		o(c)
	}
	if c.retry.Attempts < 1 {
		c.retry.Attempts = 1
	}
	return c, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sameHostRedirects refuses redirects to another host, so the bearer token
// is never sent where the CSM did not point csm.
func sameHostRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("too many redirects")
	}
	if req.URL.Host != via[0].URL.Host || req.URL.Scheme != via[0].URL.Scheme {
		return fmt.Errorf("refusing redirect to another host (%s)", req.URL.Host)
	}
	return nil
}

// StatusError is a non-2xx answer that was not retried (or ran out of
// retries).
type StatusError struct {
	Status int
	API    APIError
}

// The server's code and message are its own words, untrusted: they are
// quoted with every non-graphic character escaped, so an error carries no
// escape sequence wherever it is printed or logged.
func (e *StatusError) Error() string {
	if e.API.Message != "" {
		return fmt.Sprintf("server answered %d %s: %s", e.Status, strconv.QuoteToGraphic(e.API.Code), strconv.QuoteToGraphic(e.API.Message))
	}
	return fmt.Sprintf("server answered %d %s", e.Status, http.StatusText(e.Status))
}

// AuthRefused marks a 401 for screens that do not import this package.
func (e *StatusError) AuthRefused() bool { return e.Status == http.StatusUnauthorized }

// IsCursorExpired says whether err is the feed's 410 cursor_expired.
func IsCursorExpired(err error) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Status == http.StatusGone
}

// IsUnauthorized says whether err is a 401.
func IsUnauthorized(err error) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Status == http.StatusUnauthorized
}

// Me fetches the CSM the token belongs to.
func (c *Client) Me(ctx context.Context) (Me, error) {
	var me Me
	err := c.do(ctx, http.MethodGet, "/me", nil, &me)
	return me, err
}

// Changes fetches one page of the feed after cursor ("" for a full sync).
func (c *Client) Changes(ctx context.Context, cursor string, limit int) (Page, error) {
	q := url.Values{}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	path := "/changes"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var p Page
	err := c.do(ctx, http.MethodGet, path, nil, &p)
	return p, err
}

// PushMutations sends one batch of mutations.
func (c *Client) PushMutations(ctx context.Context, muts []Mutation) (MutationsResponse, error) {
	body, err := json.Marshal(MutationsRequest{Mutations: muts})
	if err != nil {
		return MutationsResponse{}, fmt.Errorf("encode mutations: %w", err)
	}
	var r MutationsResponse
	if err := c.do(ctx, http.MethodPost, "/mutations", body, &r); err != nil {
		return r, err
	}
	if len(r.Results) != len(muts) {
		return r, fmt.Errorf("server answered %d results for %d mutations", len(r.Results), len(muts))
	}
	return r, nil
}

// do sends one request, retrying network errors, 5xx, 429 and answers that
// cannot be decoded, with capped exponential backoff and jitter; a
// Retry-After from the server is honoured up to the cap.
func (c *Client) do(ctx context.Context, method, path string, body []byte, out any) error {
	var last error
	for attempt := 0; attempt < c.retry.Attempts; attempt++ {
		if attempt > 0 {
			wait := c.backoff(attempt, last)
			report(ctx, Progress{Phase: PhaseRetry, Percent: -1, Retry: retryWords(last, wait, attempt+1, c.retry.Attempts)})
			if err := c.sleep(ctx, wait); err != nil {
				return fmt.Errorf("%s %s: %w (after: %v)", method, path, err, last)
			}
		}
		retryable, err := c.once(ctx, method, path, body, out)
		if err == nil {
			return nil
		}
		if !retryable || ctx.Err() != nil {
			return err
		}
		if unreachable(err) {
			// A refused or unreachable host is answered at once: one
			// short retry covers a server restarting, and waiting longer
			// only keeps the CSM looking at a frozen screen.
			if attempt == 0 && c.retry.Attempts > 1 {
				report(ctx, Progress{Phase: PhaseRetry, Percent: -1, Retry: retryWords(err, offlineRetry, 2, 2)})
				if err := c.sleep(ctx, offlineRetry); err != nil {
					return &OfflineError{Server: c.base.String(), Err: err, Waiting: -1}
				}
				if _, err2 := c.once(ctx, method, path, body, out); err2 == nil {
					return nil
				} else if !unreachable(err2) {
					last = err2
					continue
				}
			}
			return &OfflineError{Server: c.base.String(), Err: err, Waiting: -1}
		}
		last = err
	}
	return fmt.Errorf("gave up after %d tries: %w", c.retry.Attempts, last)
}

// offlineRetry is the pause before the one retry of a refused connection.
const offlineRetry = 300 * time.Millisecond

// OfflineError says the server cannot be reached at all: the connection was
// refused, the host is unknown or the network is down. Offline is a state,
// not a failure: what waits stays saved on this computer.
type OfflineError struct {
	Server  string
	Err     error
	Waiting int // changes waiting on this computer, -1 not known
}

func (e *OfflineError) Error() string {
	return fmt.Sprintf("offline — the server at %s cannot be reached", e.Server)
}
func (e *OfflineError) Unwrap() error { return e.Err }

// Offline marks the error for screens that do not import this package.
func (e *OfflineError) Offline() bool { return true }

// IsOffline says whether err is an OfflineError.
func IsOffline(err error) bool {
	var oe *OfflineError
	return errors.As(err, &oe)
}

// unreachable says whether a transport error means no server answers there
// (refused, unknown host, no route), as opposed to one that answered badly.
func unreachable(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH) {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// retryAfter carries the server's Retry-After with a retryable error.
type retryAfter struct {
	err   error
	delay time.Duration
}

func (r *retryAfter) Error() string { return r.err.Error() }
func (r *retryAfter) Unwrap() error { return r.err }

func (c *Client) backoff(attempt int, last error) time.Duration {
	d := c.retry.Base << (attempt - 1)
	if d > c.retry.Max || d <= 0 {
		d = c.retry.Max
	}
	// Full jitter on the upper half spreads many clients apart without
	// ever retrying instantly.
	d = d/2 + rand.N(d/2+1)
	var ra *retryAfter
	if errors.As(last, &ra) && ra.delay > d {
		d = min(ra.delay, c.retry.Max)
	}
	return d
}

func (c *Client) once(ctx context.Context, method, path string, body []byte, out any) (retryable bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	u := c.base.String() + APIPrefix + path
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return false, fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	// No Accept-Encoding here: Go's transport asks for gzip itself and
	// decompresses the answer (setting it by hand turns that off).
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return true, fmt.Errorf("%s %s: %w", method, path, scrubURLError(err))
	}
	defer resp.Body.Close()
	raw, err := readBody(resp)
	if err != nil {
		return !errors.Is(err, ErrTooLarge), fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		se := &StatusError{Status: resp.StatusCode}
		var eb ErrorBody
		if json.Unmarshal(raw, &eb) == nil {
			se.API = eb.Error
		}
		err := fmt.Errorf("%s %s: %w", method, path, se)
		if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
			return true, &retryAfter{err: err, delay: parseRetryAfter(resp.Header.Get("Retry-After"))}
		}
		return false, err
	}
	if err := json.Unmarshal(raw, out); err != nil {
		// A page that does not decode is retried: a proxy or a fault may
		// have mangled it, and nothing of it has been applied.
		return true, fmt.Errorf("%s %s: malformed answer: %w", method, path, err)
	}
	return false, nil
}

// readBody reads an answer, already decompressed by the transport, up to
// MaxResponseBytes: the cap counts decompressed bytes, so a gzip bomb is
// cut off after 64 MiB however small it travelled.
func readBody(resp *http.Response) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > MaxResponseBytes {
		return nil, fmt.Errorf("%w: more than %d MiB", ErrTooLarge, MaxResponseBytes>>20)
	}
	return raw, nil
}

func parseRetryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return time.Until(t)
	}
	return 0
}

// scrubURLError drops the URL from a transport error: it says nothing the
// CSM needs and keeps query strings out of messages.
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
