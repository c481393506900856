// Package sync holds the REST contract of docs/API.md: its wire types, the client
// engine that pulls the change feed and pushes local mutations, and the
// reference server that implements the contract.
package sync

import (
	"encoding/json"
	"time"

	"csm/model"
)

// APIPrefix is the path under which every endpoint lives.
const APIPrefix = "/api/v1"

// Entity names of the change feed: model's entity kinds, named here too
// because the wire code reads them on every line.
const (
	EntityAccount       = model.EntityAccount
	EntityContact       = model.EntityContact
	EntityFeature       = model.EntityFeature
	EntityUsageMonth    = model.EntityUsageMonth
	EntityNPS           = model.EntityNPS
	EntityPlaybook      = model.EntityPlaybook
	EntityChecklist     = model.EntityChecklist
	EntityNote          = model.EntityNote
	EntityTask          = model.EntityTask
	EntityChecklistItem = model.EntityChecklistItem
	EntityPlayRun       = model.EntityPlayRun
	EntitySnooze        = model.EntitySnooze
)

// Operations of the change feed.
const (
	OpUpsert = "upsert"
	OpDelete = "delete"
)

// Change is one entry of the feed as it travels.
type Change struct {
	Seq    int64           `json:"seq"`
	Entity string          `json:"entity"`
	Op     string          `json:"op"`
	ID     string          `json:"id"`
	Data   json.RawMessage `json:"data,omitempty"`
}

// Page is one answer of GET /changes.
type Page struct {
	Changes    []Change `json:"changes"`
	NextCursor string   `json:"next_cursor"`
	HasMore    bool     `json:"has_more"`
	// HeadSeq is the seq of the feed's newest change when the page was
	// read: an optional field the reference server adds (a server may add
	// fields, docs/API.md), from which a client shows how far a sync has
	// got. A client works without it (0).
	HeadSeq int64 `json:"head_seq,omitempty"`
}

// Me is the answer of GET /me.
type Me struct {
	CSM        model.CSM `json:"csm"`
	ServerTime time.Time `json:"server_time"`
	// Extensions names what the server takes beyond docs/API.md (an
	// added field, which a client that does not know it ignores): "snooze"
	// for snooze.set and the snooze entity, model.Extensions.
	Extensions []string `json:"extensions,omitempty"`
}

// APIError is the body of every error answer.
type APIError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ErrorBody wraps an APIError as it travels.
type ErrorBody struct {
	Error APIError `json:"error"`
}

// Error codes the reference server uses.
const (
	CodeUnauthorized  = "unauthorized"
	CodeCursorExpired = "cursor_expired"
	CodeBadRequest    = "bad_request"
	CodeNotFound      = "not_found"
	CodeInvalid       = "invalid"
	CodeTooLarge      = "too_large"
)

// Mutation types.
const (
	MutNoteCreate     = model.MutNoteCreate
	MutNoteRevise     = model.MutNoteRevise
	MutTaskCreate     = model.MutTaskCreate
	MutTaskSetDone    = model.MutTaskSetDone
	MutChecklistSet   = model.MutChecklistSet
	MutPlayStart      = model.MutPlayStart
	MutPlaySetStep    = model.MutPlaySetStep
	MutPlayClose      = model.MutPlayClose
	MutContactCreate  = model.MutContactCreate
	MutContactUpdate  = model.MutContactUpdate
	MutTaskSetDue     = model.MutTaskSetDue
	MutSnoozeSet      = model.MutSnoozeSet
	MaxMutationsBatch = 500
)

// Mutation is one local change pushed to the server.
type Mutation struct {
	ID   string          `json:"id"`
	Type string          `json:"type"`
	At   time.Time       `json:"at"`
	Data json.RawMessage `json:"data"`
}

// MutationsRequest is the body of POST /mutations.
type MutationsRequest struct {
	Mutations []Mutation `json:"mutations"`
}

// Result statuses of a pushed mutation.
const (
	StatusApplied   = "applied"
	StatusDuplicate = "duplicate"
	StatusRejected  = "rejected"
)

// MutationResult is the server's answer to one mutation.
type MutationResult struct {
	ID         string    `json:"id"`
	Status     string    `json:"status"`
	Error      *APIError `json:"error,omitempty"`
	Seq        int64     `json:"seq,omitempty"`
	Superseded bool      `json:"superseded,omitempty"`
}

// MutationsResponse is the answer of POST /mutations.
type MutationsResponse struct {
	Results []MutationResult `json:"results"`
}
