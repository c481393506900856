package sync

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// HealthPath answers whether the server's database answers: for load
// balancers and container health checks, so it needs no token.
const HealthPath = "/healthz"

// healthTimeout bounds a health check's wait on the database: a database
// that hangs is as unhealthy as one that refuses.
const healthTimeout = 2 * time.Second

// maxLoggedPath cuts the path of a log line: paths are the client's text
// and a log line should stay one short line.
const maxLoggedPath = 200

// OpsHandler is Handler with what running the server for a team needs:
// GET /healthz, and one JSON line on log per request with its method,
// path, status, bytes written, duration and the CSM it authenticated as.
// A line never holds a token, a query string or a body.
func (s *Server) OpsHandler(log *slog.Logger) http.Handler {
	api := s.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{}
		rec := &responseRecorder{ResponseWriter: w}
		r = r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info))
		panicked := true
		// Deferred so that a handler's panic, which net/http recovers
		// from, still leaves its line (as a 500 when nothing was sent).
		defer func() {
			if panicked && rec.status == 0 {
				rec.status = http.StatusInternalServerError
			}
			logRequest(log, r, rec, info, time.Since(start))
		}()
		if r.URL.Path == HealthPath {
			s.handleHealth(rec, r)
		} else {
			api.ServeHTTP(rec, r)
		}
		panicked = false
	})
}

// handleHealth answers 200 when the store answers a ping, 503 otherwise.
// The store's error goes to the log line, not to the unauthenticated
// caller: it may name hosts.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		s.fail(w, r, http.StatusMethodNotAllowed, CodeMethodNotAllowed, "use GET")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	w.Header().Set("Cache-Control", "no-store")
	if err := s.store.Ping(ctx); err != nil {
		noteProblem(r.Context(), "health: "+err.Error())
		w.Header().Set("Retry-After", "1")
		s.reply(w, r, http.StatusServiceUnavailable, healthBody{Status: "unavailable"})
		return
	}
	s.reply(w, r, http.StatusOK, healthBody{Status: "ok"})
}

type healthBody struct {
	Status string `json:"status"`
}

// logRequest writes the request's one line.
func logRequest(log *slog.Logger, r *http.Request, rec *responseRecorder, info *requestInfo, d time.Duration) {
	status := rec.status
	if status == 0 {
		status = http.StatusOK // net/http sends 200 for a handler that wrote nothing
	}
	path := r.URL.Path
	if len(path) > maxLoggedPath {
		path = path[:maxLoggedPath] + "…"
	}
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", path),
		slog.Int("status", status),
		slog.Int64("bytes", rec.bytes),
		slog.Float64("duration_ms", float64(d.Microseconds())/1000),
	}
	if info.csmID != "" {
		attrs = append(attrs, slog.String("csm", info.csmID))
	}
	if info.problem != "" {
		attrs = append(attrs, slog.String("error", info.problem))
	}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelWarn
	}
	log.LogAttrs(r.Context(), level, "request", attrs...)
}

// requestInfo is what the handlers learn about a request that its log
// line reports. One request's handlers run on one goroutine, before the
// line is written, so it needs no lock.
type requestInfo struct {
	csmID   string // whom the token authenticated
	problem string // why the request failed, for the operator
}

type requestInfoKey struct{}

// noteCSM records whom the request authenticated as, for its log line;
// it does nothing for a request that is not logged.
func noteCSM(ctx context.Context, csmID string) {
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		info.csmID = csmID
	}
}

// noteProblem records why a request failed, for its log line.
func noteProblem(ctx context.Context, problem string) {
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		info.problem = problem
	}
}

// responseRecorder counts what a handler sends: the status and the bytes
// of the body as written (compressed when it was).
type responseRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *responseRecorder) WriteHeader(code int) {
	// 1xx answers are informational; the final status comes after.
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *responseRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *responseRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
