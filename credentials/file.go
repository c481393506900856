package credentials

import (
	"fmt"
	"os"
	"path/filepath"
)

// writeFile replaces path with data so that a reader sees the old file or
// the new one, never a part: a temporary file in the same directory is
// written, synced, given its mode and renamed over path, and the directory
// is synced so the rename survives a crash. The temporary file is created
// 0600 (os.CreateTemp), so a secret is never readable by others, even for
// an instant.
func writeFile(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Chmod(perm); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		// Not every system can sync a directory; the file itself is safe.
		d.Sync()
		d.Close()
	}
	return nil
}
