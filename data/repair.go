package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// Check reads every page of the database at path (PRAGMA quick_check) and
// changes nothing. It returns nil for a sound file, a *DBError of kind
// ErrCorrupt for a damaged one.
func Check(ctx context.Context, path string) error {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("there is no database at %s: %w", path, err)
	}
	if err != nil {
		return classify(path, err)
	}
	if fi.Size() == 0 {
		return nil
	}
	db, err := openReadOnly(path, 10*time.Second)
	if err != nil {
		return fmt.Errorf("open database %s: %w", path, err)
	}
	defer db.Close()
	return classify(path, checkDB(ctx, db, true))
}

// RepairReport is what a repair saved.
type RepairReport struct {
	// DamagedCopy is where the damaged file was copied, as it was.
	DamagedCopy string
	// Changes is the number of unsent changes found in the damaged file;
	// Kept of them were carried over, Unreadable could not be read back.
	Changes, Kept, Unreadable int
	// Rows counts the local rows (notes, follow-ups, checklist ticks, play
	// runs) carried so the screens show the kept changes before the next
	// sync; RowsLost could not be read, but their changes still reach the
	// server, which sends the rows back.
	Rows, RowsLost int
}

func (r RepairReport) String() string {
	return fmt.Sprintf("kept %d of %d unsent changes; %d unreadable", r.Kept, r.Changes, r.Unreadable)
}

// Repair rebuilds a damaged database. It copies the file (and its WAL,
// which may hold the latest changes) aside to <path>.damaged-<time>,
// builds a fresh database next to it, carries over every outbox entry it
// can still read, and the local rows they describe, then puts the fresh
// file in place. The server's data comes back with the next sync.
//
// Outbox entries keep their id, so a change the server had already received
// before the damage is recognised as a duplicate, not applied twice.
//
// No other csm may have the file open meanwhile: one that does would keep
// writing to the replaced file, and its writes would be lost. Repair holds
// the database alone, or refuses with ErrInUse, naming the others.
func Repair(ctx context.Context, path string, now time.Time) (RepairReport, error) {
	var rep RepairReport
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return rep, fmt.Errorf("there is no database at %s: %w", path, err)
		}
		return rep, classify(path, err)
	}
	locks, err := holdAlone(path, "a repair replaces the file")
	if err != nil {
		return rep, err
	}
	defer locks.close()
	damaged, err := copyAside(path, now)
	if err != nil {
		return rep, err
	}
	rep.DamagedCopy = damaged

	fresh := path + ".repair"
	if err := removeFiles(fresh, fresh+"-wal", fresh+"-shm"); err != nil {
		return rep, classify(path, err)
	}
	st, err := Open(ctx, fresh)
	if err != nil {
		return rep, err
	}
	defer os.RemoveAll(locksDir(fresh))
	src, err := openReadOnly(damaged, 10*time.Second)
	if err != nil {
		st.Close()
		return rep, fmt.Errorf("open the damaged copy %s: %w", damaged, err)
	}
	err = salvage(ctx, src, st, &rep)
	src.Close()
	// The read-only connection made an index file, and an empty WAL when
	// the damaged file had none: SQLite's, nothing of the user's.
	removeFiles(damaged + "-shm")
	if fi, serr := os.Stat(damaged + "-wal"); serr == nil && fi.Size() == 0 {
		removeFiles(damaged + "-wal")
	}
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return rep, fmt.Errorf("rebuild the database: %w (the damaged copy is at %s)", classify(path, err), damaged)
	}

	// The damaged file's WAL must go before the fresh file takes its
	// place: SQLite would replay it over the new pages. Both are in the
	// damaged copy.
	if err := removeFiles(path+"-wal", path+"-shm", fresh+"-shm"); err != nil {
		return rep, classify(path, err)
	}
	if err := os.Rename(fresh, path); err != nil {
		return rep, classify(path, err)
	}
	if _, err := os.Stat(fresh + "-wal"); err == nil {
		if err := os.Rename(fresh+"-wal", path+"-wal"); err != nil {
			return rep, classify(path, err)
		}
	}
	return rep, nil
}

