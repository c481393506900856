package data

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// fault classifies an error of this store's database and makes sure what
// it says is true: damage is said only once a fresh check on one snapshot
// confirms it, and a table or column that vanished is explained by the
// newer csm that upgraded the file, when that is what happened.
func (s *Store) fault(ctx context.Context, err error) error {
	err = classify(s.path, err)
	var dbe *DBError
	switch {
	case errors.As(err, &dbe) && dbe.Kind == ErrCorrupt && dbe.Err != nil:
		if !s.confirmDamage(ctx) {
			return &DBError{Kind: ErrIO, Path: s.path, Err: dbe.Err,
				Detail: "a read failed, but a check of the file finds nothing wrong; try again"}
		}
		return s.withHolders(err)
	case errors.As(err, &dbe) && dbe.Kind == ErrLocked:
		return s.withHolders(err)
	case err != nil && schemaChanged(err):
		if v, verr := s.schemaVersion(ctx); verr == nil && v > SchemaVersion {
			return newerSchema(s.path, v)
		}
	}
	return err
}

// confirmDamage checks every page of the file on a connection of its own.
// A check that cannot run at all confirms nothing either way: the error
// stands as SQLite gave it.
func (s *Store) confirmDamage(ctx context.Context) bool {
	db, err := openReadOnly(s.path, 0)
	if err != nil {
		return true
	}
	defer db.Close()
	return checkDB(ctx, db, true) != nil
}

// withHolders adds the other csm processes to a damage report, so that it
// does not send the CSM to `csm repair` while another csm has the file
// open.
func (s *Store) withHolders(err error) error {
	var dbe *DBError
	if s.locks != nil && errors.As(err, &dbe) && (dbe.Kind == ErrCorrupt || dbe.Kind == ErrInUse) && dbe.Others == nil {
		dbe.Others = s.locks.holders()
	}
	if s.locks != nil && errors.As(err, &dbe) && dbe.Kind == ErrLocked && dbe.Others == nil {
		// The write lock is SQLite's and names nobody; the writers among
		// the other csm processes are the ones that can hold it.
		for _, h := range s.locks.holders() {
			if h.Writes {
				dbe.Others = append(dbe.Others, h)
			}
		}
	}
	return err
}

// schemaChanged recognises SQLite's words for a schema this csm does not
// know.
func schemaChanged(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "no such column") || strings.Contains(msg, "no such table")
}

func newerSchema(path string, v int) error {
	return &DBError{Kind: ErrNewerSchema, Path: path, Detail: fmt.Sprintf("schema %d", v)}
}

// readOnlyCause says why the database at path cannot be written, in a few
// words, or "" when it can (as far as the file system tells).
func readOnlyCause(path string) string {
	dir := filepath.Dir(path)
	if err := writable(dir); errors.Is(err, syscall.EROFS) {
		return "it is on a read-only file system"
	}
	if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
		if err := writable(path); err != nil {
			return "the file is read-only"
		}
	}
	if dirUnwritable(dir) {
		return "its directory " + dir + " is read-only"
	}
	return ""
}

// dirUnwritable says whether files cannot be made in dir.
func dirUnwritable(dir string) bool {
	err := writable(dir)
	return err != nil && !errors.Is(err, syscall.ENOENT)
}

// readOnlyError is the error of a write where nothing can be written.
func readOnlyError(path, dir string) error {
	cause := readOnlyCause(path)
	if cause == "" {
		cause = "its directory " + dir + " is read-only"
	}
	return &DBError{Kind: ErrReadOnly, Path: path, Detail: cause}
}
