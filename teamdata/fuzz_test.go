package teamdata

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// FuzzParse: any bytes, in any import file, give a list of problems or an
// import, never a panic; and a problem never carries a raw control
// character to the terminal.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		accountsHdr + acmeRow,
		"\ufeff" + strings.ReplaceAll(accountsHdr+acmeRow, "\n", "\r\n"),
		usageHdr + "a1,2026-11-01,1,1,1,1,1,\"\x1b[2J\"\n",
		"key,name,high_value\n\"unterminated,x,true\n",
		"key,name,high_value\nk,\"a \"\"quoted\"\"\nname\",1\n",
		"account_id,date,dau,wau,mau,sessions,minutes,\"feature:\x1b]0;x\a\"\n",
		`{"type":"account","id":"\u001b[2J"}`,
		"\x00\xff\xfe",
	} {
		f.Add(seed)
	}
	names := []string{FileAccounts, FileContacts, FileUsage, FileNPS, FileFeatures, "book.jsonl"}
	f.Fuzz(func(t *testing.T, content string) {
		dir := t.TempDir()
		var paths []string
		for _, name := range names {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
		}
		_, err := Parse(paths)
		var pe *ProblemsError
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("not a list of problems: %v", err)
		}
		if pe == nil {
			return
		}
		if len(pe.First) > MaxProblemLines {
			t.Errorf("%d problems listed", len(pe.First))
		}
		for _, p := range pe.First {
			line := p.String()
			if i := strings.IndexFunc(line, func(r rune) bool { return unicode.IsControl(r) || r == '\u202e' }); i >= 0 {
				t.Errorf("a problem carries a raw control character: %q", line)
			}
		}
	})
}
