// Package docs holds the documents the code refers to; its test keeps them
// true.
package docs

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// docs/API.md is the sync contract the team reads in shared/API.md, byte
// for byte. shared/ lies beside the repository on the team's machines and
// in CI; where it is not (a clone elsewhere) there is nothing to compare.
func TestAPIContractIsTheTeams(t *testing.T) {
	ours, err := os.ReadFile("API.md")
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := os.ReadFile(filepath.Join("..", "..", "shared", "API.md"))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("no ../shared/API.md beside the repository to compare with")
	}
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ours, theirs) {
		t.Fatalf("docs/API.md differs from shared/API.md (%d bytes, %d bytes): copy it again with\n  cp ../shared/API.md docs/API.md", len(ours), len(theirs))
	}
}

// Every mention of the contract, in the code's comments and the Markdown,
// names it by its place in the repository: docs/API.md.
func TestReferencesPointToDocsAPI(t *testing.T) {
	bare := regexp.MustCompile(`(^|[^/\w])API\.md`)
	found := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != ".." && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".md") || path == "API.md" || path == filepath.Join("..", "docs", "API.md") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(src), "\n") {
			if strings.Contains(line, "API.md") {
				found++
			}
			if bare.MatchString(line) && !strings.Contains(path, "api_test.go") {
				t.Errorf("%s:%d names API.md; write docs/API.md: %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 10 {
		t.Errorf("only %d mentions of API.md found: the walk missed the code", found)
	}
}
