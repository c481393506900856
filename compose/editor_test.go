package compose

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The editor runs through the shell as git runs it: words and quotes in
// $EDITOR are the shell's, the file is one argument whatever it holds.
func TestEditorCommandRunsThroughTheShell(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no sh on Windows")
	}
	dir := filepath.Join(t.TempDir(), "My Editors")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// The fake editor writes its arguments, one a line, into the file
	// it was given last.
	script := filepath.Join(dir, "fake ed")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nfor a in \"$@\"; do last=$a; done\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done >> \"$last\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, editor string
		want         []string // the arguments the editor got, the file last
	}{
		{"flags like code --wait", shellQuote(script) + " --wait", []string{"--wait"}},
		{"an unquoted path with spaces", script, nil},
		{"the shell's quoting", shellQuote(script) + ` -c "set ft=markdown"`, []string{"-c", "set ft=markdown"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "a note; $(touch pwned) it's.md")
			if err := os.WriteFile(file, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			c := editorCommand(tc.editor, file)
			if out, err := c.CombinedOutput(); err != nil {
				t.Fatalf("%v: %v %s", c.Args, err, out)
			}
			got, _ := os.ReadFile(file)
			want := strings.Join(append(tc.want, file), "\n") + "\n"
			if string(got) != want {
				t.Errorf("the editor got\n%q\nwant\n%q", got, want)
			}
			if _, err := os.Stat("pwned"); err == nil {
				os.Remove("pwned")
				t.Error("the file's name was run by the shell")
			}
		})
	}
}

// An editor the shell cannot find is "could not start", as an editor
// the system cannot run was before: csm note then offers --no-edit.
func TestEditorNotFoundCannotStart(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", "no-such-editor-csm --wait")
	n := &Session{}
	res := n.runEditor(t.Context(), filepath.Join(t.TempDir(), "note.md"))
	if !res.noStart || res.err == nil || !strings.Contains(res.err.Error(), `editor "no-such-editor-csm --wait" could not start`) {
		t.Errorf("got %+v", res)
	}
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
