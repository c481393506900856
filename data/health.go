package data

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"syscall"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The kinds of trouble with the database file that the user can act on.
// Errors from Open and from every write carry one of them, so callers can
// tell them apart with errors.Is; the message says what to do.
var (
	// ErrCorrupt: the file is damaged or is not a database. Nothing was
	// written to it; `csm repair` rebuilds it.
	ErrCorrupt = errors.New("database damaged")
	// ErrLocked: another process held the write lock longer than the busy
	// timeout.
	ErrLocked = errors.New("database locked by another csm")
	// ErrReadOnly: the file or its directory cannot be created or written.
	ErrReadOnly = errors.New("database not writable")
	// ErrDiskFull: the disk (or the database's size cap) is full.
	ErrDiskFull = errors.New("disk full")
	// ErrIO: the operating system reported an I/O error.
	ErrIO = errors.New("disk I/O error")
	// ErrNewerSchema: a newer csm upgraded the database; this one cannot
	// read it.
	ErrNewerSchema = errors.New("database upgraded by a newer csm")
	// ErrInUse: the work needs the database alone (an upgrade, a repair)
	// and another csm has it open.
	ErrInUse = errors.New("database in use by another csm")
)

// DBError is a failure of the database file, with the sentence that tells
// the user what is wrong and what to do.
type DBError struct {
	Kind   error  // ErrCorrupt, ErrLocked, ErrReadOnly, ErrDiskFull or ErrIO
	Path   string // the database file
	Detail string // the cause, in a few words
	Err    error  // the underlying error, nil when a check found the fault
	// Others are the other csm processes that had the database open,
	// when that matters to what the user should do.
	Others []Holder
}

func (e *DBError) Error() string {
	switch e.Kind {
	case ErrCorrupt:
		if len(e.Others) > 0 {
			return fmt.Sprintf("the database at %s is damaged (%s). Your file was left as it was. "+
				"Quit the other csm (%s) first, then run `csm repair` to rebuild it from the server and keep the changes not yet sent.",
				e.Path, e.Detail, describeHolders(e.Others))
		}
		return fmt.Sprintf("the database at %s is damaged (%s). Your file was left as it was. "+
			"Run `csm repair` to rebuild it from the server and keep the changes not yet sent.", e.Path, e.Detail)
	case ErrLocked:
		if len(e.Others) > 0 && (e.Detail == "" || e.Detail == "locked") {
			return fmt.Sprintf("another csm (%s) is writing to the database at %s; try again in a moment", describeHolders(e.Others), e.Path)
		}
		if len(e.Others) > 0 {
			return fmt.Sprintf("another csm (%s) holds the database at %s (%s); try again in a moment", describeHolders(e.Others), e.Path, e.Detail)
		}
		if e.Detail != "" && e.Detail != "locked" {
			return fmt.Sprintf("another csm holds the database at %s (%s); try again in a moment", e.Path, e.Detail)
		}
		return fmt.Sprintf("another csm is writing to %s; try again in a moment", e.Path)
	case ErrReadOnly:
		return fmt.Sprintf("cannot write the database at %s: %s. Reading commands (status, accounts, brief, search) still work; to change anything, fix the permissions or choose another directory with --data-dir or CSM_DATA_DIR", e.Path, e.Detail)
	case ErrNewerSchema:
		return fmt.Sprintf("the database at %s was upgraded by a newer csm (%s); this one knows up to schema %d — update csm", e.Path, e.Detail, SchemaVersion)
	case ErrInUse:
		if len(e.Others) == 0 {
			return fmt.Sprintf("the database at %s is open in another csm and %s, which must be done alone: quit the other csm first, then try again", e.Path, e.Detail)
		}
		return fmt.Sprintf("the database at %s is open in another csm (%s) and %s, which must be done alone: quit the other csm first, then try again", e.Path, describeHolders(e.Others), e.Detail)
	case ErrDiskFull:
		return fmt.Sprintf("the disk holding %s is full; free some space and try again", e.Path)
	default:
		return fmt.Sprintf("the disk holding %s reported an error (%s); check that the disk is present and healthy, then try again", e.Path, e.Detail)
	}
}

