package sync

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
)

// Page sizes of GET /changes.
const (
	DefaultPageLimit = 1000
	MaxPageLimit     = 5000
)

// feedCursor is what a cursor says. It travels as base64url JSON, which
// clients treat as opaque.
type feedCursor struct {
	Epoch string `json:"e"`
	CSM   string `json:"c"`
	Seq   int64  `json:"s"` // every change up to Seq has been sent
	// FullAt is the feed's latest seq when a full sync started. Deletes up
	// to it are not sent: the client never saw what they delete.
	FullAt int64 `json:"f,omitempty"`
}

func (c feedCursor) encode() string {
	return base64.RawURLEncoding.EncodeToString(encodeModel(c))
}

// handleChanges serves one page of the feed.
//
// A page holds, in seq order, the latest change of every entity changed
// after the cursor: an entity changed twice is sent once, at its newest
// place. So a full sync (no cursor) is one upsert per live entity, and an
// incremental one sends only what changed. The same cursor gives the same
// page until the feed changes; after that, an entity the page had may move
// to a later page, never out of the walk.
func (s *Server) handleChanges(w http.ResponseWriter, r *http.Request, t *tenant) {
	q := r.URL.Query()
	limit := DefaultPageLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxPageLimit {
			s.fail(w, r, http.StatusBadRequest, CodeBadRequest, "limit must be an integer from 1 to "+strconv.Itoa(MaxPageLimit))
			return
		}
		limit = n
	}

	s.mu.Lock()
	cur := feedCursor{Epoch: s.epoch, CSM: t.csm.ID, FullAt: t.seq}
	status, code, msg := http.StatusOK, "", ""
	if v := q.Get("cursor"); v != "" {
		cur, status, code, msg = s.readCursor(v, t)
	}
	var page Page
	if status == http.StatusOK {
		page = t.page(cur, limit)
	}
	s.mu.Unlock()

	if status != http.StatusOK {
		s.fail(w, r, status, code, msg)
		return
	}
	s.replyBody(w, r, http.StatusOK, appendPage(nil, page))
}

// readCursor decodes a cursor of t's feed; on failure it gives the status,
// code and message to answer with. The caller holds s.mu.
func (s *Server) readCursor(v string, t *tenant) (feedCursor, int, string, string) {
	var c feedCursor
	raw, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil || json.Unmarshal(raw, &c) != nil || c.Seq < 0 {
		return c, http.StatusBadRequest, CodeBadRequest, "cursor is not one this server gave out"
	}
	if c.CSM != t.csm.ID {
		return c, http.StatusBadRequest, CodeBadRequest, "cursor belongs to another book"
	}
	// Compaction forgot the deletes up to floor. A full sync skips those
	// up to FullAt anyway, so only a cursor short of both has lost any.
	if c.Epoch != s.epoch || max(c.Seq, c.FullAt) < t.floor {
		return c, http.StatusGone, CodeCursorExpired, "cursor is too old: start again with a full sync"
	}
	if c.Seq > t.seq {
		return c, http.StatusBadRequest, CodeBadRequest, "cursor is ahead of the feed"
	}
	return c, http.StatusOK, "", ""
}

// page collects up to limit changes after cur. The caller holds s.mu.
func (t *tenant) page(cur feedCursor, limit int) Page {
	p := Page{Changes: []Change{}}
	last := cur.Seq
	i := sort.Search(len(t.log), func(i int) bool { return t.log[i].seq > cur.Seq })
	for ; i < len(t.log); i++ {
		e := t.log[i]
		r := t.rows[e.key]
		if r == nil || r.seq != e.seq {
			// A later change of the same entity comes further on.
			last = e.seq
			continue
		}
		if r.deleted && e.seq <= cur.FullAt {
			last = e.seq
			continue
		}
		if len(p.Changes) == limit {
			p.HasMore = true
			break
		}
		c := Change{Seq: e.seq, Entity: e.key.entity, Op: OpUpsert, ID: e.key.id, Data: r.data}
		if r.deleted {
			c.Op, c.Data = OpDelete, nil
		}
		p.Changes = append(p.Changes, c)
		last = e.seq
	}
	if !p.HasMore {
		last = t.seq
	}
	next := feedCursor{Epoch: cur.Epoch, CSM: cur.CSM, Seq: last}
	if last < cur.FullAt {
		next.FullAt = cur.FullAt
	}
	p.NextCursor = next.encode()
	return p
}

// appendPage writes a page as JSON by hand. The entities' data is the
// server's own JSON, stored as it was encoded; json.Marshal would scan and
// compact every byte of it again, which was a third of the time of serving
// a full sync.
func appendPage(b []byte, p Page) []byte {
	b = append(b, `{"changes":[`...)
	for i, c := range p.Changes {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"seq":`...)
		b = strconv.AppendInt(b, c.Seq, 10)
		b = append(b, `,"entity":`...)
		b = appendJSONString(b, c.Entity)
		b = append(b, `,"op":`...)
		b = appendJSONString(b, c.Op)
		b = append(b, `,"id":`...)
		b = appendJSONString(b, c.ID)
		if len(c.Data) > 0 {
			b = append(b, `,"data":`...)
			b = append(b, c.Data...)
		}
		b = append(b, '}')
	}
	b = append(b, `],"next_cursor":`...)
	b = appendJSONString(b, p.NextCursor)
	b = append(b, `,"has_more":`...)
	b = strconv.AppendBool(b, p.HasMore)
	return append(b, '}')
}

// appendJSONString appends s as a JSON string (ids may hold anything).
func appendJSONString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always encodes
	return append(b, q...)
}
