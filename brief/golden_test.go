package brief

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"csm/data"
	"csm/model"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestGolden")

// goldenNow is the day the golden briefs are rendered on, the day after
// their usage day.
var goldenNow = time.Date(2026, time.November, 21, 9, 30, 0, 0, time.UTC)

func day(m time.Month, d int) model.Date     { return model.MakeDate(2026, m, d) }
func dayPtr(m time.Month, d int) *model.Date { v := day(m, d); return &v }
func f64(v float64) *float64                 { return &v }
func ptr[T any](v T) *T                      { return &v }

// scoredHealth is the health model.ScoreHealth gives m's figures with the
// default weights, so a brief's breakdown is the one csm computes.
func scoredHealth(m *model.AccountMetrics, nps *int) model.Health {
	return model.ScoreHealth(model.HealthInputs{Util: m.Util, Stickiness: m.Stickiness, FeatureAdoption: m.FeatureAdoption,
		Trend: m.Trend, NPS: nps, Champion: m.Champion}, model.DefaultThresholds().Weights)
}

// goldenAccount is the account every golden brief is about.
func goldenAccount() model.Account {
	return model.Account{
		ID: "a1", Name: "Acme Rockets", Tier: model.TierHighTouch, Stage: model.StageAdoption,
		Licenses: 120, ARRCents: 4_850_000_00, Currency: "USD",
		PurchasedOn: day(time.January, 5), OnboardingStartedOn: day(time.January, 10),
		RenewalOn: day(time.December, 20), AccountExecutive: model.Person{Name: "Ann Exec"},
	}
}

// newDetail is an account that arrived and has no metrics yet.
func newDetail() data.AccountDetail {
	a := goldenAccount()
	a.AccountExecutive = model.Person{}
	return data.AccountDetail{Account: a, Book: model.BookMetrics{AsOf: day(time.November, 20), DangerLine: 40}}
}

// flaggedDetail has every part of a brief: figures, alerts, segments, a
// champion gone, NPS answers, notes with a correction, follow-ups due in
// every way.
func flaggedDetail() data.AccountDetail {
	d := newDetail()
	d.Account = goldenAccount()
	d.Account.OnboardingCompletedOn = dayPtr(time.February, 20)
	d.HasMetrics = true
	m := &d.Metrics
	m.Licenses, m.MAU, m.MAUPrev, m.DAU, m.Stickiness = 120, 30, 60, 7.5, 0.25
	m.Util, m.Trend = f64(0.25), f64(-0.5)
	m.WeeklyActive[0], m.WeeklyActive[2] = 12, 4
	// No high-value feature in the catalogue: feature adoption is left
	// out of the health and the other weights are renormalised.
	m.RenewalInDays = 30
	m.Champion = model.ChampionLeft
	m.Health = scoredHealth(m, ptr(3))
	m.Alerts = []string{model.AlertCrisis}
	m.AlertNotes = []model.AlertNote{{Key: model.AlertCrisis, Title: "Crisis", What: "Usage halved in 30 days.",
		Figures: "MAU 60 → 30", Play: "Run the save play."}}
	m.Segments = []string{model.SegmentSignificantDrop, model.SegmentChampionLeft}
	m.Reasons = map[string]string{model.SegmentSignificantDrop: "MAU fell 50% in 30 days.", model.SegmentChampionLeft: "Pat left on Oct 1."}
	d.Contacts = []model.Contact{
		{ID: "c1", Name: "Pat Champ", Title: "VP Ops", Email: "pat@acme.example", Role: model.RoleChampion, IsChampion: true, LeftCompanyOn: dayPtr(time.October, 1)},
		{ID: "c2", Name: "Sam Sponsor", Role: model.RoleSponsor, LeftCompanyOn: dayPtr(time.November, 2)},
		{ID: "c3", Name: "Kim Admin", Role: model.RoleAdmin, LeftCompanyOn: dayPtr(time.December, 1)},
	}
	d.NPS = []model.NPSResponse{
		{ID: "n1", ContactID: "c2", Score: 9, Comment: "great", RespondedOn: day(time.March, 1)},
		{ID: "n2", ContactID: "c2", Score: 3, Comment: "Reports are slow.\nExports time out.", RespondedOn: day(time.October, 15)},
		{ID: "n3", ContactID: "c2", Score: 10, RespondedOn: day(time.November, 30)},
	}
	at := func(m time.Month, dd int) time.Time { return day(m, dd).Time().Add(10 * time.Hour) }
	d.Notes = []model.Note{
		{ID: "o1", Kind: model.NoteCall, HappenedAt: at(time.October, 1), Body: "first call", Author: "Dana", Revision: 1},
		{ID: "o2", Kind: model.NoteEmail, HappenedAt: at(time.October, 10), Body: "second", Revision: 1},
		{ID: "o3", Kind: model.NoteCall, HappenedAt: at(time.October, 20), Body: "typo", Author: "Dana", Revision: 1},
		{ID: "o3b", Kind: model.NoteCall, HappenedAt: at(time.October, 20), Body: "QBR moved.\n# agenda\n*bold*", Author: "Dana",
			Revision: 2, Supersedes: ptr("o3"), NextSteps: []string{"Send the deck", "Book the [QBR]"}},
		{ID: "o4", Kind: model.NoteMeeting, HappenedAt: at(time.October, 25), Author: "Dana", Revision: 1},
	}
	d.Tasks = []model.Task{
		{ID: "t1", Title: "Send the deck", DueOn: dayPtr(time.November, 18)},
		{ID: "t2", Title: "Call Pat's successor", DueOn: dayPtr(time.November, 21)},
		{ID: "t3", Title: "Plan the QBR", DueOn: dayPtr(time.December, 1)},
		{ID: "t4", Title: "Someday"},
		{ID: "t5", Title: "Done already", DueOn: dayPtr(time.November, 1), DoneAt: ptr(at(time.November, 2))},
	}
	return d
}