// holdAlone takes the database at path for this process alone: no other
// csm may open it until the returned locks are closed. why says what needs
// it alone, for the message when another csm has it open.
func holdAlone(path, why string) (*dbLocks, error) {
	l, err := openLocks(path)
	if errors.Is(err, errNoLockFile) {
		return nil, readOnlyError(path, filepath.Dir(path))
	}
	if err != nil {
		return nil, classify(path, fmt.Errorf("open the lock files: %w", err))
	}
	if err := l.enter(5 * time.Second); err != nil {
		l.close()
		return nil, &DBError{Kind: ErrInUse, Path: path, Detail: why, Others: l.holders(), Err: err}
	}
	ok, err := l.db.tryLock(true)
	if err == nil && !ok {
		err = &DBError{Kind: ErrInUse, Path: path, Detail: why, Others: l.holders()}
	}
	if err != nil {
		l.close()
		return nil, classify(path, err)
	}
	return l, nil
}

// copyAside copies the database file and its WAL to
// <path>.damaged-<time>[-wal], synced, and returns the copy's path.
func copyAside(path string, now time.Time) (string, error) {
	base := path + ".damaged-" + now.Format("20060102-150405")
	dst := base
	for i := 2; ; i++ {
		if _, err := os.Stat(dst); errors.Is(err, os.ErrNotExist) {
			break
		}
		dst = base + "-" + strconv.Itoa(i)
	}
	if err := copyFile(path, dst); err != nil {
		return "", classify(path, err)
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		if err := copyFile(path+"-wal", dst+"-wal"); err != nil {
			return "", classify(path, err)
		}
	}
	return dst, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(dst)
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		os.Remove(dst)
		return err
	}
	return out.Close()
}

