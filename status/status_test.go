package status

import (
	"strings"
	"testing"
	"time"

	"csm/data"
	"csm/model"
)

func TestWrite(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.Local)
	tests := []struct {
		name    string
		st      data.Status
		srv     Server
		want    []string
		notWant []string
	}{
		{
			name: "fresh database",
			st:   data.Status{Path: "/data/csm.db", Size: 4096, SchemaVersion: 9},
			want: []string{"last sync    never\n", "server       not configured: run `csm login --server URL` (or try `csm demo`)\n",
				"waiting      nothing to push\n", "rejected     none\n", "database     /data/csm.db (4.0 KiB, schema version 9)\n",
				"book as of   no usage data yet\n"},
		},
		{
			name: "synced, with changes waiting and refused",
			st: data.Status{
				LastSyncAt: now.Add(-3 * time.Hour), LastSyncSummary: "pulled 7 changes\x1b[2J in 1 pages",
				Pending: 3, PendingByType: []data.TypeCount{{Type: "task.create", Count: 2}, {Type: "note.create", Count: 1}},
				Rejected: []data.RejectedChange{
					{Type: "note.create", AccountName: "Acme\x1b]0;pwned\x07 Co", At: now.Add(-time.Hour), ErrorCode: "invalid", ErrorMsg: "account is closed\x1b[2J"},
					{Type: "task.update", AccountID: "a-gone", At: now.Add(-time.Hour), ErrorCode: "not_found"},
				},
				Path: "/data/csm.db", Size: 3 << 20, SchemaVersion: 9, AsOf: model.MakeDate(2026, 11, 20), AsOfKnown: true,
			},
			srv: Server{URL: "https://csm.example.com", Token: "token saved by csm login"},
			want: []string{"last sync    2026-11-21 09:00 (3 hours ago): pulled 7 changes in 1 pages\n",
				"server       https://csm.example.com (token saved by csm login)\n",
				"waiting      3 changes to push: 2 task.create, 1 note.create\n",
				"rejected     2 changes the server refused (kept here, not pushed again):\n",
				"  2026-11-21 11:00  note.create  Acme Co  invalid: account is closed\n",
				"  2026-11-21 11:00  task.update  account a-gone  not_found:\n",
				"database     /data/csm.db (3.0 MiB, schema version 9)\n", "book as of   2026-11-20 (latest usage day)\n"},
			notWant: []string{"\x1b", "\x07"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			Write(&b, tt.st, tt.srv, now)
			for _, w := range tt.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("report lacks %q:\n%s", w, b.String())
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(b.String(), w) {
					t.Errorf("report holds %q:\n%s", w, b.String())
				}
			}
		})
	}
}

func TestByteSize(t *testing.T) {
	sizes := map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536 * 1024: "1.5 MiB", 3 << 30: "3.0 GiB"}
	for n, want := range sizes {
		if got := byteSize(n); got != want {
			t.Errorf("byteSize(%d) = %q, want %q", n, got, want)
		}
	}
}
