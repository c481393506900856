package accounts

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"slices"
	"strings"
	"testing"

	"csm/data"
	"csm/model"
)

// TestCSVHeaderIsTheJSONFields: --csv has the fields of --json, in order,
// so a field added to Row without its column fails here.
func TestCSVHeaderIsTheJSONFields(t *testing.T) {
	var names []string
	rt := reflect.TypeOf(Row{})
	for i := 0; i < rt.NumField(); i++ {
		names = append(names, strings.Split(rt.Field(i).Tag.Get("json"), ",")[0])
	}
	if !slices.Equal(CSVHeader, names) {
		t.Errorf("CSV header %v\nJSON fields %v", CSVHeader, names)
	}
}

func TestWriteCSVReadsBack(t *testing.T) {
	util, nps := 0.42, 3
	good := row("a1", "Acme, Inc. \"the best\"", 61.5, model.AlertCrisis)
	good.Account.ARRCents, good.Account.Currency = 1234500, "EUR"
	good.Metrics.Util, good.Metrics.NPS = &util, &nps
	good.Metrics.Segments = []string{model.SegmentDangerZone, model.SegmentDetractor}
	good.Metrics.Reasons = map[string]string{model.AlertCrisis: "champion left", model.SegmentDangerZone: "health 20 ≤ 30"}
	hostile := row("=id", "=HYPERLINK(\"http://x\")\x1b[2J", 10)
	hostile.Account.Stage = "@stage"
	var buf bytes.Buffer
	if err := WriteCSV(&buf, []data.BookRow{good, hostile}, model.MakeDate(2026, 11, 20)); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("does not parse back: %v\n%s", err, buf.String())
	}
	if len(recs) != 3 {
		t.Fatalf("%d records, want header and 2 rows", len(recs))
	}
	col := func(rec []string, name string) string { return rec[slices.Index(CSVHeader, name)] }
	g := recs[1]
	for name, want := range map[string]string{
		"id": "a1", "name": "Acme, Inc. \"the best\"", "arr_cents": "1234500", "currency": "EUR",
		"util": "0.42", "trend": "", "feature_adoption": "", "nps": "3", "health": "61.5", "as_of": "2026-11-20",
		"segments": "danger_zone;detractor", "alerts": "crisis",
		"reasons": "crisis: champion left | danger_zone: health 20 ≤ 30",
	} {
		if got := col(g, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	h := recs[2]
	for name, want := range map[string]string{"id": "'=id", "name": "'=HYPERLINK(\"http://x\")", "stage": "'@stage", "util": ""} {
		if got := col(h, name); got != want {
			t.Errorf("hostile %s = %q, want %q", name, got, want)
		}
	}
}
