package compose

import (
	"fmt"
	"io"
	"os"

	"csm/model"
)

// maxNoteFile bounds what --file reads; a note body is cut far below it.
const maxNoteFile = 16 * model.MaxBodyBytes

// ReadFile reads the text of a note prepared in a file, "-" being stdin.
func ReadFile(path string, stdin io.Reader) (string, error) {
	r := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return "", fmt.Errorf("--file: %w", err)
		}
		defer f.Close()
		r = f
	}
	raw, err := io.ReadAll(io.LimitReader(r, maxNoteFile+1))
	if err != nil {
		return "", fmt.Errorf("--file %s: %w", path, err)
	}
	if len(raw) > maxNoteFile {
		return "", fmt.Errorf("--file %s: larger than %d bytes; a note is at most %d", path, maxNoteFile, model.MaxBodyBytes)
	}
	return string(raw), nil
}
