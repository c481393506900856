package sync

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"

	"csm/model"
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
func (s *Server) handleChanges(w http.ResponseWriter, r *http.Request, csm model.CSM) {
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
	epoch, err := s.store.Epoch(r.Context())
	if err != nil {
		s.unavailable(w, r, err)
		return
	}
	cur := feedCursor{Epoch: epoch, CSM: csm.ID, FullAt: -1}
	if v := q.Get("cursor"); v != "" {
		var ok bool
		if cur, ok = s.decodeCursor(w, r, v, csm); !ok {
			return
		}
	}
	fullAt := cur.FullAt
	if fullAt < 0 {
		// A full sync: no delete the feed holds now is worth sending.
		fullAt = 1<<63 - 1
	}
	f, err := s.store.ReadFeed(r.Context(), csm.ID, cur.Seq, fullAt, limit)
	if err != nil {
		s.unavailable(w, r, err)
		return
	}
	if status, code, msg := checkCursor(cur, epoch, f); status != http.StatusOK {
		s.fail(w, r, status, code, msg)
		return
	}
	s.replyBody(w, r, http.StatusOK, appendPage(nil, pageOf(cur, f)))
}

// decodeCursor reads a cursor given out for csm; false when it answered
// the request with why not.
func (s *Server) decodeCursor(w http.ResponseWriter, r *http.Request, v string, csm model.CSM) (feedCursor, bool) {
	var c feedCursor
	raw, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil || json.Unmarshal(raw, &c) != nil || c.Seq < 0 {
		s.fail(w, r, http.StatusBadRequest, CodeBadRequest, "cursor is not one this server gave out")
		return c, false
	}
	if c.CSM != csm.ID {
		s.fail(w, r, http.StatusBadRequest, CodeBadRequest, "cursor belongs to another book")
		return c, false
	}
	return c, true
}

// checkCursor says whether the feed read can still answer the cursor.
func checkCursor(c feedCursor, epoch string, f FeedRead) (int, string, string) {
	if c.FullAt < 0 {
		return http.StatusOK, "", "" // no cursor: a full sync is always possible
	}
	// Compaction forgot the deletes up to floor. A full sync skips those
	// up to FullAt anyway, so only a cursor short of both has lost any.
	if c.Epoch != epoch || max(c.Seq, c.FullAt) < f.Floor {
		return http.StatusGone, CodeCursorExpired, "cursor is too old: start again with a full sync"
	}
	// A cursor past the head comes from a history this server no longer
	// has (its database was restored from an older backup): the client
	// can only start again, and a full resync keeps what it made.
	if c.Seq > f.Head {
		return http.StatusGone, CodeCursorExpired, "cursor is ahead of this server's feed (was it restored from a backup?): start again with a full sync"
	}
	return http.StatusOK, "", ""
}

// pageOf makes the page of a feed read, with the cursor that follows it:
// past the last change sent, or, when none come after, at the head.
func pageOf(cur feedCursor, f FeedRead) Page {
	fullAt := cur.FullAt
	if fullAt < 0 {
		fullAt = f.Head // a full sync starts at the head of the feed
	}
	last := f.Head
	if f.HasMore {
		last = f.Changes[len(f.Changes)-1].Seq
	}
	next := feedCursor{Epoch: cur.Epoch, CSM: cur.CSM, Seq: last}
	if last < fullAt {
		next.FullAt = fullAt
	}
	return Page{Changes: f.Changes, NextCursor: next.encode(), HasMore: f.HasMore, HeadSeq: f.Head}
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
	if p.HeadSeq > 0 {
		b = append(b, `,"head_seq":`...)
		b = strconv.AppendInt(b, p.HeadSeq, 10)
	}
	return append(b, '}')
}

// appendJSONString appends s as a JSON string (ids may hold anything).
func appendJSONString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always encodes
	return append(b, q...)
}
