package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"csm/data"
	"csm/model"
)

// cliResult is one invocation of csm as a user sees it.
type cliResult struct {
	stdout, stderr string
	code           int
}

func (r cliResult) output() string { return r.stdout + r.stderr }

// cliRun runs csm through run(), the real entry point (exit codes and
// error printing included), with stdin read from a file holding stdin.
func cliRun(t *testing.T, stdin string, args ...string) cliResult {
	t.Helper()
	dir := t.TempDir()
	open := func(name string) *os.File {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	out, errOut, in := open("stdout"), open("stderr"), open("stdin")
	defer out.Close()
	defer errOut.Close()
	defer in.Close()
	if _, err := in.WriteString(stdin); err != nil {
		t.Fatal(err)
	}
	in.Seek(0, 0)
	old := os.Stdin
	os.Stdin = in
	defer func() { os.Stdin = old }()

	code := run(args, out, errOut)
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	return cliResult{stdout: read("stdout"), stderr: read("stderr"), code: code}
}

// failingKeyring is an OS keyring that is not there.
type failingKeyring struct{}

var errNoKeyring = errors.New("no keyring in tests")

func (failingKeyring) Get(string, string) (string, error) { return "", errNoKeyring }
func (failingKeyring) Set(string, string, string) error   { return errNoKeyring }
func (failingKeyring) Delete(string, string) error        { return errNoKeyring }

// cliEnv isolates a test from the user's environment: its own data and
// config directories, no server, no token, no editor, no OS keyring.
func cliEnv(t *testing.T) {
	t.Helper()
	t.Setenv("CSM_DATA_DIR", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("TMPDIR", t.TempDir())
	for _, k := range []string{"CSM_CONFIG", "CSM_SERVER_URL", "CSM_TOKEN", "VISUAL", "EDITOR"} {
		t.Setenv(k, "")
	}
	old := keyringStore
	keyringStore = failingKeyring{}
	t.Cleanup(func() { keyringStore = old })
}

// cliBook fills the test's database with a generated book, with edit
// applied to it first, and returns its accounts by name.
func cliBook(t *testing.T, edit func(b *model.Book)) []model.Account {
	t.Helper()
	b := model.Generate(model.GenOptions{Seed: 1, Accounts: 20, Days: 60, AsOf: model.MakeDate(2026, 11, 20), CSMs: 1})[0]
	if edit != nil {
		edit(&b)
	}
	st := cliStore(t)
	defer st.Close()
	if err := st.ImportBook(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	accts, err := st.Accounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return accts
}

// cliStore opens the test's database; the caller closes it.
func cliStore(t *testing.T) *data.Store {
	t.Helper()
	st, err := data.Open(context.Background(), filepath.Join(os.Getenv("CSM_DATA_DIR"), data.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// cliOutbox returns the pending changes of the test's database.
func cliOutbox(t *testing.T) []data.Mutation {
	t.Helper()
	st := cliStore(t)
	defer st.Close()
	m, err := st.Pending(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// cliNotes returns the notes of one account.
func cliNotes(t *testing.T, accountID string) ([]model.Note, []model.Task) {
	t.Helper()
	st := cliStore(t)
	defer st.Close()
	d, err := st.AccountDetail(context.Background(), accountID)
	if err != nil {
		t.Fatal(err)
	}
	return d.Notes, d.Tasks
}

// newestNote is the note of an account created last.
func newestNote(notes []model.Note) model.Note {
	var n model.Note
	for _, x := range notes {
		if x.CreatedAt.After(n.CreatedAt) {
			n = x
		}
	}
	return n
}

func tasksOf(tasks []model.Task, noteID string) []model.Task {
	var out []model.Task
	for _, t := range tasks {
		if t.NoteID != nil && *t.NoteID == noteID {
			out = append(out, t)
		}
	}
	return out
}

// fakeEditor writes a shell script that appends text to the file it is
// given, and makes it the editor.
func fakeEditor(t *testing.T, env, script string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "editor.sh")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+script+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(env, path)
}

func TestNoteWithMessage(t *testing.T) {
	cliEnv(t)
	accts := cliBook(t, nil)
	a := accts[3]
	// A server is configured but unreachable: note must not contact it.
	t.Setenv("CSM_SERVER_URL", "http://127.0.0.1:1")
	t.Setenv("CSM_TOKEN", "tok")

	before, _ := cliNotes(t, a.ID)
	r := cliRun(t, "", "note", strings.ToUpper(a.Name[:len(a.Name)-1]), "-k", "meeting", "-m", "  Renewal looks good  ",
		"--next", "Send the quote", "--due", "2026-12-01", "--next", "Book training", "--at", "2026-11-21 09:30")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.output())
	}
	want := "for " + a.Name + " (2 follow-ups) · will sync\n"
	if !strings.HasPrefix(r.stdout, "saved note ") || !strings.HasSuffix(r.stdout, want) {
		t.Errorf("stdout = %q, want saved note … %q", r.stdout, want)
	}

	notes, tasks := cliNotes(t, a.ID)
	if len(notes) != len(before)+1 {
		t.Fatalf("%d notes, want %d", len(notes), len(before)+1)
	}
	n := newestNote(notes)
	wantAt := time.Date(2026, 11, 21, 9, 30, 0, 0, time.Local)
	if n.Body != "Renewal looks good" || n.Kind != model.NoteMeeting || !n.HappenedAt.Equal(wantAt) {
		t.Errorf("note = %+v", n)
	}
	if !strings.Contains(r.stdout, n.ID[:8]) {
		t.Errorf("stdout %q lacks the short id %s", r.stdout, n.ID[:8])
	}
	ts := tasksOf(tasks, n.ID)
	if len(ts) != 2 {
		t.Fatalf("follow-ups = %+v, want 2", ts)
	}
	for _, tk := range ts {
		switch tk.Title {
		case "Send the quote":
			if tk.DueOn == nil || *tk.DueOn != model.MakeDate(2026, 12, 1) {
				t.Errorf("due = %v, want 2026-12-01", tk.DueOn)
			}
		case "Book training":
			if tk.DueOn != nil {
				t.Errorf("Book training due %v, want none", tk.DueOn)
			}
		default:
			t.Errorf("unexpected follow-up %q", tk.Title)
		}
	}
	counts := map[string]int{}
	for _, m := range cliOutbox(t) {
		counts[m.Type]++
	}
	if counts[model.MutNoteCreate] != 1 || counts[model.MutTaskCreate] != 2 || len(counts) != 2 {
		t.Errorf("outbox = %v, want 1 note.create and 2 task.create", counts)
	}
}

func TestNoteWithEditor(t *testing.T) {
	tests := []struct {
		name      string
		env       string // VISUAL or EDITOR
		script    string
		wantCode  int
		wantBody  string
		wantSteps map[string]string // title -> due ("" for none)
		wantErr   string
		wantDraft bool // the typed text is kept as a draft
	}{
		{
			name: "text and next steps", env: "EDITOR",
			script:    `printf '%s\n' "Talked about the café rollout." "" "- [ ] Send the deck due 2026-12-01" "NEXT: call the champion" "# a comment" >> "$1"`,
			wantBody:  "Talked about the café rollout.",
			wantSteps: map[string]string{"Send the deck": "2026-12-01", "call the champion": ""},
		},
		{
			name: "VISUAL wins over EDITOR", env: "VISUAL",
			script:    `printf 'from visual\n' >> "$1"`,
			wantBody:  "from visual",
			wantSteps: map[string]string{},
		},
		{
			name: "template left alone", env: "EDITOR", script: `true`,
			wantCode: 1, wantErr: "note cancelled: empty",
		},
		{
			name: "file emptied", env: "EDITOR", script: `: > "$1"`,
			wantCode: 1, wantErr: "note cancelled: empty",
		},
		{
			name: "only blanks and comments", env: "EDITOR", script: `printf '   \n# nothing\n\t\n' > "$1"`,
			wantCode: 1, wantErr: "note cancelled: empty",
		},
		{
			name: "editor fails", env: "EDITOR", script: `printf 'half a note\n' >> "$1"; exit 3`,
			wantCode: 1, wantErr: "nothing saved", wantDraft: true,
		},
		{
			name: "editor fails on the untouched template", env: "EDITOR", script: `exit 3`,
			wantCode: 1, wantErr: "nothing saved",
		},
		{
			name: "editor cannot start", env: "EDITOR", script: `true`,
			wantCode: 1, wantErr: "could not start",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cliEnv(t)
			accts := cliBook(t, nil)
			a := accts[0]
			if tt.env == "VISUAL" {
				fakeEditor(t, "EDITOR", `printf 'from editor\n' >> "$1"`)
			}
			fakeEditor(t, tt.env, tt.script)
			if tt.name == "editor cannot start" {
				t.Setenv(tt.env, filepath.Join(t.TempDir(), "no-such-editor"))
			}
			before, _ := cliNotes(t, a.ID)

			r := cliRun(t, "", "note", a.ID)
			if r.code != tt.wantCode {
				t.Fatalf("exit %d, want %d: %s", r.code, tt.wantCode, r.output())
			}
			if leftovers, _ := filepath.Glob(filepath.Join(os.Getenv("TMPDIR"), "csm-note-*")); len(leftovers) > 0 {
				t.Errorf("editor file left behind: %v", leftovers)
			}
			if drafts := cliDraftFiles(t); (len(drafts) == 1) != tt.wantDraft || len(drafts) > 1 {
				t.Errorf("drafts dir holds %v; want a draft: %v", drafts, tt.wantDraft)
			}
			notes, tasks := cliNotes(t, a.ID)
			if tt.wantCode != 0 {
				if !strings.Contains(r.stderr, tt.wantErr) {
					t.Errorf("stderr = %q, want %q", r.stderr, tt.wantErr)
				}
				if len(notes) != len(before) || len(cliOutbox(t)) != 0 {
					t.Errorf("something was saved: %d notes (was %d), outbox %d", len(notes), len(before), len(cliOutbox(t)))
				}
				return
			}
			n := newestNote(notes)
			if n.Body != tt.wantBody {
				t.Errorf("body = %q, want %q", n.Body, tt.wantBody)
			}
			got := map[string]string{}
			for _, tk := range tasksOf(tasks, n.ID) {
				got[tk.Title] = ""
				if tk.DueOn != nil {
					got[tk.Title] = tk.DueOn.String()
				}
			}
			if len(got) != len(tt.wantSteps) {
				t.Errorf("follow-ups = %v, want %v", got, tt.wantSteps)
			}
			for title, due := range tt.wantSteps {
				if d, ok := got[title]; !ok || d != due {
					t.Errorf("follow-up %q due %q (present %v), want due %q", title, d, ok, due)
				}
			}
		})
	}
}

func TestNoteRefusesBadInput(t *testing.T) {
	cliEnv(t)
	accts := cliBook(t, nil)
	// Two accounts whose names start alike make an ambiguous prefix.
	var prefix string
	for i := range accts {
		for j := i + 1; j < len(accts) && prefix == ""; j++ {
			if strings.EqualFold(accts[i].Name[:1], accts[j].Name[:1]) && !strings.EqualFold(accts[i].Name, accts[j].Name) {
				prefix = strings.ToLower(accts[i].Name[:1])
			}
		}
	}
	if prefix == "" {
		t.Fatal("the generated book has no two names with the same first letter")
	}
	id := accts[0].ID
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown account", []string{"note", "no-such-account-zz", "-m", "x"}, 1, "no account matches"},
		{"ambiguous prefix lists candidates", []string{"note", prefix, "-m", "x"}, 1, "type more of the name"},
		{"bad kind lists the kinds", []string{"note", id, "-k", "gossip", "-m", "x"}, 2, "call, meeting, email, qbr, check_in, bug_report, internal"},
		{"bad --at", []string{"note", id, "--at", "yesterday", "-m", "x"}, 2, "--at"},
		{"bad --due", []string{"note", id, "-m", "x", "--next", "a", "--due", "2026-13-01"}, 2, "--due 1"},
		{"--due without --next", []string{"note", id, "-m", "x", "--due", "2026-12-01"}, 2, "each --due goes with a --next"},
		{"empty --next", []string{"note", id, "-m", "x", "--next", " "}, 2, "--next 1 is empty"},
		{"empty -m", []string{"note", id, "-m", "  "}, 1, "note cancelled: empty"},
		{"no account", []string{"note"}, 2, "csm note needs ACCOUNT: csm note ACCOUNT"},
		{"two accounts", []string{"note", "a", "b", "-m", "x"}, 2, "csm note takes ACCOUNT only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cliRun(t, "", tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", r.code, r.stderr, tt.code, tt.want)
			}
			if n := len(cliOutbox(t)); n != 0 {
				t.Errorf("%d changes queued, want none", n)
			}
		})
	}
	// The candidates are listed by name (accts is sorted so too).
	r := cliRun(t, "", "note", prefix, "-m", "x")
	listed := 0
	for _, a := range accts {
		if strings.HasPrefix(strings.ToLower(a.Name), prefix) && listed < 2 {
			if !strings.Contains(r.stderr, a.Name) {
				t.Errorf("ambiguous error %q does not list %q", r.stderr, a.Name)
			}
			listed++
		}
	}
}

