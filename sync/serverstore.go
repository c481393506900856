package sync

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"csm/model"
)

// ServerStore is what the server keeps: every CSM's book as the current
// state of each entity and a change feed, the CSMs and their tokens, and
// the first answer to every mutation. The HTTP handlers and the mutation
// rules are the same whatever holds it; MemoryStore holds it in memory
// (the demo, tests), SQLStore in SQLite or PostgreSQL (a team).
//
// The feed of a CSM is gap-free: a change is given a seq only under the
// CSM's write lock and is visible once it commits, so a reader that has
// passed seq N never meets a later commit below N.
type ServerStore interface {
	// Epoch names this store's history; a cursor of another epoch has
	// expired. It never changes while the store exists.
	Epoch(ctx context.Context) (string, error)
	// CSMByToken finds the CSM a bearer token belongs to, or
	// ErrUnknownToken.
	CSMByToken(ctx context.Context, token string) (model.CSM, error)
	// ReadFeed reads, in one snapshot, the CSM's feed state and the
	// latest change of every entity changed after seq after, up to limit
	// of them; deletes at or below fullAt are left out.
	ReadFeed(ctx context.Context, csmID string, after, fullAt int64, limit int) (FeedRead, error)
	// Write runs fn in one transaction on the CSM's book, alone among
	// the writers of that book; what fn wrote commits only if it returns
	// nil.
	Write(ctx context.Context, csmID string, fn func(BookTx) error) error
	// ReadBook lists every entity of the CSM's book, deleted ones too,
	// in seq order.
	ReadBook(ctx context.Context, csmID string) ([]StoredEntity, error)
	// Compact forgets deletes and superseded changes, so every cursor
	// older than now expires.
	Compact(ctx context.Context, csmID string) error
	// AppliedCount says how many mutations were applied for the CSM.
	AppliedCount(ctx context.Context, csmID string) (int, error)
	// Ping says whether the store answers.
	Ping(ctx context.Context) error
	Close() error
}

// ErrUnknownToken: no CSM has this token.
var ErrUnknownToken = errors.New("unknown token")

// ErrNoCSM: the store has no such CSM.
var ErrNoCSM = errors.New("no such CSM")

// FeedRead is one read of a CSM's feed.
type FeedRead struct {
	Head  int64 // the latest seq of the feed
	Floor int64 // compaction point: cursors below it expired
	// Changes are in seq order; HasMore says more come after the last.
	Changes []Change
	HasMore bool
}

// StoredEntity is the current state of one entity of a book.
type StoredEntity struct {
	Entity, ID string
	Seq        int64
	Deleted    bool
	Data       json.RawMessage // nil when deleted
}

// BookTx is a write transaction on one CSM's book.
type BookTx interface {
	// CSM is the book's owner.
	CSM() model.CSM
	// Get reads the current state of an entity; found is false when it
	// was never stored (or compacted away after its delete).
	Get(entity, id string) (e StoredEntity, found bool, err error)
	// Put stores a new state of an entity and appends it to the feed,
	// returning its seq. Data is kept byte for byte.
	Put(entity, id string, data json.RawMessage) (int64, error)
	// Delete marks an entity deleted and appends that to the feed.
	Delete(entity, id string) (int64, error)
	// Result is the first answer given to a mutation id, if any.
	Result(mutationID string) (MutationResult, bool, error)
	// SaveResult records the first answer to a mutation id.
	SaveResult(mutationID string, r MutationResult) error
	// LastWrite is the time of the winning write to a last-writer-wins
	// target, if any.
	LastWrite(target string) (time.Time, bool, error)
	SetLastWrite(target string, at time.Time) error
	// IDTaken says whether a client-made id of entity is used in any
	// book: ids are global, so no book can take another's.
	IDTaken(entity, id string) (bool, error)
}

// TeamStore is a ServerStore on a real database (SQLite or PostgreSQL):
// the team server's, with its CSMs and tokens managed by `csm admin`.
type TeamStore interface {
	ServerStore
	// Migrate creates or upgrades the schema and returns its version.
	Migrate(ctx context.Context) (int, error)
	// AddCSM adds a CSM with the hash of its first token (see
	// HashToken); an email already used is ErrCSMExists.
	AddCSM(ctx context.Context, csm model.CSM, tokenHash string) error
	// SetToken replaces the CSM's token hash, revoking the old token.
	SetToken(ctx context.Context, email, tokenHash string) error
	// RevokeToken leaves the CSM without a token: nobody can sign in
	// as them until SetToken.
	RevokeToken(ctx context.Context, email string) error
	// CSMs lists every CSM, by email; tokens are never listed.
	CSMs(ctx context.Context) ([]CSMInfo, error)
	// WriteBooks runs fn in one transaction over the books of several
	// CSMs, each alone among its writers (they are locked in id order, so
	// two such transactions never deadlock): an import is all or nothing.
	WriteBooks(ctx context.Context, csmIDs []string, fn func(map[string]BookTx) error) error
}

// CSMInfo is a CSM as `csm admin user list` shows it.
type CSMInfo struct {
	CSM       model.CSM
	HasToken  bool
	CreatedAt time.Time
}

// ErrCSMExists: a CSM with that email is already there.
var ErrCSMExists = errors.New("a CSM with that email already exists")

// TokenPrefix starts every token NewToken makes, so a leaked one is easy
// to recognise (and to search for in logs and repositories).
const TokenPrefix = "csm_"

// NewToken makes a bearer token: 32 random bytes, base64url, after
// TokenPrefix. crypto/rand never fails on the systems Go supports.
func NewToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is what a TeamStore keeps of a token: its SHA-256, in hex. A
// fast unsalted hash is enough because tokens are 256 random bits, not
// passwords: nobody can guess one from its hash, and the same token always
// hashes alike, so a sign-in is one lookup by the hash.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
