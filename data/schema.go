package data

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations[i] brings the schema from version i to i+1. A migration is
// never edited once released: a change of schema is a new entry.
//
// Server data lives in one table per entity: the columns the queries filter
// or join on, and the entity itself as JSON in data. gen is the full-sync
// generation that last wrote the row, so a full resync can sweep what the
// server no longer has only once the whole new copy has arrived.
var migrations = []string{
	// 1: the server's data and the sync cursor.
	`
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE accounts (
	id TEXT PRIMARY KEY, name TEXT NOT NULL, data TEXT NOT NULL, gen INTEGER NOT NULL
) STRICT;
CREATE TABLE contacts (
	id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	data TEXT NOT NULL, gen INTEGER NOT NULL
) STRICT;
CREATE INDEX contacts_account ON contacts(account_id);
CREATE TABLE features (id TEXT PRIMARY KEY, data TEXT NOT NULL, gen INTEGER NOT NULL) STRICT;
CREATE TABLE usage_months (
	id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	month TEXT NOT NULL, data TEXT NOT NULL, gen INTEGER NOT NULL
) STRICT;
CREATE INDEX usage_account ON usage_months(account_id, month);
CREATE TABLE nps (
	id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	data TEXT NOT NULL, gen INTEGER NOT NULL
) STRICT;
CREATE INDEX nps_account ON nps(account_id);
CREATE TABLE playbooks (id TEXT PRIMARY KEY, data TEXT NOT NULL, gen INTEGER NOT NULL) STRICT;
CREATE TABLE checklists (id TEXT PRIMARY KEY, data TEXT NOT NULL, gen INTEGER NOT NULL) STRICT;
CREATE TABLE notes (
	id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	data TEXT NOT NULL, gen INTEGER NOT NULL
) STRICT;
CREATE INDEX notes_account ON notes(account_id);
CREATE TABLE tasks (
	id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	data TEXT NOT NULL, gen INTEGER NOT NULL
) STRICT;
CREATE INDEX tasks_account ON tasks(account_id);
CREATE TABLE checklist_items (
	id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	data TEXT NOT NULL, gen INTEGER NOT NULL
) STRICT;
CREATE INDEX checklist_items_account ON checklist_items(account_id);
CREATE TABLE play_runs (
	id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	data TEXT NOT NULL, gen INTEGER NOT NULL
) STRICT;
CREATE INDEX play_runs_account ON play_runs(account_id);
`,
	// 2: metrics computed after each sync, so screens read rows instead of
	// recomputing a book on a keypress.
	`
CREATE TABLE metrics (
	account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
	urgency INTEGER NOT NULL, health REAL NOT NULL, data TEXT NOT NULL
) STRICT;
CREATE TABLE book_metrics (id INTEGER PRIMARY KEY CHECK (id = 1), data TEXT NOT NULL) STRICT;
`,
	// 3: the outbox of offline changes, and full-text search over notes
	// and follow-ups. An outbox row is written in the same transaction as
	// the local row it describes; its id is the mutation's idempotency key.
	`
CREATE TABLE outbox (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	id TEXT NOT NULL UNIQUE,
	type TEXT NOT NULL,
	at TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	account_id TEXT NOT NULL,
	data TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'rejected')),
	error_code TEXT NOT NULL DEFAULT '',
	error_message TEXT NOT NULL DEFAULT '',
	attempts INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL
) STRICT;
CREATE INDEX outbox_state ON outbox(state, seq);
CREATE INDEX outbox_entity ON outbox(entity, entity_id);

CREATE VIRTUAL TABLE notes_fts USING fts5(body, next_steps, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
	INSERT INTO notes_fts (rowid, body, next_steps)
	VALUES (new.rowid, json_extract(new.data, '$.body'), coalesce((SELECT group_concat(value, char(10)) FROM json_each(new.data, '$.next_steps')), ''));
END;
CREATE TRIGGER notes_fts_update AFTER UPDATE OF data ON notes BEGIN
	DELETE FROM notes_fts WHERE rowid = old.rowid;
	INSERT INTO notes_fts (rowid, body, next_steps)
	VALUES (new.rowid, json_extract(new.data, '$.body'), coalesce((SELECT group_concat(value, char(10)) FROM json_each(new.data, '$.next_steps')), ''));
END;
CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
	DELETE FROM notes_fts WHERE rowid = old.rowid;
END;
CREATE VIRTUAL TABLE tasks_fts USING fts5(title, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER tasks_fts_insert AFTER INSERT ON tasks BEGIN
	INSERT INTO tasks_fts (rowid, title) VALUES (new.rowid, json_extract(new.data, '$.title'));
END;
CREATE TRIGGER tasks_fts_update AFTER UPDATE OF data ON tasks BEGIN
	DELETE FROM tasks_fts WHERE rowid = old.rowid;
	INSERT INTO tasks_fts (rowid, title) VALUES (new.rowid, json_extract(new.data, '$.title'));
END;
CREATE TRIGGER tasks_fts_delete AFTER DELETE ON tasks BEGIN
	DELETE FROM tasks_fts WHERE rowid = old.rowid;
END;
INSERT INTO notes_fts (rowid, body, next_steps)
	SELECT rowid, json_extract(data, '$.body'), coalesce((SELECT group_concat(value, char(10)) FROM json_each(data, '$.next_steps')), '') FROM notes;
INSERT INTO tasks_fts (rowid, title) SELECT rowid, json_extract(data, '$.title') FROM tasks;
`,
	// 4: what changed at the last recompute, snoozes, and a compact copy of
	// each account's keys and health to diff against without decoding the
	// whole metrics row.
	`
ALTER TABLE metrics ADD COLUMN brief TEXT NOT NULL DEFAULT '{}';
CREATE TABLE metric_changes (
	seq INTEGER PRIMARY KEY,
	account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	data TEXT NOT NULL
) STRICT;
CREATE TABLE snoozes (
	account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	key TEXT NOT NULL,
	until TEXT NOT NULL,
	PRIMARY KEY (account_id, key)
) STRICT;
`,
	// 5: each account's book row, so the first screen decodes a few
	// hundred bytes per account instead of every series and sentence.
	// Forgetting the thresholds' hash makes the next open recompute, which
	// fills the new column.
	`
ALTER TABLE metrics ADD COLUMN row TEXT NOT NULL DEFAULT '';
DELETE FROM meta WHERE key = 'thresholds_hash';
`,
	// 6: usage columns packed as varints for the recompute (see
	// usagebin.go); rows written before it are read from their JSON.
	`
ALTER TABLE usage_months ADD COLUMN bin BLOB;
`,
	// 7: the search index holds text as the screen shows it (csm_clean,
	// the one sanitizer, registered in search.go), so a snippet never
	// starts inside an escape sequence and shows what it hid.
	`
DROP TRIGGER notes_fts_insert;
DROP TRIGGER notes_fts_update;
DROP TRIGGER tasks_fts_insert;
DROP TRIGGER tasks_fts_update;
CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
	INSERT INTO notes_fts (rowid, body, next_steps) VALUES (new.rowid, csm_clean(json_extract(new.data, '$.body')), csm_clean(coalesce((SELECT group_concat(value, char(10)) FROM json_each(new.data, '$.next_steps')), '')));
END;
CREATE TRIGGER notes_fts_update AFTER UPDATE OF data ON notes BEGIN
	DELETE FROM notes_fts WHERE rowid = old.rowid;
	INSERT INTO notes_fts (rowid, body, next_steps) VALUES (new.rowid, csm_clean(json_extract(new.data, '$.body')), csm_clean(coalesce((SELECT group_concat(value, char(10)) FROM json_each(new.data, '$.next_steps')), '')));
END;
CREATE TRIGGER tasks_fts_insert AFTER INSERT ON tasks BEGIN
	INSERT INTO tasks_fts (rowid, title) VALUES (new.rowid, csm_clean(json_extract(new.data, '$.title')));
END;
CREATE TRIGGER tasks_fts_update AFTER UPDATE OF data ON tasks BEGIN
	DELETE FROM tasks_fts WHERE rowid = old.rowid;
	INSERT INTO tasks_fts (rowid, title) VALUES (new.rowid, csm_clean(json_extract(new.data, '$.title')));
END;
DELETE FROM notes_fts;
DELETE FROM tasks_fts;
INSERT INTO notes_fts (rowid, body, next_steps)
	SELECT rowid, csm_clean(json_extract(data, '$.body')), csm_clean(coalesce((SELECT group_concat(value, char(10)) FROM json_each(data, '$.next_steps')), '')) FROM notes;
INSERT INTO tasks_fts (rowid, title) SELECT rowid, csm_clean(json_extract(data, '$.title')) FROM tasks;
`,
	// 8: book rows move to a table of their own, packed (bookrow.go). In
	// metrics the row came after the large data column, so reading it
	// walked data's overflow pages for every account on every start. The
	// next open recomputes to fill it.
	`
CREATE TABLE book_rows (
	account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
	row BLOB NOT NULL
) STRICT;
ALTER TABLE metrics DROP COLUMN row;
DELETE FROM meta WHERE key = 'thresholds_hash';
`,
	// 9: what this device created (notes, their revisions, follow-ups,
	// contacts), in the order it created them, so that a full resync
	// from a server that lost some of them (restored from an older
	// backup) queues them again instead of sweeping them away. Creations
	// still in the outbox are the ones known at the upgrade.
	`
CREATE TABLE created_here (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	entity TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	UNIQUE (entity, entity_id)
) STRICT;
INSERT OR IGNORE INTO created_here (entity, entity_id)
	SELECT entity, entity_id FROM outbox WHERE type IN ('note.create', 'note.revise', 'task.create', 'contact.create') ORDER BY seq;
`,
	// 10: what the entities do not keep, for the account timeline
	// (timeline.go): a follow-up's due day moving, a contact becoming
	// champion (each as this device saw it: made here, or brought by a
	// sync), a contact added on this device. Triggers write it in the
	// transaction of the change itself; history begins at the upgrade,
	// with the contacts added here still waiting in the outbox.
	`
CREATE TABLE timeline_history (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	entity TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	change TEXT NOT NULL CHECK (change IN ('due', 'champion', 'added')),
	before TEXT NOT NULL DEFAULT '',
	after TEXT NOT NULL DEFAULT '',
	at TEXT NOT NULL
) STRICT;
CREATE INDEX timeline_history_account ON timeline_history(account_id, seq);
CREATE TRIGGER timeline_task_due AFTER UPDATE OF data ON tasks
WHEN json_extract(old.data, '$.due_on') IS NOT json_extract(new.data, '$.due_on')
BEGIN
	INSERT INTO timeline_history (account_id, entity, entity_id, change, before, after, at)
	VALUES (new.account_id, 'task', new.id, 'due', coalesce(json_extract(old.data, '$.due_on'), ''),
		coalesce(json_extract(new.data, '$.due_on'), ''), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER timeline_contact_champion AFTER UPDATE OF data ON contacts
WHEN json_extract(new.data, '$.is_champion') = 1 AND coalesce(json_extract(old.data, '$.is_champion'), 0) = 0
BEGIN
	INSERT INTO timeline_history (account_id, entity, entity_id, change, at)
	VALUES (new.account_id, 'contact', new.id, 'champion', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER timeline_contact_added AFTER INSERT ON outbox
WHEN new.type = 'contact.create' AND EXISTS (SELECT 1 FROM accounts WHERE id = new.account_id)
BEGIN
	INSERT INTO timeline_history (account_id, entity, entity_id, change, at)
	VALUES (new.account_id, 'contact', new.entity_id, 'added', new.at);
END;
INSERT INTO timeline_history (account_id, entity, entity_id, change, at)
	SELECT account_id, 'contact', entity_id, 'added', at FROM outbox
	WHERE type = 'contact.create' AND account_id IN (SELECT id FROM accounts) ORDER BY seq;
`,
	// 11: snoozes sync (the snooze entity and snooze.set, model/snooze.go): their
	// states move to an entity table; the ones set before keep working on
	// this device and reach the server the next time they change.
	`
CREATE TABLE snooze_states (
	id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
	data TEXT NOT NULL, gen INTEGER NOT NULL
) STRICT;
CREATE INDEX snooze_states_account ON snooze_states(account_id);
INSERT INTO snooze_states (id, account_id, data, gen)
	SELECT account_id || '/' || key, account_id,
		json_object('id', account_id || '/' || key, 'account_id', account_id, 'key', key, 'until', until,
			'changed_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), 0
	FROM snoozes;
DROP TABLE snoozes;
`,
}

// SchemaVersion is the version a fully migrated database has.
var SchemaVersion = len(migrations)

func (s *Store) migrate(ctx context.Context) error {
	return migrateTo(ctx, s.db, SchemaVersion)
}

// migrateTo applies the migrations up to version target, each in its own
// transaction together with its user_version bump, so a crash between two
// leaves the database at a known version.
func migrateTo(ctx context.Context, db *sql.DB, target int) error {
	var v int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if v > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this csm understands (%d): upgrade csm", v, len(migrations))
	}
	for ; v < target; v++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate to version %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to version %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to version %d: %w", v+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate to version %d: %w", v+1, err)
		}
	}
	return nil
}
