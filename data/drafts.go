package data

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"csm/model"
)

// Drafts keep a note that is being written outside the database, in a
// directory beside it, so the words survive what the database cannot see:
// a terminal closed under the editor, an editor that fails, a process
// killed mid-sentence, or a database that refuses the write. Each draft is
// one JSON file named by the note id it will be saved under; CreateNote
// saves a given id once, so restoring a draft never makes a second note.

// Where a draft was typed.
const (
	DraftFromTUI = "tui"
	DraftFromCLI = "cli"
)

// DraftsSuffix is added to the database's path to name its drafts directory.
const DraftsSuffix = ".drafts"

const (
	draftExt = ".json"
	// maxDraftFile bounds what is read of one file: a note body is at most
	// model.MaxBodyBytes, so anything far larger is not a draft of ours.
	maxDraftFile = 4 * model.MaxBodyBytes
)

// DraftStep is a next step as typed.
type DraftStep struct {
	Title string `json:"title"`
	// Due is the due day as YYYY-MM-DD, or the text as typed while it
	// does not read as a day yet ("fr" on the way to "fri"): a draft keeps
	// what was typed, even half of it.
	Due string `json:"due,omitempty"`
}

// Draft is a note not saved yet.
type Draft struct {
	// ID is the id the note gets when saved, made when the draft starts.
	ID         string      `json:"id"`
	AccountID  string      `json:"account_id"`
	Kind       string      `json:"kind"`
	HappenedAt time.Time   `json:"happened_at"`
	Body       string      `json:"body"`
	NextSteps  []DraftStep `json:"next_steps"`
	UpdatedAt  time.Time   `json:"updated_at"`
	Source     string      `json:"source"`
	// Seq orders the snapshots of one draft: Save drops a snapshot older
	// than one it already wrote. 0 means "after the last one".
	Seq int64 `json:"seq"`
}

// NewDraft starts a draft for an account with a fresh note id.
func NewDraft(accountID, kind, source string, happenedAt time.Time) Draft {
	return Draft{ID: NewDraftID(), AccountID: accountID, Kind: kind, HappenedAt: happenedAt, Source: source}
}

// NewDraftID makes the id a draft's note will be saved under.
func NewDraftID() string { return uuid.NewString() }

// Empty says whether the draft holds no words worth keeping.
func (d Draft) Empty() bool {
	if strings.TrimSpace(d.Body) != "" {
		return false
	}
	return !slices.ContainsFunc(d.NextSteps, func(s DraftStep) bool { return strings.TrimSpace(s.Title) != "" })
}

// NewNote is the note the draft saves as, under the draft's id. A due text
// that is not a day stays in the step's title, where the CSM will see it,
// rather than be dropped.
func (d Draft) NewNote() NewNote {
	in := NewNote{ID: d.ID, AccountID: d.AccountID, Kind: d.Kind, HappenedAt: d.HappenedAt, Body: strings.TrimSpace(d.Body)}
	for _, s := range d.NextSteps {
		title, due := strings.TrimSpace(s.Title), strings.TrimSpace(s.Due)
		if title == "" {
			continue
		}
		step := NextStep{Title: title}
		if day, err := model.ParseDate(due); err == nil {
			step.DueOn = &day
		} else if due != "" {
			step.Title += " due " + due
		}
		in.NextSteps = append(in.NextSteps, step)
	}
	return in
}

// UnreadableDraft is a file in the drafts directory that is not a draft
// csm can read. It is reported and left alone: it may hold someone's words.
type UnreadableDraft struct {
	Path string
	Err  error
}

// Drafts is the drafts directory of one database. Saves of one draft are
// serialised, and one that comes after a newer snapshot is dropped, so the
// file always holds the newest text however the writes were scheduled.
type Drafts struct {
	dir string

	mu      sync.Mutex
	entries map[string]*draftEntry
}

// draftEntry is what this process knows of one draft's file.
type draftEntry struct {
	mu      sync.Mutex
	seq     int64 // of the snapshot last written
	removed bool
}

// One Drafts per directory in the process, so that every screen and command
// writing a draft shares its ordering.
var (
	draftsMu    sync.Mutex
	draftsByDir = map[string]*Drafts{}
)

// Drafts returns the drafts kept beside the database. It does no I/O: the
// directory is made by the first Save.
func (s *Store) Drafts() *Drafts { return DraftsIn(s.Path() + DraftsSuffix) }

// DraftsIn returns the drafts kept in dir.
func DraftsIn(dir string) *Drafts {
	dir = filepath.Clean(dir)
	draftsMu.Lock()
	defer draftsMu.Unlock()
	d, ok := draftsByDir[dir]
	if !ok {
		d = &Drafts{dir: dir, entries: map[string]*draftEntry{}}
		draftsByDir[dir] = d
	}
	return d
}

// Dir is the drafts directory.
func (d *Drafts) Dir() string { return d.dir }

// Path is the file of the draft with this id.
func (d *Drafts) Path(id string) string { return filepath.Join(d.dir, id+draftExt) }

func (d *Drafts) entry(id string) *draftEntry {
	d.mu.Lock()
	defer d.mu.Unlock()
	e, ok := d.entries[id]
	if !ok {
		e = &draftEntry{}
		d.entries[id] = e
	}
	return e
}

