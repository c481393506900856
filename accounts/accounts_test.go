package accounts

import (
	"strings"
	"testing"

	"csm/data"
	"csm/format"
	"csm/model"
)

func row(id, name string, health float64, alerts ...string) data.BookRow {
	r := data.BookRow{Account: model.Account{ID: id, Name: name, Currency: "USD"}}
	r.Metrics.Health.Score, r.Metrics.Alerts = health, alerts
	if len(alerts) > 0 {
		r.Metrics.Urgency = 30000
	}
	return r
}

func TestSelect(t *testing.T) {
	rows := []data.BookRow{row("c", "Cee", 70), row("a", "Ay", 20, model.AlertCrisis), row("b", "Bee", 40)}
	model.ApplySnoozes(&rows[1].Metrics, map[string]model.Date{model.SnoozeAll: 1})
	urgency, _ := model.FindBookSort("urgency")
	name, _ := model.FindBookSort("name")
	tests := []struct {
		view  string
		order model.BookSort
		want  string
	}{
		{"", urgency, "b c a"}, // the snoozed account last
		{"", name, "a b c"},
		{model.NeedsMe, urgency, ""},
		{model.FlagSnoozed, name, "a"},
	}
	for _, tt := range tests {
		var ids []string
		for _, r := range Select(rows, tt.view, tt.order) {
			ids = append(ids, r.Account.ID)
		}
		if got := strings.Join(ids, " "); got != tt.want {
			t.Errorf("Select(%q, %s) = %q, want %q", tt.view, tt.order.Key, got, tt.want)
		}
	}
	if rows[0].Account.ID != "c" {
		t.Error("Select reordered its input")
	}
}

func TestWriteJSONAndTable(t *testing.T) {
	rows := []data.BookRow{row("a", "Acme \x1b[31mCorp", 20.5)}
	var j strings.Builder
	if err := WriteJSON(&j, rows, model.MakeDate(2026, 11, 20)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"util": null`, `"segments": []`, `"alerts": []`, `"reasons": {}`, `"as_of": "2026-11-20"`, `\u001b[31m`} {
		if !strings.Contains(j.String(), want) {
			t.Errorf("JSON lacks %s:\n%s", want, j.String())
		}
	}
	var tb strings.Builder
	book := data.Book{Rows: rows}
	book.Totals.AsOf = model.MakeDate(2026, 11, 20)
	if err := WriteTable(&tb, rows, book, ""); err != nil {
		t.Fatal(err)
	}
	if out := tb.String(); strings.ContainsRune(out, 0x1b) || !strings.Contains(out, "Acme Corp") ||
		!strings.HasPrefix(out, "1 account · usage as of Nov 20, 2026\nNAME") || !strings.Contains(out, format.Undefined) {
		t.Errorf("table:\n%s", out)
	}
}
