package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"csm/data"
)

func TestStatus(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T) (alsoWant []string)
		want    []string
		notWant []string
	}{
		{
			name: "fresh database",
			want: []string{"last sync    never", "not configured: run `csm login", "waiting      nothing to push",
				"rejected     none", "schema version", "no usage data yet"},
		},
		{
			name: "waiting changes by type, book as of",
			setup: func(t *testing.T) []string {
				accts := cliBook(t, nil)
				if r := cliRun(t, "", "note", accts[0].ID, "-m", "x", "--next", "a", "--next", "b"); r.code != 0 {
					t.Fatal(r.output())
				}
				return nil
			},
			want: []string{"3 changes to push: 2 task.create, 1 note.create", "book as of   2026-11-20"},
		},
		{
			name: "rejected changes with account, reason, sanitized",
			setup: func(t *testing.T) []string {
				accts := cliBook(t, nil)
				if r := cliRun(t, "", "note", accts[1].ID, "-m", "x"); r.code != 0 {
					t.Fatal(r.output())
				}
				st := cliStore(t)
				defer st.Close()
				ctx := context.Background()
				pending, err := st.Pending(ctx, 10)
				if err != nil || len(pending) != 1 {
					t.Fatalf("pending = %v, %v", pending, err)
				}
				err = st.RecordResults(ctx, []data.Result{{ID: pending[0].ID, ErrorCode: "invalid",
					ErrorMsg: "account \x1b]0;pwned\x07is closed\x1b[2J"}})
				if err != nil {
					t.Fatal(err)
				}
				return []string{accts[1].Name}
			},
			want:    []string{"1 change the server refused", "note.create", "invalid: account is closed", "waiting      nothing to push"},
			notWant: []string{"\x1b", "\x07"},
		},
		{
			name: "last sync and server from the environment",
			setup: func(t *testing.T) []string {
				st := cliStore(t)
				defer st.Close()
				if err := st.SetLastSync(context.Background(), time.Now().Add(-3*time.Hour), "pulled 7 changes in 1 pages"); err != nil {
					t.Fatal(err)
				}
				t.Setenv("CSM_SERVER_URL", "https://csm.example.com")
				t.Setenv("CSM_TOKEN", "SENTINEL-status-token")
				return nil
			},
			want:    []string{"(3 hours ago): pulled 7 changes in 1 pages", "https://csm.example.com (token from CSM_TOKEN)"},
			notWant: []string{"SENTINEL-status-token"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cliEnv(t)
			want := tt.want
			if tt.setup != nil {
				want = append(want, tt.setup(t)...)
			}
			r := cliRun(t, "", "status")
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.output())
			}
			for _, w := range want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("status lacks %q:\n%s", w, r.stdout)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(r.output(), w) {
					t.Errorf("status contains %q:\n%s", w, r.output())
				}
			}
		})
	}
}
