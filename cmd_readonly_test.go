package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"csm/data"
)

const cliChildEnv = "CSM_CLI_CHILD_ARGS" // the arguments, one a line; unset: not a child

// TestCLIChild runs csm with the arguments of CSM_CLI_CHILD_ARGS as a
// process of its own, so that the read-only tests can run it as a user
// the file system refuses.
func TestCLIChild(t *testing.T) {
	raw := os.Getenv(cliChildEnv)
	if raw == "" {
		t.Skip("run by TestReadOnlyDatabase")
	}
	keyringStore = emptyKeyring{}
	os.Exit(run(strings.Split(raw, "\n"), os.Stdout, os.Stderr))
}

// nobody is the user the children run as when the tests run as root, for
// whom file permissions are no obstacle.
const nobody = 65534

// cliAs runs csm in a child process, as nobody when this test runs as
// root, and returns its exit code and output.
func cliAs(t *testing.T, exe string, env []string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(exe, "-test.run=^TestCLIChild$")
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	}
	return cliIn(t, cmd, env, args...)
}

// cliIn runs csm as cmd, which runs this test binary's TestCLIChild.
func cliIn(t *testing.T, cmd *exec.Cmd, env []string, args ...string) (int, string) {
	t.Helper()
	cmd.Env = append(os.Environ(), append(env, cliChildEnv+"="+strings.Join(args, "\n"))...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run csm %v: %v", args, err)
	}
	return cmd.ProcessState.ExitCode(), out.String()
}

// sharedDir is a new directory under base that the child's user can
// reach and own (a test's own temporary directories are private to it).
func sharedDir(t *testing.T, base, prefix string) string {
	t.Helper()
	dir, err := os.MkdirTemp(base, prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error { os.Chmod(p, 0o700); return nil })
		os.RemoveAll(dir)
	})
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// giveAway makes the child's user own every file under dir.
func giveAway(t *testing.T, dir string) {
	t.Helper()
	if os.Geteuid() != 0 {
		return
	}
	err := filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, nobody, nobody)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// copyExecutable copies this test binary where the child's user can run it.
func copyExecutable(t *testing.T, base string) string {
	t.Helper()
	dst := filepath.Join(sharedDir(t, base, "csm-bin-"), "csm.test")
	in, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestReadOnlyDatabase(t *testing.T) {
	base := os.TempDir()
	exe := copyExecutable(t, base)
	cases := []struct {
		name     string
		readOnly func(dataDir, db string) error
		says     string
	}{
		{"read-only file", func(_, db string) error { return os.Chmod(db, 0o444) }, "the file is read-only"},
		{"read-only directory", func(dir, _ string) error { return os.Chmod(dir, 0o555) }, "is read-only"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cliEnv(t)
			dataDir := sharedDir(t, base, "csm-data-")
			t.Setenv("CSM_DATA_DIR", dataDir)
			accts := cliBook(t, nil)
			st := cliStore(t)
			if err := st.Recompute(context.Background()); err != nil {
				t.Fatal(err)
			}
			st.Close()
			configDir := sharedDir(t, base, "csm-config-")
			env := []string{"CSM_DATA_DIR=" + dataDir, "XDG_CONFIG_HOME=" + configDir, "HOME=" + configDir}
			giveAway(t, dataDir)
			giveAway(t, configDir)
			db := filepath.Join(dataDir, data.DBFile)
			if err := c.readOnly(dataDir, db); err != nil {
				t.Fatal(err)
			}
			before := fileHash(t, db)

			for _, args := range [][]string{
				{"status"},
				{"accounts"},
				{"accounts", "--json"},
				{"search", "renewal"},
				{"brief", accts[0].ID},
			} {
				code, out := cliAs(t, exe, env, args...)
				if code != 0 {
					t.Errorf("csm %s on a %s: exit %d: %s", strings.Join(args, " "), c.name, code, out)
				}
			}
			code, out := cliAs(t, exe, env, "note", accts[0].ID, "-m", "words typed on a plane")
			if code != 1 || !strings.Contains(out, "read-only") || !strings.Contains(out, c.says) {
				t.Errorf("csm note on a %s: exit %d, %q; want exit 1 saying %q", c.name, code, out, c.says)
			}
			t.Logf("csm note says: %s", strings.TrimSpace(out))
			if fileHash(t, db) != before {
				t.Error("the database file changed")
			}
		})
	}
}

// On a read-only file system SQLite says "disk I/O error" or "cannot
// open"; csm says which it is. The file system is a tmpfs mounted
// read-only in a mount namespace of the child's own, which needs root.
func TestReadOnlyFileSystem(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a read-only file system needs root: run `sudo go test -run TestReadOnlyFileSystem .` (CI runs as root)")
	}
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Fatalf("unshare (util-linux) is needed to mount a private read-only file system: %v", err)
	}
	cliEnv(t)
	accts := cliBook(t, nil)
	st := cliStore(t)
	if err := st.Recompute(context.Background()); err != nil {
		t.Fatal(err)
	}
	st.Close()
	mnt := t.TempDir()
	// The database is copied into a fresh tmpfs, which is then made
	// read-only, and csm runs there, in the namespace that sees it.
	script := `mount -t tmpfs tmpfs "$1" && cp -a "$2"/. "$1"/ && mount -o remount,ro "$1" && shift 2 && exec "$@"`
	run := func(args ...string) (int, string) {
		cmd := exec.Command("unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh",
			mnt, os.Getenv("CSM_DATA_DIR"), os.Args[0], "-test.run=^TestCLIChild$")
		return cliIn(t, cmd, []string{"CSM_DATA_DIR=" + mnt}, args...)
	}
	for _, args := range [][]string{{"status"}, {"accounts"}, {"brief", accts[0].ID}, {"search", "renewal"}} {
		if code, out := run(args...); code != 0 {
			t.Errorf("csm %s on a read-only file system: exit %d: %s", strings.Join(args, " "), code, out)
		}
	}
	code, out := run("note", accts[0].ID, "-m", "words typed on a plane")
	if code != 1 || !strings.Contains(out, "read-only file system") {
		t.Fatalf("csm note on a read-only file system: exit %d, %q; want exit 1 naming the read-only file system", code, out)
	}
	t.Logf("csm note says: %s", strings.TrimSpace(out))
}
