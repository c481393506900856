package model

import (
	"errors"
	"fmt"
	"math"
)

// RulesVersion names this version of the rules (metrics, segments,
// alerts, health). Stored metrics carry it with their thresholds, so a csm
// whose rules changed recomputes a book computed by an older one instead
// of showing its figures. Bump it with any change to what a rule computes.
const RulesVersion = 3

// Thresholds holds every tunable number of the domain rules (SPEC §2). The
// toml tags are the keys of the config file and the names Validate reports.
// Ratios are fractions (0.60, not 60).
type Thresholds struct {
	// LowUtilization: low_utilization and low_engagement_after_onboarding
	// hold below this utilization.
	LowUtilization float64 `toml:"low_utilization" json:"low_utilization"`
	// LowStickiness: low_engagement_after_onboarding holds below this stickiness.
	LowStickiness float64 `toml:"low_stickiness" json:"low_stickiness"`
	// SettleDays: low_engagement_after_onboarding needs onboarding completed
	// at least this many days before T.
	SettleDays int `toml:"onboarding_settle_days" json:"onboarding_settle_days"`
	// DropRatio: significant_drop holds when the last two weeks' average DAU
	// is at most this share of the four weeks before.
	DropRatio float64 `toml:"drop_ratio" json:"drop_ratio"`
	// GrowingTrend: growing holds when the trend is above this.
	GrowingTrend float64 `toml:"growing_trend" json:"growing_trend"`
	// TopCustomersShare: the share of the book, by MAU, in top_customers.
	TopCustomersShare float64 `toml:"top_customers_share" json:"top_customers_share"`
	// DangerLine fixes the danger line; nil takes the book's percentile below.
	DangerLine *float64 `toml:"danger_line" json:"danger_line"`
	// DangerPercentile: the nearest-rank percentile of book health that
	// makes the danger line when DangerLine is nil.
	DangerPercentile float64 `toml:"danger_percentile" json:"danger_percentile"`
	// ApproachingMargin: approaching_danger holds up to this many health
	// points above the danger line.
	ApproachingMargin float64 `toml:"approaching_margin" json:"approaching_margin"`
	// RenewalWindowDays: renewal_soon holds when renewal is this close.
	RenewalWindowDays int `toml:"renewal_window_days" json:"renewal_window_days"`
	// DetractorMaxScore: detractor holds when the latest NPS is at most this.
	DetractorMaxScore int `toml:"detractor_max_score" json:"detractor_max_score"`
	// FlatTrend: flat_usage holds when the trend is within ± this ...
	FlatTrend float64 `toml:"flat_trend" json:"flat_trend"`
	// FlatMaxUtilization: ... while utilization is below this.
	FlatMaxUtilization float64 `toml:"flat_max_utilization" json:"flat_max_utilization"`
	// HandoffDays: relationship_change looks at purchases and onboarding
	// completions this recent ...
	HandoffDays int `toml:"handoff_days" json:"handoff_days"`
	// HandoffUtilization: ... with utilization below this.
	HandoffUtilization float64 `toml:"handoff_utilization" json:"handoff_utilization"`
	// CrisisUtilization: crisis needs utilization 30 days ago at least this.
	CrisisUtilization float64 `toml:"crisis_utilization" json:"crisis_utilization"`
	// SurpriseTrend and SurpriseMinMAU: surprise on a trend at least this
	// with at least this many monthly users ...
	SurpriseTrend  float64 `toml:"surprise_trend" json:"surprise_trend"`
	SurpriseMinMAU int     `toml:"surprise_min_mau" json:"surprise_min_mau"`
	// SurpriseUtilization: ... or on utilization crossing this upwards.
	SurpriseUtilization float64 `toml:"surprise_utilization" json:"surprise_utilization"`
	// LowUtilizationTarget: the portfolio objective's ceiling on the number
	// of low_utilization accounts.
	LowUtilizationTarget int `toml:"low_utilization_target" json:"low_utilization_target"`
	// QBRIntervalDays: a QBR is due this many days after onboarding
	// completion or after the last QBR.
	QBRIntervalDays int `toml:"qbr_interval_days" json:"qbr_interval_days"`
	// PlayCooldownDays: a play closed less than this many days ago is not
	// suggested again (SuggestedPlays).
	PlayCooldownDays int `toml:"play_cooldown_days" json:"play_cooldown_days"`
	// Weights of the health components; relative, they need not add to 100.
	Weights Weights `toml:"weights" json:"weights"`
}

// Weights are the relative weights of the health components.
type Weights struct {
	Utilization     float64 `toml:"utilization" json:"utilization"`
	Stickiness      float64 `toml:"stickiness" json:"stickiness"`
	FeatureAdoption float64 `toml:"feature_adoption" json:"feature_adoption"`
	Trend           float64 `toml:"trend" json:"trend"`
	NPS             float64 `toml:"nps" json:"nps"`
	Champion        float64 `toml:"champion" json:"champion"`
}

