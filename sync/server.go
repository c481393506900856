package sync

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"csm/model"
)

// Error codes of the reference server beyond those of wire.go.
const (
	CodeMethodNotAllowed = "method_not_allowed"
	CodeUnsupportedMedia = "unsupported_media_type"
	CodeConflict         = "conflict"
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

// Server is the reference implementation of API.md, in memory: per CSM, the
// current state of every entity and a change feed with strictly increasing
// seq. One mutex guards it all, so a mutation, its feed entries and its
// idempotency record always land together.
type Server struct {
	mu gosync.Mutex
	// epoch is new on every start, so cursors of an earlier server (whose
	// history is gone) expire instead of silently skipping changes.
	epoch   string
	now     func() time.Time
	tenants map[string]*tenant // by CSM id; the map itself never changes
}

// tenant is one CSM's state on the server.
type tenant struct {
	csm   model.CSM
	token string

	seq   int64                // the latest seq of the feed
	floor int64                // compaction point: cursors below it expired
	rows  map[rowKey]*row      // current state of every entity, deleted ones too
	log   []logEntry           // every change in seq order (see page)
	lww   map[string]time.Time // last-writer-wins targets: time of the winning write

	results map[string]MutationResult // mutation id → first answer
	applied int                       // mutations applied, for exactly-once tests
}

type rowKey struct{ entity, id string }

type row struct {
	seq     int64 // seq of the latest change of this entity
	deleted bool
	data    json.RawMessage // never changed in place: a change replaces it
}

type logEntry struct {
	seq int64
	key rowKey
}

// NewServer serves the books of tenants. A tenant's feed starts with one
// upsert per entity, catalogues first and dependents after, so a client can
// apply it in order. Later tenants replace earlier ones of the same CSM id;
// a tenant with an empty token cannot sign in.
func NewServer(tenants []Tenant, opts ...ServerOption) *Server {
	s := &Server{epoch: newEpoch(), now: time.Now, tenants: map[string]*tenant{}}
	for _, o := range opts {
		o(s)
	}
	for _, tn := range tenants {
		t := &tenant{
			csm: tn.Book.CSM, token: tn.Token,
			rows: map[rowKey]*row{}, lww: map[string]time.Time{}, results: map[string]MutationResult{},
		}
		for _, e := range bookEntities(tn.Book) {
			t.upsert(e.entity, EntityID(e.entity, e.v), encodeModel(e.v))
		}
		s.tenants[tn.Book.CSM.ID] = t
	}
	return s
}

func newEpoch() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

type bookEntity struct {
	entity string
	v      any
}

// bookEntities lists a book in the order of its initial feed.
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

// upsert records the new state of an entity and appends it to the feed.
func (t *tenant) upsert(entity, id string, data json.RawMessage) int64 {
	t.seq++
	k := rowKey{entity, id}
	t.rows[k] = &row{seq: t.seq, data: data}
	t.log = append(t.log, logEntry{seq: t.seq, key: k})
	return t.seq
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
// returns the seq, or 0 when there is no such CSM or data is not JSON.
func (s *Server) UpsertRaw(csmID, entity, id string, data json.RawMessage) int64 {
	if !json.Valid(data) {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tenants[csmID]
	if t == nil {
		return 0
	}
	return t.upsert(entity, id, slices.Clone(data))
}

// Delete appends a delete of the entity to the feed of the CSM and returns
// its seq; 0 when there is no such live entity.
func (s *Server) Delete(csmID, entity, id string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tenants[csmID]
	if t == nil {
		return 0
	}
	k := rowKey{entity, id}
	if r := t.rows[k]; r == nil || r.deleted {
		return 0
	}
	t.seq++
	t.rows[k] = &row{seq: t.seq, deleted: true}
	t.log = append(t.log, logEntry{seq: t.seq, key: k})
	return t.seq
}

// Compact squashes the CSM's history to one upsert per live entity and
// forgets deletes, so every cursor older than now gets 410 cursor_expired.
func (s *Server) Compact(csmID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tenants[csmID]
	if t == nil {
		return
	}
	t.floor = t.seq
	t.log = t.log[:0:0]
	for k, r := range t.rows {
		if r.deleted {
			delete(t.rows, k)
			continue
		}
		t.log = append(t.log, logEntry{seq: r.seq, key: k})
	}
	slices.SortFunc(t.log, func(a, b logEntry) int { return cmp.Compare(a.seq, b.seq) })
}

// Book returns the CSM's current book as a correct client would hold it:
// every live, valid entity, decoded as DecodeEntity does (text cut), each
// list ordered by id.
func (s *Server) Book(csmID string) model.Book {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tenants[csmID]
	if t == nil {
		return model.Book{}
	}
	keys := make([]rowKey, 0, len(t.rows))
	for k, r := range t.rows {
		if !r.deleted {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b rowKey) int {
		return cmp.Or(cmp.Compare(a.entity, b.entity), cmp.Compare(a.id, b.id))
	})
	b := model.Book{CSM: t.csm}
	for _, k := range keys {
		v, err := DecodeEntity(k.entity, t.rows[k].data)
		if err != nil {
			continue
		}
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
	return b
}

// MutationCount says how many mutations the server applied for the CSM,
// superseded last-writer-wins ones included; duplicates and rejections do
// not count.
func (s *Server) MutationCount(csmID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.tenants[csmID]; t != nil {
		return t.applied
	}
	return 0
}

// serverRoute is one endpoint of API.md.
type serverRoute struct {
	method string
	handle func(s *Server, w http.ResponseWriter, r *http.Request, t *tenant)
}

var serverRoutes = map[string]serverRoute{
	APIPrefix + "/me":        {http.MethodGet, (*Server).handleMe},
	APIPrefix + "/changes":   {http.MethodGet, (*Server).handleChanges},
	APIPrefix + "/mutations": {http.MethodPost, (*Server).handleMutations},
}

// Handler serves API.md.
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
	t := s.authenticate(r)
	if t == nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="csm"`)
		s.fail(w, r, http.StatusUnauthorized, CodeUnauthorized, "missing or unknown bearer token")
		return
	}
	rt.handle(s, w, r, t)
}

// authenticate finds the tenant of the request's bearer token, comparing
// every token in constant time so timing does not leak a prefix.
func (s *Server) authenticate(r *http.Request) *tenant {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil
	}
	token = strings.TrimSpace(token)
	var found *tenant
	for _, t := range s.tenants {
		if t.token != "" && subtle.ConstantTimeCompare([]byte(t.token), []byte(token)) == 1 {
			found = t
		}
	}
	return found
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request, t *tenant) {
	s.reply(w, r, http.StatusOK, Me{CSM: t.csm, ServerTime: s.now().UTC().Truncate(time.Second)})
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
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
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

// fail writes an error in the shape of API.md.
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
