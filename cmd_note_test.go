package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
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
			wantCode: 1, wantErr: "nothing saved",
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
			before, _ := cliNotes(t, a.ID)

			r := cliRun(t, "", "note", a.ID)
			if r.code != tt.wantCode {
				t.Fatalf("exit %d, want %d: %s", r.code, tt.wantCode, r.output())
			}
			if leftovers, _ := filepath.Glob(filepath.Join(os.Getenv("TMPDIR"), "csm-note-*")); len(leftovers) > 0 {
				t.Errorf("editor file left behind: %v", leftovers)
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
		{"no account", []string{"note"}, 2, "accepts 1 arg"},
		{"two accounts", []string{"note", "a", "b", "-m", "x"}, 2, "accepts 1 arg"},
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

func TestParseNoteText(t *testing.T) {
	d := func(s string) *model.Date { v, _ := model.ParseDate(s); return &v }
	tests := []struct {
		name  string
		text  string
		body  string
		steps []data.NextStep
	}{
		{"empty", "", "", nil},
		{"comments only", "# a\n  # b\n", "", nil},
		{"body kept with inner blank lines", "\nline one\n\nline two\n\n", "line one\n\nline two", nil},
		{"CRLF", "a\r\nb\r\n", "a\nb", nil},
		{"checkbox step", "- [ ] send deck", "", []data.NextStep{{Title: "send deck"}}},
		{"star checkbox", "* [ ] send deck", "", []data.NextStep{{Title: "send deck"}}},
		{"next: any case", "Next: call back", "", []data.NextStep{{Title: "call back"}}},
		{"due date", "next: send quote due 2026-12-01", "", []data.NextStep{{Title: "send quote", DueOn: d("2026-12-01")}}},
		{"DUE in capitals", "- [ ] send quote DUE 2026-12-01", "", []data.NextStep{{Title: "send quote", DueOn: d("2026-12-01")}}},
		{"bad date stays in the title", "next: send quote due 2026-13-01", "", []data.NextStep{{Title: "send quote due 2026-13-01"}}},
		{"empty step dropped", "next:   \n- [ ]", "", nil},
		{"done box is text", "- [x] done already", "- [x] done already", nil},
		{"mixed", "Body.\n- [ ] one\nmore body\n", "Body.\nmore body", []data.NextStep{{Title: "one"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, steps := parseNoteText(tt.text)
			if body != tt.body {
				t.Errorf("body = %q, want %q", body, tt.body)
			}
			if len(steps) != len(tt.steps) {
				t.Fatalf("steps = %+v, want %+v", steps, tt.steps)
			}
			for i := range steps {
				g, w := steps[i], tt.steps[i]
				if g.Title != w.Title || (g.DueOn == nil) != (w.DueOn == nil) || (g.DueOn != nil && *g.DueOn != *w.DueOn) {
					t.Errorf("step %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

func TestParseNoteTimeAndKind(t *testing.T) {
	times := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2026-11-21 09:30", time.Date(2026, 11, 21, 9, 30, 0, 0, time.Local), true},
		{"2026-11-21T09:30", time.Date(2026, 11, 21, 9, 30, 0, 0, time.Local), true},
		{"2026-11-21", time.Date(2026, 11, 21, 12, 0, 0, 0, time.Local), true},
		{"2026-11-21T09:30:00Z", time.Date(2026, 11, 21, 9, 30, 0, 0, time.UTC), true},
		{"21/11/2026", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tt := range times {
		got, err := parseNoteTime(tt.in)
		if (err == nil) != tt.ok || (tt.ok && !got.Equal(tt.want)) {
			t.Errorf("parseNoteTime(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	kinds := map[string]string{"call": "call", "QBR": "qbr", "check-in": "check_in", " Bug_Report ": "bug_report", "chat": ""}
	for in, want := range kinds {
		got, err := parseNoteKind(in)
		if got != want || (err == nil) != (want != "") {
			t.Errorf("parseNoteKind(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