// quietDetail is an account without licenses whose renewal has passed:
// its figures are undefined, and it is flagged, without an alert.
func quietDetail() data.AccountDetail {
	d := newDetail()
	d.Account.Licenses = 0
	d.Account.RenewalOn = day(time.November, 17)
	d.HasMetrics = true
	d.Metrics.Champion = model.ChampionNone
	d.Metrics.RenewalInDays = -3
	d.Metrics.Flags = []string{model.FlagNoLicenses}
	d.Metrics.Reasons = map[string]string{model.FlagNoLicenses: "The account has no licenses."}
	d.Metrics.Health = scoredHealth(&d.Metrics, nil)
	return d
}

// healthyDetail is used every week, flagged for nothing, with its
// champion still there.
func healthyDetail() data.AccountDetail {
	d := newDetail()
	d.HasMetrics = true
	m := &d.Metrics
	m.Licenses, m.MAU, m.MAUPrev, m.DAU, m.Stickiness = 120, 96, 80, 40, 0.42
	m.Util, m.Trend, m.FeatureAdoption = f64(0.8), f64(0.2), f64(1)
	m.FeaturesAdopted, m.HighValueFeatures = []string{"reports"}, 1
	m.WeeklyUse = true
	m.RenewalInDays = 30
	m.Champion = model.ChampionActive
	m.Health = scoredHealth(m, nil)
	d.Contacts = []model.Contact{{ID: "c1", Name: "Pat Champ", Role: model.RoleChampion, IsChampion: true}}
	return d
}

// The whole brief, for each kind of account, as a file in testdata (go
// test -update rewrites them).
func TestGolden(t *testing.T) {
	for name, d := range map[string]data.AccountDetail{
		"new":     newDetail(),
		"flagged": flaggedDetail(),
		"quiet":   quietDetail(),
		"healthy": healthyDetail(),
	} {
		t.Run(name, func(t *testing.T) {
			got := Render(d, goldenNow)
			path := filepath.Join("testdata", name+".md")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test -update writes it)", err)
			}
			if got != string(want) {
				t.Errorf("the brief differs from %s:\n--- got\n%s\n--- want\n%s", path, got, want)
			}
		})
	}
}