func removeFiles(paths ...string) error {
	for _, p := range paths {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// outboxRow is an outbox entry as stored, every column kept verbatim.
type outboxRow struct {
	seq                                                int64
	id, typ, at, entity, entityID, accountID, data, st string
	errCode, errMsg, createdAt                         string
	attempts                                           int64
}

// salvage carries what src still holds of the outbox, and the rows it
// describes, into the fresh store dst, in one transaction.
func salvage(ctx context.Context, src *sql.DB, dst *Store, rep *RepairReport) error {
	seqs := outboxSeqs(ctx, src)
	rep.Changes = len(seqs)
	var kept []outboxRow
	for _, seq := range seqs {
		r, err := readOutboxRow(ctx, src, seq)
		if err != nil {
			rep.Unreadable++
			continue
		}
		kept = append(kept, r)
	}
	return dst.inTx(ctx, func(tx *sql.Tx) error {
		for _, r := range kept {
			_, err := tx.ExecContext(ctx, `INSERT INTO outbox (seq, id, type, at, entity, entity_id, account_id, data,
				state, error_code, error_message, attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				r.seq, r.id, r.typ, r.at, r.entity, r.entityID, r.accountID, r.data, r.st, r.errCode, r.errMsg, r.attempts, r.createdAt)
			if err != nil {
				// A row whose damage passed the checks of readOutboxRow
				// (a repeated id, say) is unreadable too.
				rep.Unreadable++
				continue
			}
			rep.Kept++
		}
		carried := map[string]bool{} // "table id" and "accounts id" already carried
		for _, r := range kept {
			t := tables[r.entity]
			key := t.name + " " + r.entityID
			if carried[key] {
				continue
			}
			carried[key] = true
			switch ok, err := carryRow(ctx, src, tx, t.name, r.entityID, carried); {
			case err != nil:
				return err
			case ok:
				rep.Rows++
			default:
				rep.RowsLost++
			}
		}
		return nil
	})
}

// outboxSeqs finds the seq of every outbox entry that can still be found.
// A damaged page stops a scan where it lies, so the table is scanned from
// both ends, and so are the two indexes, which live on pages of their own.
func outboxSeqs(ctx context.Context, src *sql.DB) []int64 {
	found := map[int64]bool{}
	for _, q := range []string{
		"SELECT seq FROM outbox ORDER BY seq",
		"SELECT seq FROM outbox ORDER BY seq DESC",
		"SELECT seq FROM outbox INDEXED BY outbox_state ORDER BY state, seq",
		"SELECT seq FROM outbox INDEXED BY outbox_state ORDER BY state DESC, seq DESC",
		"SELECT seq FROM outbox INDEXED BY outbox_entity ORDER BY entity, entity_id",
		"SELECT seq FROM outbox INDEXED BY outbox_entity ORDER BY entity DESC, entity_id DESC",
	} {
		rows, err := src.QueryContext(ctx, q)
		if err != nil {
			continue
		}
		for rows.Next() {
			var seq int64
			if rows.Scan(&seq) != nil {
				break
			}
			found[seq] = true
		}
		rows.Close() // an error here is the damage: keep what was found
	}
	seqs := make([]int64, 0, len(found))
	for s := range found {
		seqs = append(seqs, s)
	}
	slices.Sort(seqs)
	return seqs
}

// readOutboxRow reads one entry and checks that it is whole enough to send.
func readOutboxRow(ctx context.Context, src *sql.DB, seq int64) (outboxRow, error) {
	r := outboxRow{seq: seq}
	err := src.QueryRowContext(ctx, "SELECT "+outboxCols+" FROM outbox WHERE seq = ?", seq).Scan(
		&r.seq, &r.id, &r.typ, &r.at, &r.entity, &r.entityID, &r.accountID, &r.data,
		&r.st, &r.errCode, &r.errMsg, &r.attempts, &r.createdAt)
	if err != nil {
		return r, err
	}
	t, ok := tables[r.entity]
	switch {
	case uuid.Validate(r.id) != nil:
		return r, fmt.Errorf("outbox %d: id %q is not a UUID", seq, r.id)
	case !ok || !t.accountScoped || r.typ == "" || r.entityID == "":
		return r, fmt.Errorf("outbox %d: unknown change %q on %q", seq, r.typ, r.entity)
	case r.st != StatePending && r.st != StateRejected:
		return r, fmt.Errorf("outbox %d: state %q", seq, r.st)
	case !json.Valid([]byte(r.data)):
		return r, fmt.Errorf("outbox %d: data is not JSON", seq)
	}
	return r, nil
}

// carryRow copies one local row (and its account, which it needs) from src
// into tx. It reports false when the damaged copy cannot give them back;
// err is for a failure of the fresh database only.
func carryRow(ctx context.Context, src *sql.DB, tx *sql.Tx, table, id string, carried map[string]bool) (bool, error) {
	var accountID, data string
	if err := src.QueryRowContext(ctx, "SELECT account_id, data FROM "+table+" WHERE id = ?", id).Scan(&accountID, &data); err != nil {
		return false, nil
	}
	if !json.Valid([]byte(data)) {
		return false, nil
	}
	if !carried["accounts "+accountID] {
		var name, adata string
		if err := src.QueryRowContext(ctx, "SELECT name, data FROM accounts WHERE id = ?", accountID).Scan(&name, &adata); err != nil || !json.Valid([]byte(adata)) {
			return false, nil
		}
		// gen 0: the first sync, a full one, refreshes the account or
		// sweeps it if the server no longer has it.
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO accounts (id, name, data, gen) VALUES (?, ?, ?, 0)", accountID, name, adata); err != nil {
			return false, err
		}
		carried["accounts "+accountID] = true
	}
	if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO "+table+" (id, account_id, data, gen) VALUES (?, ?, ?, 0)", id, accountID, data); err != nil {
		return false, err
	}
	return true, nil
}
