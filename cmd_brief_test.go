package main

import (
	"strings"
	"testing"

	"csm/model"
)

// csm brief finds its account as csm note does; what it prints is
// brief.Render's, tested in the brief package.
func TestBriefAccountSelection(t *testing.T) {
	dataDir, _ := triageEnv(t)
	b := model.Generate(model.GenOptions{Seed: 4, Accounts: 30, Days: 120, CSMs: 1})[0]
	b.Accounts = append(b.Accounts,
		model.Account{ID: "zz1", Name: "Qwzx One", Tier: model.TierTechTouch, Stage: model.StageOngoing, Currency: "USD"},
		model.Account{ID: "zz2", Name: "Qwzx Two", Tier: model.TierTechTouch, Stage: model.StageOngoing, Currency: "USD"},
		model.Account{ID: "evil", Name: "Evil\x1b]0;owned\x07 *Corp*\x1b[2J", Tier: model.TierTechTouch, Stage: model.StageOngoing, Currency: "USD"},
	)
	triageImport(t, dataDir, b)
	tests := []struct {
		name  string
		args  []string
		code  int
		title string // expected first line of stdout
		err   []string
	}{
		{"by id", []string{"brief", "zz2"}, 0, "# Qwzx Two", nil},
		{"by name prefix, any case", []string{"brief", "qWZX o"}, 0, "# Qwzx One", nil},
		{"hostile name", []string{"brief", "evil"}, 0, `# Evil \*Corp\*`, nil},
		{"ambiguous", []string{"brief", "qwz"}, 1, "", []string{`"qwz" matches 2 accounts`, `"Qwzx One"`, `"Qwzx Two"`}},
		{"no match", []string{"brief", "nobody"}, 1, "", []string{`no account matches "nobody"`}},
		{"no argument", []string{"brief"}, 2, "", []string{"csm brief needs ACCOUNT: csm brief ACCOUNT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runTriage(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d (%s)", code, tt.code, errOut)
			}
			assertNoControls(t, out+errOut)
			if tt.title != "" && !strings.HasPrefix(out, tt.title+"\n") {
				t.Errorf("brief starts %.40q, want %q", out, tt.title)
			}
			for _, w := range tt.err {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q lacks %q", errOut, w)
				}
			}
		})
	}
}
