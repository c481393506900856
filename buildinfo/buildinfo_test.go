package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestFrom(t *testing.T) {
	stamped := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "csm", Version: "(devel)"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"},
			{Key: "vcs.time", Value: "2026-12-01T10:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	tests := []struct {
		name                  string
		bi                    *debug.BuildInfo
		version, commit, date string
		want                  string
	}{
		{"release values win", stamped, "1.2.0", "abc1234", "2026-12-02T07:00:00Z",
			"csm 1.2.0 (commit abc1234, built 2026-12-02T07:00:00Z, go1.26.8)"},
		{"a go build names its commit from the stamp", stamped, "", "", "",
			"csm dev (commit 0123456789ab+dirty, built 2026-12-01T10:00:00Z, go1.26.8)"},
		{"go install names its module version", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.3.0"}}, "", "", "",
			"csm v1.3.0 (commit unknown, built unknown, go1.26.8)"},
		{"no build information", nil, "", "", "", "csm dev (commit unknown, built unknown, go"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := from(tc.bi, tc.version, tc.commit, tc.date).String()
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}