// isCanonicalUUID accepts only the canonical form of a UUID, which is
// also what keeps an id from naming a file outside the directory.
func isCanonicalUUID(id string) bool {
	u, err := uuid.Parse(id)
	return err == nil && u.String() == id
}

// Save writes a draft, replacing its previous version atomically: a kill
// during the write leaves the previous version whole. A snapshot older than
// one already written, or of a draft removed in this process, is dropped.
func (d *Drafts) Save(dr Draft) error {
	if !isCanonicalUUID(dr.ID) {
		return fmt.Errorf("save draft: %w: %q is not a draft id", ErrInvalid, dr.ID)
	}
	if dr.AccountID == "" {
		return fmt.Errorf("save draft %s: %w: it names no account", dr.ID, ErrInvalid)
	}
	e := d.entry(dr.ID)
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case e.removed:
		// A write queued before the note was saved must not bring back
		// the draft of a saved or discarded note.
		return nil
	case dr.Seq == 0:
		dr.Seq = e.seq + 1
	case dr.Seq <= e.seq:
		return nil
	}
	if dr.UpdatedAt.IsZero() {
		dr.UpdatedAt = now()
	}
	raw, err := json.MarshalIndent(dr, "", "  ")
	if err != nil {
		return fmt.Errorf("save draft %s: %w", dr.ID, err)
	}
	if err := d.ensureDir(); err != nil {
		return err
	}
	if err := writeFileAtomic(d.Path(dr.ID), raw); err != nil {
		return fmt.Errorf("save draft %s: %w", dr.ID, err)
	}
	e.seq = dr.Seq
	return nil
}

// ensureDir makes the directory private: drafts are the CSM's notes.
func (d *Drafts) ensureDir() error {
	if err := os.MkdirAll(d.dir, 0o700); err != nil {
		return fmt.Errorf("make drafts directory: %w", err)
	}
	fi, err := os.Stat(d.dir)
	if err != nil {
		return fmt.Errorf("drafts directory: %w", err)
	}
	if fi.Mode().Perm() != 0o700 {
		if err := os.Chmod(d.dir, 0o700); err != nil {
			return fmt.Errorf("make drafts directory private: %w", err)
		}
	}
	return nil
}

// writeFileAtomic writes a file of mode 0600 through a temporary file in the
// same directory and a rename, which replaces the old file in one step.
func writeFileAtomic(path string, raw []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp") // mode 0600
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(raw)
	if err == nil {
		// Durable before it replaces the old version: a power cut must
		// not leave an empty file where yesterday's draft was.
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// Remove deletes a draft, once its note is saved or the CSM discarded it.
// Removing a draft that is not there is not an error.
func (d *Drafts) Remove(id string) error {
	if !isCanonicalUUID(id) {
		return fmt.Errorf("remove draft: %w: %q is not a draft id", ErrInvalid, id)
	}
	e := d.entry(id)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.removed = true
	if err := os.Remove(d.Path(id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove draft %s: %w", id, err)
	}
	return nil
}

// List returns every readable draft, newest first, and the files that are
// not readable drafts. A directory that does not exist holds no drafts.
func (d *Drafts) List() ([]Draft, []UnreadableDraft, error) {
	ents, err := os.ReadDir(d.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read drafts: %w", err)
	}
	var drafts []Draft
	var bad []UnreadableDraft
	for _, ent := range ents {
		name := ent.Name()
		// Dot files are the temporary files of writes in progress (or
		// cut short); other names are not ours.
		if strings.HasPrefix(name, ".") || !strings.HasSuffix(name, draftExt) {
			continue
		}
		path := filepath.Join(d.dir, name)
		dr, err := readDraft(path, strings.TrimSuffix(name, draftExt))
		if err != nil {
			bad = append(bad, UnreadableDraft{Path: path, Err: err})
			continue
		}
		drafts = append(drafts, dr)
	}
	slices.SortFunc(drafts, func(a, b Draft) int {
		if c := b.UpdatedAt.Compare(a.UpdatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return drafts, bad, nil
}

// ForAccount returns the account's readable drafts, newest first; List
// reports the files it cannot read.
func (d *Drafts) ForAccount(accountID string) ([]Draft, error) {
	all, _, err := d.List()
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(dr Draft) bool { return dr.AccountID != accountID }), nil
}

// readDraft reads one draft file, which must be a regular file holding the
// draft its name says.
func readDraft(path, id string) (Draft, error) {
	var dr Draft
	f, err := os.Open(path)
	if err != nil {
		return dr, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return dr, err
	} else if !fi.Mode().IsRegular() {
		return dr, errors.New("not a regular file")
	}
	raw, err := io.ReadAll(io.LimitReader(f, maxDraftFile+1))
	if err != nil {
		return dr, err
	}
	if len(raw) > maxDraftFile {
		return dr, fmt.Errorf("larger than %d bytes", maxDraftFile)
	}
	if err := json.Unmarshal(raw, &dr); err != nil {
		return dr, fmt.Errorf("not a draft: %w", err)
	}
	switch {
	case !isCanonicalUUID(id):
		return dr, fmt.Errorf("%q is not a draft id", id)
	case dr.ID != id:
		return dr, fmt.Errorf("holds draft %q, not %q", dr.ID, id)
	case dr.AccountID == "":
		return dr, errors.New("names no account")
	}
	return dr, nil
}
