// Package buildinfo says which csm this is: version, commit, build date and
// Go version. A release sets Version, Commit and Date at link time:
//
//	go build -ldflags "-X csm/buildinfo.Version=1.2.0 -X csm/buildinfo.Commit=abc1234 -X csm/buildinfo.Date=2026-12-02T07:00:00Z"
//
// A plain `go build` in a git checkout still names its commit and time, from
// the build information the Go toolchain stamps (runtime/debug).
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// Set at link time by a release (see .goreleaser.yaml).
var (
	Version = ""
	Commit  = ""
	Date    = ""
)

// Info is what a build says of itself.
type Info struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Date      string `json:"date"`
	GoVersion string `json:"go_version"`
	Modified  bool   `json:"modified"` // built from a work tree with uncommitted changes
}

// Get reads the build's information: the link-time values where a release
// set them, else the toolchain's stamp.
func Get() Info {
	bi, _ := debug.ReadBuildInfo()
	return from(bi, Version, Commit, Date)
}

// from is Get with its sources given (tests give their own).
func from(bi *debug.BuildInfo, version, commit, date string) Info {
	info := Info{Version: version, Commit: commit, Date: date, GoVersion: runtime.Version()}
	if bi != nil {
		if bi.GoVersion != "" {
			info.GoVersion = bi.GoVersion
		}
		if info.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			info.Version = bi.Main.Version // go install csm@vX.Y.Z
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if info.Commit == "" {
					info.Commit = s.Value
				}
			case "vcs.time":
				if info.Date == "" {
					info.Date = s.Value
				}
			case "vcs.modified":
				info.Modified = commit == "" && s.Value == "true"
			}
		}
	}
	if info.Version == "" {
		info.Version = "dev"
	}
	if info.Commit == "" {
		info.Commit = "unknown"
	}
	if info.Date == "" {
		info.Date = "unknown"
	}
	return info
}

// String is the one line `csm --version` prints:
// "csm 1.2.0 (commit abc1234def, built 2026-12-02T07:00:00Z, go1.26.8)".
func (i Info) String() string {
	commit := i.Commit
	if len(commit) > 12 && !strings.Contains(commit, " ") {
		commit = commit[:12]
	}
	if i.Modified {
		commit += "+dirty"
	}
	return fmt.Sprintf("csm %s (commit %s, built %s, %s)", i.Version, commit, i.Date, i.GoVersion)
}
