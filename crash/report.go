package crash

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// Report writes the crash report and tells the user where it is. It
// returns the exit code, 1.
func Report(stderr io.Writer, dataDir, command string, c *Crash) int {
	now := time.Now()
	report := reportText(now, command, c)
	path, err := writeReport(dataDir, now, report)
	if err != nil {
		// Nowhere to write: the report goes to stderr instead.
		fmt.Fprintf(stderr, "csm: csm crashed and could not save a crash report (%v); here it is:\n%s", err, report)
		return 1
	}
	fmt.Fprintf(stderr, "csm: csm crashed (%s). Every change saved before the crash is kept. "+
		"A crash report is at %s; please send it to whoever supports csm for you.\n", oneLine(scrubToken(fmt.Sprint(c.Value))), path)
	return 1
}

// reportText is the report's text: when, which csm, what panicked and
// where. Never the environment, the arguments or the token: the panic
// value and stack are scrubbed of the token in case one was in a message.
func reportText(now time.Time, command string, c *Crash) string {
	var b strings.Builder
	fmt.Fprintf(&b, "csm crash report\n\ntime:    %s\nversion: %s\ngo:      %s %s/%s\ncommand: %s\n\npanic: %v\n\n%s",
		now.Format(time.RFC3339), buildVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH, command, c.Value, c.Stack)
	return scrubToken(b.String())
}

// scrubToken removes the token of CSM_TOKEN from s.
func scrubToken(s string) string {
	if tok := os.Getenv("CSM_TOKEN"); len(tok) >= 4 {
		s = strings.ReplaceAll(s, tok, "[token removed]")
	}
	return s
}

// writeReport saves a report as crash-<time>.txt in the data directory,
// or in the temporary directory when that cannot be written.
func writeReport(dataDir string, now time.Time, report string) (string, error) {
	name := "crash-" + now.Format("20060102-150405")
	var errs []error
	for _, dir := range []string{dataDir, os.TempDir()} {
		if dir == "" {
			continue
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			errs = append(errs, err)
			continue
		}
		for i := 1; i < 100; i++ {
			path := filepath.Join(dir, name+".txt")
			if i > 1 {
				path = filepath.Join(dir, name+"-"+strconv.Itoa(i)+".txt")
			}
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if errors.Is(err, os.ErrExist) {
				continue
			}
			if err != nil {
				errs = append(errs, err)
				break
			}
			_, werr := f.WriteString(report)
			if cerr := f.Close(); werr == nil {
				werr = cerr
			}
			if werr != nil {
				errs = append(errs, werr)
				break
			}
			return path, nil
		}
	}
	return "", errors.Join(errs...)
}

// buildVersion names the build: the module version and VCS revision Go
// stamped into the binary, when it did.
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v += " " + s.Value
		case "vcs.modified":
			if s.Value == "true" {
				v += " (modified)"
			}
		}
	}
	return v
}

// oneLine keeps a panic value printable on the terminal: one line, no
// control characters, short.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}
