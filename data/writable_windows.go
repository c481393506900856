//go:build windows

package data

import (
	"errors"
	"os"
)

// writable approximates, on Windows, whether path may be written: a
// read-only attribute on the file.
func writable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.IsDir() && fi.Mode().Perm()&0o200 == 0 {
		return errors.New("read-only")
	}
	return nil
}
