package sync

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"csm/model"
)

// Error codes of the reference server beyond those of wire.go.
const (
	CodeMethodNotAllowed = "method_not_allowed"
	CodeUnsupportedMedia = "unsupported_media_type"
	CodeConflict         = "conflict"
	CodeUnavailable      = "unavailable"
)

// Tenant is one CSM's book and the token that opens it.
type Tenant struct {
	Token string
	Book  model.Book
}

// ServerOption adjusts a Server.
type ServerOption func(*Server)

// ServerClock sets the clock behind /me's server_time.
func ServerClock(now func() time.Time) ServerOption { return func(s *Server) { s.now = now } }

// ServerUncompressed makes the server answer in plain JSON even to a
// client that asks for gzip: for a client in the same process (csm demo),
// where compressing a page and inflating it again is work for nothing.
func ServerUncompressed() ServerOption { return func(s *Server) { s.plain = true } }

// Server is the reference implementation of docs/API.md: the HTTP handlers
// and the mutation rules, over a ServerStore that holds the books.
type Server struct {
	store ServerStore
	now   func() time.Time
	plain bool // never gzip (ServerUncompressed)
}

// NewServer serves the books of tenants from memory (see NewMemoryStore).
func NewServer(tenants []Tenant, opts ...ServerOption) *Server {
	return NewServerWith(NewMemoryStore(tenants), opts...)
}