// DefaultThresholds returns the defaults of SPEC §2. The health weights put
// depth of use first (utilization, stickiness, feature adoption make 70 of
// 100) and leave the rest to direction and relationship.
func DefaultThresholds() Thresholds {
	return Thresholds{
		LowUtilization:       0.60,
		LowStickiness:        0.20,
		SettleDays:           30,
		DropRatio:            0.70,
		GrowingTrend:         0.10,
		TopCustomersShare:    0.10,
		DangerPercentile:     0.25,
		ApproachingMargin:    5,
		RenewalWindowDays:    90,
		DetractorMaxScore:    6,
		FlatTrend:            0.05,
		FlatMaxUtilization:   0.80,
		HandoffDays:          45,
		HandoffUtilization:   0.40,
		CrisisUtilization:    0.60,
		SurpriseTrend:        0.25,
		SurpriseMinMAU:       5,
		SurpriseUtilization:  0.80,
		LowUtilizationTarget: 10,
		QBRIntervalDays:      91,
		PlayCooldownDays:     DefaultPlayCooldownDays,
		Weights: Weights{
			Utilization:     30,
			Stickiness:      20,
			FeatureAdoption: 20,
			Trend:           10,
			NPS:             10,
			Champion:        10,
		},
	}
}

// maxUtilizationThreshold bounds utilization thresholds. Utilization can
// exceed 1 (more users than licenses), so they are not capped at 1, but a
// threshold of 10× the licenses is surely a typo for a percentage.
const maxUtilizationThreshold = 10

// Validate checks every threshold and reports each bad one by its config
// key, e.g. "low_utilization = 60: must be between 0 and 10".
func (th Thresholds) Validate() error {
	var errs []error
	check := func(key string, v, lo, hi float64) {
		// Written so that NaN fails too.
		if !(v >= lo && v <= hi) {
			errs = append(errs, fmt.Errorf("%s = %v: must be between %v and %v", key, v, lo, hi))
		}
	}
	days := func(key string, v, lo int) {
		if v < lo {
			errs = append(errs, fmt.Errorf("%s = %d: must be at least %d", key, v, lo))
		}
	}
	check("low_utilization", th.LowUtilization, 0, maxUtilizationThreshold)
	check("low_stickiness", th.LowStickiness, 0, 1)
	days("onboarding_settle_days", th.SettleDays, 0)
	check("drop_ratio", th.DropRatio, 0, 1)
	check("growing_trend", th.GrowingTrend, -1, math.MaxFloat64)
	check("top_customers_share", th.TopCustomersShare, 0, 1)
	if th.DangerLine != nil {
		check("danger_line", *th.DangerLine, 0, 100)
	}
	if !(th.DangerPercentile > 0 && th.DangerPercentile <= 1) {
		errs = append(errs, fmt.Errorf("danger_percentile = %v: must be above 0 and at most 1", th.DangerPercentile))
	}
	check("approaching_margin", th.ApproachingMargin, 0, 100)
	days("renewal_window_days", th.RenewalWindowDays, 0)
	check("detractor_max_score", float64(th.DetractorMaxScore), 0, 10)
	check("flat_trend", th.FlatTrend, 0, math.MaxFloat64)
	check("flat_max_utilization", th.FlatMaxUtilization, 0, maxUtilizationThreshold)
	days("handoff_days", th.HandoffDays, 0)
	check("handoff_utilization", th.HandoffUtilization, 0, maxUtilizationThreshold)
	check("crisis_utilization", th.CrisisUtilization, 0, maxUtilizationThreshold)
	check("surprise_trend", th.SurpriseTrend, -1, math.MaxFloat64)
	days("surprise_min_mau", th.SurpriseMinMAU, 0)
	check("surprise_utilization", th.SurpriseUtilization, 0, maxUtilizationThreshold)
	days("low_utilization_target", th.LowUtilizationTarget, 0)
	days("qbr_interval_days", th.QBRIntervalDays, 1)
	days("play_cooldown_days", th.PlayCooldownDays, 0)
	errs = append(errs, th.Weights.validate()...)
	return errors.Join(errs...)
}

// validate checks that each weight is a finite number ≥ 0 and that at least
// one is above zero, since the health score divides by their sum.
func (w Weights) validate() []error {
	var errs []error
	total := 0.0
	for _, c := range w.list() {
		if !(c.weight >= 0 && c.weight <= math.MaxFloat64) {
			errs = append(errs, fmt.Errorf("weights.%s = %v: must be a number of at least 0", c.key, c.weight))
			continue
		}
		total += c.weight
	}
	if len(errs) == 0 && total <= 0 {
		errs = append(errs, errors.New("weights: at least one weight must be above 0"))
	}
	return errs
}

type keyedWeight struct {
	key    string
	weight float64
}

// list returns the weights under their config keys, in health component order.
func (w Weights) list() []keyedWeight {
	return []keyedWeight{
		{HealthUtilization, w.Utilization},
		{HealthStickiness, w.Stickiness},
		{HealthFeatureAdoption, w.FeatureAdoption},
		{HealthTrend, w.Trend},
		{HealthNPS, w.NPS},
		{HealthChampion, w.Champion},
	}
}
