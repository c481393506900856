package status

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"csm/data"
)

// Report is `csm status --json`. Its field names are an interface for
// scripts: fields are added, never renamed or removed.
type Report struct {
	LastSync *LastSync       `json:"last_sync"` // null: never synced
	Server   ServerReport    `json:"server"`
	Waiting  Waiting         `json:"waiting"`
	Rejected []RejectedEntry `json:"rejected"`
	Database Database        `json:"database"`
	// BookAsOf is the book's latest usage day (YYYY-MM-DD); null before
	// any usage was synced.
	BookAsOf *string `json:"book_as_of"`
}

// LastSync is the last sync that ended well.
type LastSync struct {
	At      time.Time `json:"at"`
	Summary string    `json:"summary"`
}

// ServerReport is the configured server; url is "" when there is none.
type ServerReport struct {
	URL        string `json:"url"`
	Configured bool   `json:"configured"`
	Token      string `json:"token"` // where the token comes from, never the token
}

// Waiting is the outbox: changes made here, not yet pushed.
type Waiting struct {
	Total  int         `json:"total"`
	ByType []TypeCount `json:"by_type"`
}

// TypeCount counts the waiting changes of one mutation type.
type TypeCount struct {
	Type  string `json:"type"`
	Count int    `json:"count"`
}

// RejectedEntry is a change the server refused, kept here.
type RejectedEntry struct {
	ID           string    `json:"id"`
	Type         string    `json:"type"`
	AccountID    string    `json:"account_id"`
	AccountName  string    `json:"account_name"`
	At           time.Time `json:"at"`
	ErrorCode    string    `json:"error_code"`
	ErrorMessage string    `json:"error_message"`
}

// Database is the local database file.
type Database struct {
	Path          string `json:"path"`
	SizeBytes     int64  `json:"size_bytes"`
	SchemaVersion int    `json:"schema_version"`
}

// ReportOf is the JSON report of a store's status.
func ReportOf(st data.Status, srv Server) Report {
	r := Report{
		Server:   ServerReport{URL: srv.URL, Configured: srv.URL != "", Token: srv.Token},
		Waiting:  Waiting{Total: st.Pending, ByType: []TypeCount{}},
		Rejected: []RejectedEntry{},
		Database: Database{Path: st.Path, SizeBytes: st.Size, SchemaVersion: st.SchemaVersion},
	}
	if !st.LastSyncAt.IsZero() {
		r.LastSync = &LastSync{At: st.LastSyncAt.UTC(), Summary: st.LastSyncSummary}
	}
	for _, c := range st.PendingByType {
		r.Waiting.ByType = append(r.Waiting.ByType, TypeCount{Type: c.Type, Count: c.Count})
	}
	for _, c := range st.Rejected {
		r.Rejected = append(r.Rejected, RejectedEntry{ID: c.ID, Type: c.Type, AccountID: c.AccountID,
			AccountName: c.AccountName, At: c.At.UTC(), ErrorCode: c.ErrorCode, ErrorMessage: c.ErrorMsg})
	}
	if st.AsOfKnown {
		day := st.AsOf.String()
		r.BookAsOf = &day
	}
	return r
}

// WriteJSON writes the report as one JSON object. Text goes out as stored:
// the encoder escapes control characters, so none reaches a terminal raw.
func WriteJSON(w io.Writer, st data.Status, srv Server) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ReportOf(st, srv)); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}
