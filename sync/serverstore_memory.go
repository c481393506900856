package sync

import (
	"cmp"
	"context"
	"crypto/subtle"
	"encoding/json"
	"slices"
	"sort"
	gosync "sync"
	"time"

	"csm/model"
)

// MemoryStore keeps the server's books in memory: the demo's and the
// tests' store. Nothing survives the process, so its epoch is new on every
// start and a client's old cursor expires instead of silently skipping
// changes. One mutex guards it all.
type MemoryStore struct {
	mu      gosync.Mutex
	epoch   string
	tenants map[string]*tenant // by CSM id; the map itself never changes
}

// tenant is one CSM's state in memory.
type tenant struct {
	csm   model.CSM
	token string

	seq   int64                // the latest seq of the feed
	floor int64                // compaction point: cursors below it expired
	rows  map[rowKey]*row      // current state of every entity, deleted ones too
	log   []logEntry           // every change in seq order (see ReadFeed)
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

// NewMemoryStore holds the books of tenants. A tenant's feed starts with
// one upsert per entity, catalogues first and dependents after, so a
// client can apply it in order. Later tenants replace earlier ones of the
// same CSM id; a tenant with an empty token cannot sign in.
func NewMemoryStore(tenants []Tenant) *MemoryStore {
	s := &MemoryStore{epoch: newEpoch(), tenants: map[string]*tenant{}}
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

// upsert records the new state of an entity and appends it to the feed.
func (t *tenant) upsert(entity, id string, data json.RawMessage) int64 {
	t.seq++
	k := rowKey{entity, id}
	t.rows[k] = &row{seq: t.seq, data: data}
	t.log = append(t.log, logEntry{seq: t.seq, key: k})
	return t.seq
}

func (s *MemoryStore) Epoch(context.Context) (string, error) { return s.epoch, nil }

// CSMByToken compares every token in constant time, so timing does not
// leak a prefix.
func (s *MemoryStore) CSMByToken(_ context.Context, token string) (model.CSM, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var found *tenant
	for _, t := range s.tenants {
		if t.token != "" && subtle.ConstantTimeCompare([]byte(t.token), []byte(token)) == 1 {
			found = t
		}
	}
	if found == nil {
		return model.CSM{}, ErrUnknownToken
	}
	return found.csm, nil
}

// ReadFeed walks the log from after: an entry whose entity changed again
// later is skipped, since the later change comes further on.
func (s *MemoryStore) ReadFeed(_ context.Context, csmID string, after, fullAt int64, limit int) (FeedRead, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tenants[csmID]
	if t == nil {
		return FeedRead{}, ErrNoCSM
	}
	f := FeedRead{Head: t.seq, Floor: t.floor, Changes: []Change{}}
	i := sort.Search(len(t.log), func(i int) bool { return t.log[i].seq > after })
	for ; i < len(t.log); i++ {
		e := t.log[i]
		r := t.rows[e.key]
		if r == nil || r.seq != e.seq || (r.deleted && e.seq <= fullAt) {
			continue
		}
		if len(f.Changes) == limit {
			f.HasMore = true
			break
		}
		c := Change{Seq: e.seq, Entity: e.key.entity, Op: OpUpsert, ID: e.key.id, Data: r.data}
		if r.deleted {
			c.Op, c.Data = OpDelete, nil
		}
		f.Changes = append(f.Changes, c)
	}
	return f, nil
}

func (s *MemoryStore) Write(_ context.Context, csmID string, fn func(BookTx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tenants[csmID]
	if t == nil {
		return ErrNoCSM
	}
	tx := &memTx{s: s, t: t, seq: t.seq, logLen: len(t.log), applied: t.applied}
	if err := fn(tx); err != nil {
		tx.undo()
		return err
	}
	return nil
}

func (s *MemoryStore) ReadBook(_ context.Context, csmID string) ([]StoredEntity, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tenants[csmID]
	if t == nil {
		return nil, ErrNoCSM
	}
	out := make([]StoredEntity, 0, len(t.rows))
	for k, r := range t.rows {
		out = append(out, StoredEntity{Entity: k.entity, ID: k.id, Seq: r.seq, Deleted: r.deleted, Data: r.data})
	}
	slices.SortFunc(out, func(a, b StoredEntity) int { return cmp.Compare(a.Seq, b.Seq) })
	return out, nil
}

func (s *MemoryStore) Compact(_ context.Context, csmID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tenants[csmID]
	if t == nil {
		return ErrNoCSM
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
	return nil
}

func (s *MemoryStore) AppliedCount(_ context.Context, csmID string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.tenants[csmID]; t != nil {
		return t.applied, nil
	}
	return 0, ErrNoCSM
}

func (s *MemoryStore) Ping(context.Context) error { return nil }
func (s *MemoryStore) Close() error               { return nil }

// memTx writes to a tenant under the store's mutex and remembers what it
// replaced, so a failed transaction leaves the tenant as it was.
type memTx struct {
	s       *MemoryStore
	t       *tenant
	seq     int64
	logLen  int
	applied int
	undos   []func()
}

func (tx *memTx) CSM() model.CSM { return tx.t.csm }

func (tx *memTx) Get(entity, id string) (StoredEntity, bool, error) {
	r := tx.t.rows[rowKey{entity, id}]
	if r == nil {
		return StoredEntity{}, false, nil
	}
	return StoredEntity{Entity: entity, ID: id, Seq: r.seq, Deleted: r.deleted, Data: r.data}, true, nil
}

func (tx *memTx) Put(entity, id string, data json.RawMessage) (int64, error) {
	tx.keepRow(rowKey{entity, id})
	return tx.t.upsert(entity, id, slices.Clone(data)), nil
}

func (tx *memTx) Delete(entity, id string) (int64, error) {
	k := rowKey{entity, id}
	tx.keepRow(k)
	t := tx.t
	t.seq++
	t.rows[k] = &row{seq: t.seq, deleted: true}
	t.log = append(t.log, logEntry{seq: t.seq, key: k})
	return t.seq, nil
}

// keepRow remembers the row at k, to put it back on undo.
func (tx *memTx) keepRow(k rowKey) {
	old, had := tx.t.rows[k]
	tx.undos = append(tx.undos, func() {
		if had {
			tx.t.rows[k] = old
		} else {
			delete(tx.t.rows, k)
		}
	})
}

func (tx *memTx) Result(id string) (MutationResult, bool, error) {
	r, ok := tx.t.results[id]
	return r, ok, nil
}

func (tx *memTx) SaveResult(id string, r MutationResult) error {
	tx.undos = append(tx.undos, func() { delete(tx.t.results, id) })
	tx.t.results[id] = r
	if r.Status == StatusApplied {
		tx.t.applied++
	}
	return nil
}

func (tx *memTx) LastWrite(target string) (time.Time, bool, error) {
	at, ok := tx.t.lww[target]
	return at, ok, nil
}

func (tx *memTx) SetLastWrite(target string, at time.Time) error {
	old, had := tx.t.lww[target]
	tx.undos = append(tx.undos, func() {
		if had {
			tx.t.lww[target] = old
		} else {
			delete(tx.t.lww, target)
		}
	})
	tx.t.lww[target] = at
	return nil
}

func (tx *memTx) IDTaken(entity, id string) (bool, error) {
	for _, t := range tx.s.tenants {
		if t.rows[rowKey{entity, id}] != nil {
			return true, nil
		}
	}
	return false, nil
}

// undo puts back, newest first, what the transaction replaced.
func (tx *memTx) undo() {
	for i := len(tx.undos) - 1; i >= 0; i-- {
		tx.undos[i]()
	}
	tx.t.seq = tx.seq
	tx.t.log = tx.t.log[:tx.logLen]
	tx.t.applied = tx.applied
}