// Unwrap lets errors.Is find both the kind and the original error.
func (e *DBError) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// corrupt is the error of a check that found the file damaged.
func corrupt(path, detail string) error {
	return &DBError{Kind: ErrCorrupt, Path: path, Detail: detail}
}

// classify turns an SQLite or file-system error about the database at path
// into a *DBError of the matching kind. Any other error (a constraint, a
// missing row, a cancelled context) is returned unchanged.
func classify(path string, err error) error {
	if err == nil {
		return nil
	}
	// A DBError says all there is to say: the steps that led to it
	// ("open database …", "begin: …") would only repeat its path.
	var done *DBError
	if errors.As(err, &done) {
		if done.Path == "" {
			done.Path = path
		}
		return done
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		kind, detail := sqliteKind(se.Code())
		if kind == nil {
			return err
		}
		if kind == ErrIO || kind == ErrReadOnly {
			// SQLite says "I/O error" or "cannot open" for a read-only
			// file system; the file system says which it is.
			if ro := readOnlyCause(path); ro != "" {
				return &DBError{Kind: ErrReadOnly, Path: path, Detail: ro, Err: err}
			}
		}
		return &DBError{Kind: kind, Path: path, Detail: detail, Err: err}
	}
	// Errors from the file system around the database (making the data
	// directory, copying a file aside).
	var pe *fs.PathError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
			return &DBError{Kind: ErrDiskFull, Path: path, Err: err}
		case errors.Is(err, syscall.EROFS):
			return &DBError{Kind: ErrReadOnly, Path: path, Detail: "it is on a read-only file system", Err: err}
		case errors.Is(err, fs.ErrPermission):
			return &DBError{Kind: ErrReadOnly, Path: path, Detail: "permission denied on " + pe.Path, Err: err}
		case errors.Is(err, syscall.ENOTDIR), errors.Is(err, fs.ErrExist):
			return &DBError{Kind: ErrReadOnly, Path: path, Detail: pe.Path + " is a file, not a directory", Err: err}
		case errors.Is(err, fs.ErrNotExist) && pe.Op == "mkdir":
			return &DBError{Kind: ErrReadOnly, Path: path, Detail: "the directory " + pe.Path + " cannot be created", Err: err}
		case errors.Is(err, fs.ErrNotExist):
			return &DBError{Kind: ErrReadOnly, Path: path, Detail: pe.Path + " does not exist", Err: err}
		case errors.Is(err, syscall.EIO):
			return &DBError{Kind: ErrIO, Path: path, Detail: "input/output error", Err: err}
		}
	}
	return err
}

// sqliteKind maps an SQLite result code (primary or extended) to a kind,
// or nil for the codes that are not about the file.
func sqliteKind(code int) (kind error, detail string) {
	switch code & 0xff {
	case sqlite3.SQLITE_CORRUPT:
		return ErrCorrupt, "the database disk image is malformed"
	case sqlite3.SQLITE_NOTADB:
		return ErrCorrupt, "the file is not a database"
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return ErrLocked, "locked"
	case sqlite3.SQLITE_READONLY:
		return ErrReadOnly, "the file is read-only"
	case sqlite3.SQLITE_CANTOPEN:
		return ErrReadOnly, "the file cannot be opened or created"
	case sqlite3.SQLITE_PERM:
		return ErrReadOnly, "permission denied"
	case sqlite3.SQLITE_FULL:
		return ErrDiskFull, "full"
	case sqlite3.SQLITE_IOERR:
		// A short read means the file ends before its pages do: it was
		// truncated.
		if code == sqlite3.SQLITE_IOERR_SHORT_READ {
			return ErrCorrupt, "the file is shorter than it should be"
		}
		return ErrIO, "disk I/O error"
	}
	return nil, ""
}

// checkReport turns the first problem quick_check reports into a few words
// for the message: which page is damaged, when it says.
func checkReport(s string) string {
	if m := pageRE.FindStringSubmatch(s); m != nil {
		return "page " + m[1] + " of the file is unreadable"
	}
	// quick_check starts its report with a heading line naming the schema.
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "*** in database") {
		_, s, _ = strings.Cut(s, "\n")
	}
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return "the check found: " + s
}

var pageRE = regexp.MustCompile(`\bpage (\d+)`)
