package format

import (
	"fmt"
	"strings"
	"time"

	"csm/model"
	"csm/safe"
)

// RenewalTotals says renewal totals in words, one currency after the
// other, never added across currencies: "$1.2M renewing, $300k at risk
// (4 of 12) · €80k renewing, nothing at risk". The cockpit's Renewals
// screen and csm renewals say the same.
func RenewalTotals(ts []model.CurrencyTotal) string {
	if len(ts) == 0 {
		return "nothing renewing"
	}
	parts := make([]string, len(ts))
	for i, t := range ts {
		risk := "nothing at risk"
		if t.AtRisk > 0 {
			risk = fmt.Sprintf("%s at risk (%d of %d)", Money(t.AtRiskCents, t.Currency), t.AtRisk, t.Accounts)
		}
		parts[i] = Money(t.RenewingCents, t.Currency) + " renewing, " + risk
	}
	return strings.Join(parts, " · ")
}

// Amounts says sums of money per currency, one after the other: "$1.2M ·
// €300k"; "none" for no amount.
func Amounts(as []model.CurrencyAmount) string {
	if len(as) == 0 {
		return "none"
	}
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = Money(a.Cents, a.Currency)
	}
	return strings.Join(parts, " · ")
}

// Month writes a month key ("2026-12") as "December 2026".
func Month(month string) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return safe.Line(month)
	}
	return t.Format("January 2006")
}

// RiskLabels names risk keys as the cockpit does, joined by ", "; "—" for
// none.
func RiskLabels(keys []string) string {
	if len(keys) == 0 {
		return "—"
	}
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = model.Label(k)
	}
	return strings.Join(out, ", ")
}