// NewServerWith serves the books a store holds.
func NewServerWith(store ServerStore, opts ...ServerOption) *Server {
	s := &Server{store: store, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Store is what the server serves from.
func (s *Server) Store() ServerStore { return s.store }

func newEpoch() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

type bookEntity struct {
	entity string
	v      any
}

// bookEntities lists a book in the order of its initial feed: catalogues
// first and dependents after, so a client can apply it in order.
func bookEntities(b model.Book) []bookEntity {
	var out []bookEntity
	add := func(entity string, vs ...any) {
		for _, v := range vs {
			out = append(out, bookEntity{entity, v})
		}
	}
	add(EntityFeature, asAnys(b.Features)...)
	add(EntityPlaybook, asAnys(b.Playbooks)...)
	add(EntityChecklist, asAnys(b.Checklists)...)
	add(EntityAccount, asAnys(b.Accounts)...)
	add(EntityContact, asAnys(b.Contacts)...)
	add(EntityUsageMonth, asAnys(b.Usage)...)
	add(EntityNPS, asAnys(b.NPS)...)
	add(EntityNote, asAnys(b.Notes)...)
	add(EntityTask, asAnys(b.Tasks)...)
	add(EntityChecklistItem, asAnys(b.ChecklistItems)...)
	add(EntityPlayRun, asAnys(b.PlayRuns)...)
	return out
}

func asAnys[T any](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

// encodeModel encodes a model value; model types always encode.
func encodeModel(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(`null`)
	}
	return b
}

// Upsert appends an upsert of v, a model value of entity (model.UsageMonth
// for "usage_month", …), to the feed of the CSM and returns its seq; 0 when
// there is no such CSM or v is not a value of entity.
func (s *Server) Upsert(csmID, entity string, v any) int64 {
	id := EntityID(entity, v)
	if id == "" {
		return 0
	}
	return s.UpsertRaw(csmID, entity, id, encodeModel(v))
}

// UpsertRaw appends an upsert with data exactly as given, valid or not, so
// tests can feed a client the entities a broken server would send. It
// returns the seq, or 0 when there is no such CSM, data is not JSON or
// the store fails.
func (s *Server) UpsertRaw(csmID, entity, id string, data json.RawMessage) int64 {
	if !json.Valid(data) {
		return 0
	}
	var seq int64
	err := s.store.Write(context.Background(), csmID, func(tx BookTx) error {
		var err error
		seq, err = tx.Put(entity, id, data)
		return err
	})
	if err != nil {
		return 0
	}
	return seq
}

// Delete appends a delete of the entity to the feed of the CSM and returns
// its seq; 0 when there is no such live entity.
func (s *Server) Delete(csmID, entity, id string) int64 {
	var seq int64
	err := s.store.Write(context.Background(), csmID, func(tx BookTx) error {
		e, found, err := tx.Get(entity, id)
		if err != nil || !found || e.Deleted {
			return err
		}
		seq, err = tx.Delete(entity, id)
		return err
	})
	if err != nil {
		return 0
	}
	return seq
}

// Compact squashes the CSM's history to one upsert per live entity and
// forgets deletes, so every cursor older than now gets 410 cursor_expired.
func (s *Server) Compact(csmID string) { _ = s.store.Compact(context.Background(), csmID) }

// Book returns the CSM's current book as a correct client would hold it:
// every live, valid entity, decoded as DecodeEntity does (text cut), each
// list ordered by id.
func (s *Server) Book(csmID string) model.Book {
	ctx := context.Background()
	rows, err := s.store.ReadBook(ctx, csmID)
	if err != nil {
		return model.Book{}
	}
	var b model.Book
	if csm, ok := s.csmOf(ctx, csmID); ok {
		b.CSM = csm
	}
	slices.SortFunc(rows, func(a, b StoredEntity) int {
		return cmp.Or(cmp.Compare(a.Entity, b.Entity), cmp.Compare(a.ID, b.ID))
	})
	for _, r := range rows {
		if r.Deleted {
			continue
		}
		v, err := DecodeEntity(r.Entity, r.Data)
		if err != nil {
			continue
		}
		addToBook(&b, v)
	}
	return b
}

// csmOf finds a CSM by id through a write transaction's view of it.
func (s *Server) csmOf(ctx context.Context, csmID string) (model.CSM, bool) {
	var csm model.CSM
	err := s.store.Write(ctx, csmID, func(tx BookTx) error {
		csm = tx.CSM()
		return errReadOnly
	})
	return csm, errors.Is(err, errReadOnly)
}

// errReadOnly ends a write transaction that only read.
var errReadOnly = errors.New("read only")

// addToBook adds a decoded entity to the list of its kind.
func addToBook(b *model.Book, v any) {
	switch x := v.(type) {
	case model.Account:
		b.Accounts = append(b.Accounts, x)
	case model.Contact:
		b.Contacts = append(b.Contacts, x)
	case model.Feature:
		b.Features = append(b.Features, x)
	case model.UsageMonth:
		b.Usage = append(b.Usage, x)
	case model.NPSResponse:
		b.NPS = append(b.NPS, x)
	case model.Playbook:
		b.Playbooks = append(b.Playbooks, x)
	case model.Checklist:
		b.Checklists = append(b.Checklists, x)
	case model.Note:
		b.Notes = append(b.Notes, x)
	case model.Task:
		b.Tasks = append(b.Tasks, x)
	case model.ChecklistItem:
		b.ChecklistItems = append(b.ChecklistItems, x)
	case model.PlayRun:
		b.PlayRuns = append(b.PlayRuns, x)
	}
}

// MutationCount says how many mutations the server applied for the CSM,
// superseded last-writer-wins ones included; duplicates and rejections do
// not count.
func (s *Server) MutationCount(csmID string) int {
	n, _ := s.store.AppliedCount(context.Background(), csmID)
	return n
}

// serverRoute is one endpoint of docs/API.md.
type serverRoute struct {
	method string
	handle func(s *Server, w http.ResponseWriter, r *http.Request, csm model.CSM)
}

var serverRoutes = map[string]serverRoute{
	APIPrefix + "/me":        {http.MethodGet, (*Server).handleMe},
	APIPrefix + "/changes":   {http.MethodGet, (*Server).handleChanges},
	APIPrefix + "/mutations": {http.MethodPost, (*Server).handleMutations},
}

// Handler serves docs/API.md.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	rt, ok := serverRoutes[r.URL.Path]
	if !ok {
		s.fail(w, r, http.StatusNotFound, CodeNotFound, "no such endpoint")
		return
	}
	if r.Method != rt.method {
		w.Header().Set("Allow", rt.method)
		s.fail(w, r, http.StatusMethodNotAllowed, CodeMethodNotAllowed, "use "+rt.method)
		return
	}
	csm, err := s.authenticate(r)
	if errors.Is(err, ErrUnknownToken) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="csm"`)
		s.fail(w, r, http.StatusUnauthorized, CodeUnauthorized, "missing or unknown bearer token")
		return
	}
	if err != nil {
		s.unavailable(w, r, err)
		return
	}
	noteCSM(r.Context(), csm.ID) // for the request's log line (server_ops.go)
	rt.handle(s, w, r, csm)
}

// unavailable answers a failure of the store: retryable, and without the
// store's words, which may name tables or hosts.
func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	noteProblem(r.Context(), err.Error()) // the operator's log line does say why
	w.Header().Set("Retry-After", "1")
	s.fail(w, r, http.StatusServiceUnavailable, CodeUnavailable, "the server's database did not answer; try again")
}

// authenticate finds the CSM of the request's bearer token.
func (s *Server) authenticate(r *http.Request) (model.CSM, error) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return model.CSM{}, ErrUnknownToken
	}
	return s.store.CSMByToken(r.Context(), token)
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request, csm model.CSM) {
	s.reply(w, r, http.StatusOK, Me{CSM: csm, ServerTime: s.now().UTC().Truncate(time.Second), Extensions: model.ExtensionNames()})
}

// reply writes v as JSON, gzipped when the client accepts it.
func (s *Server) reply(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, encodeModel(ErrorBody{Error: APIError{Code: "internal", Message: "cannot encode the answer"}})
	}
	s.replyBody(w, r, status, body)
}

// replyBody writes a JSON body, gzipped when the client accepts it.
func (s *Server) replyBody(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Add("Vary", "Accept-Encoding")
	if !s.plain && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		var buf bytes.Buffer
		// Best speed: most of a full sync is arrays of small numbers, which
		// compress well even at the fastest level, and the server's time
		// is the client's wait.
		gz, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		_, _ = gz.Write(body) // writes to a bytes.Buffer do not fail
		_ = gz.Close()
		body = buf.Bytes()
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body) // a client that hung up is no error of ours
}

// fail writes an error in the shape of docs/API.md.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	s.reply(w, r, status, ErrorBody{Error: APIError{Code: code, Message: msg}})
}

// acceptsGzip reads an Accept-Encoding header: gzip listed without q=0, or
// failing that, * without q=0.
func acceptsGzip(header string) bool {
	gzipQ, anyQ := -1.0, -1.0
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(k, "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "gzip":
			gzipQ = q
		case "*":
			anyQ = q
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return anyQ > 0
}
