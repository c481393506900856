package format

import (
	"testing"

	"csm/model"
)

func TestRenewalTotals(t *testing.T) {
	tests := []struct {
		name string
		ts   []model.CurrencyTotal
		want string
	}{
		{"none", nil, "nothing renewing"},
		{"one, at risk", []model.CurrencyTotal{{Currency: "USD", Accounts: 12, AtRisk: 4, RenewingCents: 120_000_000, AtRiskCents: 30_000_000}},
			"$1.2M renewing, $300k at risk (4 of 12)"},
		{"two currencies, each its own", []model.CurrencyTotal{
			{Currency: "EUR", Accounts: 2, RenewingCents: 8_000_000},
			{Currency: "USD", Accounts: 1, AtRisk: 1, RenewingCents: 50_000, AtRiskCents: 50_000}},
			"€80k renewing, nothing at risk · $500 renewing, $500 at risk (1 of 1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RenewalTotals(tt.ts); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAmountsMonthRisks(t *testing.T) {
	if got := Amounts([]model.CurrencyAmount{{Currency: "EUR", Cents: 30_000_000}, {Currency: "USD", Cents: 120_000_000}}); got != "€300k · $1.2M" {
		t.Errorf("Amounts = %q", got)
	}
	if got := Amounts(nil); got != "none" {
		t.Errorf("Amounts(nil) = %q", got)
	}
	if got := Month("2026-12"); got != "December 2026" {
		t.Errorf("Month = %q", got)
	}
	if got := Month("bad\x1b[2J"); got != "bad" {
		t.Errorf("Month of a bad key = %q", got)
	}
	if got := RiskLabels([]string{model.SegmentDangerZone, model.AlertCrisis}); got != "Danger zone, Crisis" {
		t.Errorf("RiskLabels = %q", got)
	}
	if got := RiskLabels(nil); got != "—" {
		t.Errorf("RiskLabels(nil) = %q", got)
	}
}
