package model

import "math"

// Health component keys, in display order; they are also the config keys of
// the weights (weights.utilization, …).
const (
	HealthUtilization     = "utilization"
	HealthStickiness      = "stickiness"
	HealthFeatureAdoption = "feature_adoption"
	HealthTrend           = "trend"
	HealthNPS             = "nps"
	HealthChampion        = "champion"
)

// Normalisation constants of the health components.
const (
	// stickinessFull is the stickiness that scores full marks: half of the
	// monthly users on an average day is as sticky as business software gets.
	stickinessFull = 0.5
	// trendSpan: a trend of −50% scores 0, flat scores 0.5, +50% scores 1.
	trendSpan = 0.5
	// championUnknown scores an account that never named a champion: worse
	// than having one, better than having lost one.
	championUnknown = 0.5
)

// HealthInputs are the figures the health score reads. Nil means undefined.
type HealthInputs struct {
	Util            *float64
	Stickiness      float64
	FeatureAdoption *float64
	Trend           *float64
	NPS             *int
	Champion        string // ChampionActive, ChampionLeft or ChampionNone
}

// HealthComponent is one part of the health score, kept so the UI can show
// why an account scores what it does.
type HealthComponent struct {
	Key string `json:"key"`
	// Value is the raw figure (utilization 0.42, NPS 7, champion 1/0.5/0);
	// nil when undefined.
	Value *float64 `json:"value"`
	// Counted is false when the figure is undefined: the component is left
	// out and the other weights share its part.
	Counted bool `json:"counted"`
	// Score is the figure normalised to 0..1.
	Score float64 `json:"score"`
	// Weight is the configured weight.
	Weight float64 `json:"weight"`
	// Points is the component's share of the 0–100 health score.
	Points float64 `json:"points"`
}

// Health is the 0–100 score and the parts it is made of.
type Health struct {
	Score      float64           `json:"score"`
	Components []HealthComponent `json:"components"`
}

// ScoreHealth scores an account from 0 to 100.
//
// Each component is normalised to 0..1:
//   - utilization: as is, capped at 1 (more users than licenses is no better);
//   - stickiness: stickiness / 0.5, capped at 1;
//   - feature adoption: as is;
//   - trend: −0.5..+0.5 mapped to 0..1, clamped (flat is 0.5);
//   - NPS: latest score / 10;
//   - champion: active 1, left and not replaced 0, never named 0.5.
//
// The score is the weighted mean of the normalised components × 100,
// rounded to one decimal. An undefined component (no licenses, no
// high-value feature in the catalogue, no NPS answer, no MAU 30 days ago) is
// left out and the weighted mean runs over the others, so a missing figure
// neither sinks nor lifts an account. Nothing counts logins or sessions, so
// activity without depth cannot raise health on its own. When no weighted
// component is defined the score is 0.
func ScoreHealth(in HealthInputs, w Weights) Health {
	values := []struct {
		key   string
		value *float64
		score func(float64) float64
	}{
		{HealthUtilization, in.Util, unitClamp},
		{HealthStickiness, &in.Stickiness, func(v float64) float64 { return unitClamp(v / stickinessFull) }},
		{HealthFeatureAdoption, in.FeatureAdoption, unitClamp},
		{HealthTrend, in.Trend, func(v float64) float64 { return unitClamp((v + trendSpan) / (2 * trendSpan)) }},
		{HealthNPS, npsValue(in.NPS), func(v float64) float64 { return unitClamp(v / 10) }},
		{HealthChampion, metricPtr(championValue(in.Champion)), unitClamp},
	}
	weights := w.list()

	h := Health{Components: make([]HealthComponent, len(values))}
	total := 0.0
	for i, v := range values {
		c := HealthComponent{Key: v.key, Weight: weights[i].weight}
		if v.value != nil && finiteFloat(*v.value) {
			c.Value = metricPtr(*v.value)
			c.Counted = true
			c.Score = v.score(*v.value)
			total += c.Weight
		}
		h.Components[i] = c
	}
	if !(total > 0) {
		return h
	}
	sum := 0.0
	for i := range h.Components {
		c := &h.Components[i]
		if c.Counted {
			c.Points = 100 * c.Score * c.Weight / total
			sum += c.Points
		}
	}
	h.Score = math.Round(sum*10) / 10
	return h
}

func npsValue(score *int) *float64 {
	if score == nil {
		return nil
	}
	return metricPtr(float64(*score))
}

func championValue(status string) float64 {
	switch status {
	case ChampionActive:
		return 1
	case ChampionLeft:
		return 0
	default:
		return championUnknown
	}
}

func unitClamp(v float64) float64 { return min(max(v, 0), 1) }

func finiteFloat(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// UsedWeight is the share of the score the component key carried: its
// configured weight over the weights of the counted components, 0 when it
// was left out. 100 × Score × UsedWeight is its Points, and the used
// weights of the counted components add up to 1.
func (h Health) UsedWeight(key string) float64 {
	total, w := 0.0, 0.0
	for _, c := range h.Components {
		if !c.Counted {
			continue
		}
		total += c.Weight
		if c.Key == key {
			w = c.Weight
		}
	}
	if !(total > 0) {
		return 0
	}
	return w / total
}

// LeftOut lists the components with a weight that were left out because
// their figure is undefined: the others' weights were renormalised to
// share their part.
func (h Health) LeftOut() []string {
	var out []string
	for _, c := range h.Components {
		if !c.Counted && c.Weight > 0 {
			out = append(out, c.Key)
		}
	}
	return out
}

// UndefinedWhy says why a health component has no figure (see ScoreHealth).
func UndefinedWhy(key string) string {
	switch key {
	case HealthUtilization:
		return "no licenses"
	case HealthFeatureAdoption:
		return "no high-value feature in the catalogue"
	case HealthTrend:
		return "no monthly users 30 days ago"
	case HealthNPS:
		return "no NPS answer"
	}
	return "no weight"
}