func TestNoteSanitizesTheAccountName(t *testing.T) {
	cliEnv(t)
	accts := cliBook(t, func(b *model.Book) { b.Accounts[0].Name = "Evil\x1b]0;pwned\x07 Co\x1b[2J" })
	var id string
	for _, a := range accts {
		if strings.HasPrefix(a.Name, "Evil") {
			id = a.ID
		}
	}
	r := cliRun(t, "", "note", id, "-m", "hello")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.output())
	}
	if strings.ContainsAny(r.output(), "\x1b\x07") || !strings.Contains(r.stdout, "for Evil Co (0 follow-ups)") {
		t.Errorf("output %q is not sanitized", r.output())
	}
}

// The note text, its date words and --at are read by model.ParseNoteText,
// ParseDateWord and ParseNoteTime, tested in model.

func TestParseNoteKind(t *testing.T) {
	kinds := map[string]string{"call": "call", "QBR": "qbr", "check-in": "check_in", " Bug_Report ": "bug_report", "chat": ""}
	for in, want := range kinds {
		got, err := parseNoteKind(in)
		if got != want || (err == nil) != (want != "") {
			t.Errorf("parseNoteKind(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// cliDraftsDir is the drafts directory of the test's database.
func cliDraftsDir() string {
	return filepath.Join(os.Getenv("CSM_DATA_DIR"), data.DBFile+data.DraftsSuffix)
}

// cliDraftFiles lists the files in the drafts directory.
func cliDraftFiles(t *testing.T) []string {
	t.Helper()
	ents, err := os.ReadDir(cliDraftsDir())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

// cliDrafts returns an account's drafts as csm finds them.
func cliDrafts(t *testing.T, accountID string) []data.Draft {
	t.Helper()
	st := cliStore(t)
	defer st.Close()
	d, err := st.Drafts().ForAccount(accountID)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// cliOutboxTypes counts the pending changes by type.
func cliOutboxTypes(t *testing.T) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for _, m := range cliOutbox(t) {
		counts[m.Type]++
	}
	return counts
}

// wantKeptDraft checks a failure's one sentence: where the note is and how
// to get it back.
func wantKeptDraft(t *testing.T, r cliResult, query string) {
	t.Helper()
	hint := "get it back with: csm note " + query + " --resume"
	if r.code != 1 || !strings.Contains(r.stderr, hint) || !strings.Contains(r.stderr, cliDraftsDir()) ||
		!strings.Contains(r.stderr, "nothing saved") || strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("exit %d, stderr %q; want exit 1 and one line naming %s and %q", r.code, r.stderr, cliDraftsDir(), hint)
	}
}

func TestNoteEditorFailureKeepsDraftThatResumesOnce(t *testing.T) {
	cliEnv(t)
	a := cliBook(t, nil)[0]
	before, _ := cliNotes(t, a.ID)
	fakeEditor(t, "EDITOR", `printf '%s\n' "Budget frozen until Q2." "- [ ] Send the revised quote due 2026-12-01" >> "$1"; exit 3`)

	r := cliRun(t, "", "note", a.ID, "-k", "qbr")
	wantKeptDraft(t, r, a.ID)
	if !strings.Contains(r.stderr, "exit status 3") {
		t.Errorf("stderr %q does not say how the editor failed", r.stderr)
	}
	drafts := cliDrafts(t, a.ID)
	if len(drafts) != 1 {
		t.Fatalf("%d drafts, want 1", len(drafts))
	}
	d := drafts[0]
	// The draft holds the clean note: no template lines.
	if d.Body != "Budget frozen until Q2." || d.Kind != model.NoteQBR || d.Source != data.DraftFromCLI ||
		len(d.NextSteps) != 1 || d.NextSteps[0] != (data.DraftStep{Title: "Send the revised quote", Due: "2026-12-01"}) {
		t.Errorf("draft = %+v", d)
	}
	if files := cliDraftFiles(t); len(files) != 1 || files[0] != d.ID+".json" {
		t.Errorf("drafts dir = %v, want only %s.json", files, d.ID)
	}

	t.Setenv("EDITOR", filepath.Join(t.TempDir(), "no-editor-needed"))
	r = cliRun(t, "", "note", a.ID, "--resume", "--no-edit")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "saved note "+d.ID[:8]+" for "+a.Name+" (1 follow-up)") {
		t.Fatalf("resume: exit %d, %q", r.code, r.output())
	}
	notes, tasks := cliNotes(t, a.ID)
	if len(notes) != len(before)+1 {
		t.Fatalf("%d notes, want %d", len(notes), len(before)+1)
	}
	n := newestNote(notes)
	if n.ID != d.ID || n.Body != "Budget frozen until Q2." || n.Kind != model.NoteQBR || !n.HappenedAt.Equal(d.HappenedAt.Truncate(time.Microsecond)) {
		t.Errorf("note = %+v, want the draft's", n)
	}
	if ts := tasksOf(tasks, n.ID); len(ts) != 1 || ts[0].DueOn == nil || ts[0].DueOn.String() != "2026-12-01" {
		t.Errorf("follow-ups = %+v", ts)
	}
	if got := cliOutboxTypes(t); got[model.MutNoteCreate] != 1 || got[model.MutTaskCreate] != 1 {
		t.Errorf("outbox = %v, want one note.create and one task.create", got)
	}
	if files := cliDraftFiles(t); len(files) != 0 {
		t.Errorf("drafts left after the save: %v", files)
	}
	r = cliRun(t, "", "note", a.ID, "--resume", "--no-edit")
	if r.code != 1 || !strings.Contains(r.stderr, "no unsaved note for "+a.Name) {
		t.Errorf("second resume: exit %d, %q", r.code, r.stderr)
	}
}

func TestNoteResumeOpensTheDraftInTheEditor(t *testing.T) {
	cliEnv(t)
	a := cliBook(t, nil)[0]
	fakeEditor(t, "EDITOR", `printf 'First thoughts\n' >> "$1"; exit 3`)
	wantKeptDraft(t, cliRun(t, "", "note", a.ID), a.ID)

	// The editor opens on the draft's text and one template, not two.
	fakeEditor(t, "EDITOR", `grep -qx 'First thoughts' "$1" || exit 9
[ "$(grep -c '^# Note on' "$1")" = 1 ] || exit 8
printf '%s\n' 'More after the call.' 'next: Book the QBR' >> "$1"`)
	r := cliRun(t, "", "note", a.ID, "--resume")
	if r.code != 0 {
		t.Fatalf("resume: exit %d, %q", r.code, r.output())
	}
	notes, tasks := cliNotes(t, a.ID)
	n := newestNote(notes)
	if n.Body != "First thoughts\n\nMore after the call." {
		t.Errorf("body = %q", n.Body)
	}
	if ts := tasksOf(tasks, n.ID); len(ts) != 1 || ts[0].Title != "Book the QBR" {
		t.Errorf("follow-ups = %+v", ts)
	}
	if got := cliOutboxTypes(t); got[model.MutNoteCreate] != 1 {
		t.Errorf("outbox = %v, want one note.create", got)
	}
	if files := cliDraftFiles(t); len(files) != 0 {
		t.Errorf("drafts left after the save: %v", files)
	}
}

func TestNoteResumeTakesTheNewestAndSaysWhatIsLeft(t *testing.T) {
	cliEnv(t)
	a := cliBook(t, nil)[0]
	for _, text := range []string{"older note", "newer note"} {
		fakeEditor(t, "EDITOR", `printf '`+text+`\n' >> "$1"; exit 1`)
		wantKeptDraft(t, cliRun(t, "", "note", a.ID), a.ID)
		time.Sleep(2 * time.Millisecond) // drafts are ordered by when they were written
	}
	r := cliRun(t, "", "note", a.ID, "--resume", "--no-edit")
	if r.code != 0 || !strings.Contains(r.stderr, "1 unsaved note for "+a.Name+" is still kept as a draft: csm note "+a.ID+" --resume") {
		t.Fatalf("exit %d, %q", r.code, r.output())
	}
	notes, _ := cliNotes(t, a.ID)
	if n := newestNote(notes); n.Body != "newer note" {
		t.Errorf("resumed %q first, want the newer note", n.Body)
	}
	if left := cliDrafts(t, a.ID); len(left) != 1 || left[0].Body != "older note" {
		t.Errorf("drafts left = %+v", left)
	}
}

// blockNotes makes the database refuse new notes, as a full disk or a
// read-only file would, until the returned function is called.
func blockNotes(t *testing.T) (unblock func()) {
	t.Helper()
	exec := func(q string) {
		st := cliStore(t)
		defer st.Close()
		if _, err := st.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	exec(`CREATE TRIGGER test_block_notes BEFORE INSERT ON notes BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`)
	return func() { exec(`DROP TRIGGER test_block_notes`) }
}

func TestNoteStoreFailureKeepsADraft(t *testing.T) {
	cliEnv(t)
	a := cliBook(t, nil)[0]
	before, _ := cliNotes(t, a.ID)
	unblock := blockNotes(t)

	fakeEditor(t, "EDITOR", `printf '%s\n' "Renewal at risk." "- [ ] Escalate to the VP" >> "$1"`)
	r := cliRun(t, "", "note", a.ID)
	wantKeptDraft(t, r, a.ID)
	if !strings.Contains(r.stderr, "disk is full") {
		t.Errorf("stderr %q does not give the cause", r.stderr)
	}
	r = cliRun(t, "", "note", a.ID, "-m", "Short update")
	wantKeptDraft(t, r, a.ID)
	drafts := cliDrafts(t, a.ID)
	if len(drafts) != 2 || strings.Contains(drafts[1].Body, "#") || drafts[1].Body != "Renewal at risk." {
		t.Fatalf("drafts = %+v", drafts)
	}
	if files := cliDraftFiles(t); len(files) != 2 {
		t.Errorf("drafts dir = %v, want the two drafts and no editor file", files)
	}
	unblock()

	r = cliRun(t, "", "note", a.ID, "--resume", "--no-edit")
	if r.code != 0 {
		t.Fatalf("resume: exit %d, %q", r.code, r.output())
	}
	// csm dies after saving the next note but before removing its draft:
	// resuming it again must not save it twice.
	st := cliStore(t)
	if _, err := st.CreateNote(context.Background(), drafts[1].NewNote()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	r = cliRun(t, "", "note", a.ID, "--resume", "--no-edit")
	if r.code != 0 || !strings.Contains(r.stdout, drafts[1].ID[:8]) {
		t.Fatalf("resume of a saved draft: exit %d, %q", r.code, r.output())
	}
	notes, tasks := cliNotes(t, a.ID)
	if len(notes) != len(before)+2 {
		t.Errorf("%d notes, want %d", len(notes), len(before)+2)
	}
	if ts := tasksOf(tasks, drafts[1].ID); len(ts) != 1 {
		t.Errorf("follow-ups of the resumed note = %+v, want one", ts)
	}
	if got := cliOutboxTypes(t); got[model.MutNoteCreate] != 2 || got[model.MutTaskCreate] != 1 {
		t.Errorf("outbox = %v, want two note.create and one task.create", got)
	}
	if files := cliDraftFiles(t); len(files) != 0 {
		t.Errorf("drafts left: %v", files)
	}
}

func TestNoteFromFile(t *testing.T) {
	cliEnv(t)
	a := cliBook(t, nil)[0]
	path := filepath.Join(t.TempDir(), "call.md")
	if err := os.WriteFile(path, []byte("# written on the train\nCall went well.\n- [ ] Send the deck due 2026-12-01\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := cliRun(t, "", "note", a.ID, "--file", path)
	if r.code != 0 {
		t.Fatalf("exit %d, %q", r.code, r.output())
	}
	notes, tasks := cliNotes(t, a.ID)
	n := newestNote(notes)
	if ts := tasksOf(tasks, n.ID); n.Body != "Call went well." || len(ts) != 1 || ts[0].DueOn == nil {
		t.Errorf("note %q with follow-ups %+v", n.Body, ts)
	}
	r = cliRun(t, "From stdin.\nnext: Call back\n", "note", a.ID, "--file", "-")
	notes, tasks = cliNotes(t, a.ID)
	if n := newestNote(notes); r.code != 0 || n.Body != "From stdin." || len(tasksOf(tasks, n.ID)) != 1 {
		t.Errorf("--file -: exit %d %q, note %q", r.code, r.output(), n.Body)
	}

	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"only comments", "# nothing\n", []string{"--file", "-"}, 1, "note cancelled: empty"},
		{"missing file", "", []string{"--file", filepath.Join(t.TempDir(), "nope.md")}, 1, "--file"},
		{"--file and -m", "", []string{"--file", path, "-m", "x"}, 2, "use one"},
		{"--no-edit alone", "", []string{"--no-edit"}, 2, "--no-edit goes with --resume"},
		{"--resume and -m", "", []string{"--resume", "-m", "x"}, 2, "--message does not go with it"},
		{"--resume and --next", "", []string{"--resume", "--next", "x"}, 2, "--next does not go with it"},
		{"--resume without a draft", "", []string{"--resume"}, 1, "no unsaved note for " + a.Name},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(cliOutbox(t))
			r := cliRun(t, tt.stdin, append([]string{"note", a.ID}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", r.code, r.stderr, tt.code, tt.want)
			}
			if after := len(cliOutbox(t)); after != before {
				t.Errorf("outbox grew from %d to %d", before, after)
			}
		})
	}
	if files := cliDraftFiles(t); len(files) != 0 {
		t.Errorf("drafts left: %v", files)
	}
}

func TestNoteResumeNamesUnreadableDrafts(t *testing.T) {
	cliEnv(t)
	a := cliBook(t, nil)[0]
	if err := os.MkdirAll(cliDraftsDir(), 0o700); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(cliDraftsDir(), data.NewDraft(a.ID, "call", "cli", time.Now()).ID+".json")
	if err := os.WriteFile(bad, []byte("{\"id\": trunc"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := cliRun(t, "", "note", a.ID, "--resume")
	if r.code != 1 || !strings.Contains(r.stderr, "could not be read") || !strings.Contains(r.stderr, filepath.Base(bad)) {
		t.Errorf("exit %d, %q", r.code, r.stderr)
	}
	if _, err := os.Stat(bad); err != nil {
		t.Errorf("the unreadable draft was removed: %v", err)
	}
}

// buildCSM builds the csm binary, for the tests that signal a real process.
func buildCSM(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool to build csm with")
	}
	bin := filepath.Join(t.TempDir(), "csm")
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build csm: %v\n%s", err, out)
	}
	return bin
}

// The terminal hangs up while the editor is open: csm keeps what the
// editor wrote, without waiting for the editor or killing it.
func TestNoteHangupWhileEditorOpenKeepsTheText(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGHUP")
	}
	cliEnv(t)
	a := cliBook(t, nil)[0]
	bin := buildCSM(t)
	pidFile := filepath.Join(t.TempDir(), "editor.pid")
	fakeEditor(t, "EDITOR", `exec </dev/null >/dev/null 2>&1
echo $$ > '`+pidFile+`'
printf '%s\n' "Champion leaves in March." "- [ ] Meet the new VP due 2026-12-01" >> "$1"
kill -HUP $PPID
sleep 30`)
	t.Cleanup(func() {
		if raw, err := os.ReadFile(pidFile); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(raw))); err == nil {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	})

	c := exec.Command(bin, "note", a.ID)
	c.Env = append(os.Environ(), "CSM_TOKEN=tok", "CSM_SERVER_URL=http://127.0.0.1:1")
	var stderr strings.Builder
	c.Stderr = &stderr
	c.WaitDelay = 5 * time.Second
	start := time.Now()
	err := c.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("csm ended with %v, want exit 1; stderr %q", err, stderr.String())
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("csm took %v: it waited for the editor", took)
	}
	if !strings.Contains(stderr.String(), "hangup") || !strings.Contains(stderr.String(), "csm note "+a.ID+" --resume") {
		t.Errorf("stderr = %q", stderr.String())
	}
	drafts := cliDrafts(t, a.ID)
	if len(drafts) != 1 || drafts[0].Body != "Champion leaves in March." || len(drafts[0].NextSteps) != 1 {
		t.Fatalf("drafts = %+v", drafts)
	}

	r := cliRun(t, "", "note", a.ID, "--resume", "--no-edit")
	if r.code != 0 {
		t.Fatalf("resume: exit %d, %q", r.code, r.output())
	}
	notes, tasks := cliNotes(t, a.ID)
	n := newestNote(notes)
	if n.ID != drafts[0].ID || n.Body != "Champion leaves in March." || len(tasksOf(tasks, n.ID)) != 1 {
		t.Errorf("note = %+v", n)
	}
	if got := cliOutboxTypes(t); got[model.MutNoteCreate] != 1 || got[model.MutTaskCreate] != 1 {
		t.Errorf("outbox = %v, want one note.create and one task.create", got)
	}
	if files := cliDraftFiles(t); len(files) != 0 {
		t.Errorf("drafts left: %v", files)
	}
}
