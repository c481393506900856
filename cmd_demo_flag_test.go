package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// csm --demo reads the demo's database, never the CSM's own; before any
// demo it says so rather than making an empty one; it never syncs.
func TestDemoFlagReadsTheDemoDatabase(t *testing.T) {
	dirs := isolated(t)
	code, _, stderr := invoke(t, "--demo", "status")
	if code != 1 || !strings.Contains(stderr, "no demo yet: run `csm demo` first") {
		t.Fatalf("before a demo: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dirs[0], "demo.db")); err == nil {
		t.Fatal("--demo made a demo database")
	}
	// A demo database (made here as csm demo would, by opening it).
	if code, _, stderr := invoke(t, "status"); code != 0 {
		t.Fatalf("status: %d %s", code, stderr)
	}
	if err := os.Rename(filepath.Join(dirs[0], "csm.db"), filepath.Join(dirs[0], "demo.db")); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"csm.db-wal", "csm.db-shm"} {
		os.Remove(filepath.Join(dirs[0], f))
	}
	code, stdout, stderr := invoke(t, "--demo", "status")
	if code != 0 || !strings.Contains(stdout, filepath.Join(dirs[0], "demo.db")) {
		t.Fatalf("--demo status: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dirs[0], "csm.db")); err == nil {
		t.Error("--demo status made the CSM's own database")
	}
	code, _, stderr = invoke(t, "--demo", "sync")
	if code != 2 || !strings.Contains(stderr, "the demo syncs only inside `csm demo`") {
		t.Errorf("--demo sync: exit %d, stderr %q", code, stderr)
	}
}

// The first run with no server points to csm login and csm demo.
func TestStatusWithoutServerPointsToLoginAndDemo(t *testing.T) {
	isolated(t)
	_, stdout, _ := invoke(t, "status")
	if !strings.Contains(stdout, "csm login") || !strings.Contains(stdout, "csm demo") {
		t.Errorf("status: %q", stdout)
	}
}
