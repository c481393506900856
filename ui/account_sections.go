package ui

import (
	"fmt"
	"math"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"csm/format"
	"csm/model"
	"csm/safe"
)

// Section keys of the account page, in tab order.
const (
	secUsage     = "usage"
	secHealth    = "health"
	secWhy       = "why"
	secContacts  = "contacts"
	secNPS       = "nps"
	secFollowUps = "followups"
	secChecklist = "checklist"
	secPlays     = "plays"
	secNotes     = "notes"
	secCampaigns = "campaigns"
)

// wideLayout is the width from which the page uses two columns.
const wideLayout = 140

// buildPage lays out the whole account page at width.
func (a *accountScreen) buildPage(width int) page {
	secs := []*section{
		{key: secUsage, title: "Usage", summary: "last 90 days", build: a.usageSection},
		{key: secHealth, title: "Health", summary: a.healthSummary(), build: a.healthSection},
		{key: secWhy, title: "Why flagged", summary: a.whySummary(), build: a.whySection},
		{key: secContacts, title: "Contacts", summary: a.contactsSummary(), build: a.contactsSection},
		{key: secNPS, title: "NPS", summary: a.npsSummary(), build: a.npsSection},
		{key: secFollowUps, title: "Follow-ups", summary: a.followUpsSummary(), build: a.followUpsSection},
		{key: secChecklist, title: "Checklist", summary: a.checklistSummary(), build: a.checklistSection},
		{key: secPlays, title: "Plays", summary: a.playsSummary(), build: a.playsSection},
		{key: secNotes, title: "Notes", summary: a.notesSummary(), build: a.notesSection},
		a.timelineDef(),
		{key: secCampaigns, title: "Campaigns", summary: "filled for this account", build: a.campaignsSection},
	}
	byKey := make(map[string]*section, len(secs))
	for _, s := range secs {
		byKey[s.key] = s
	}
	var rows []row
	if width >= wideLayout {
		// Charts beside the health score; the people beside the checklist;
		// the plays beside the notes. Campaign emails read best wide.
		rows = []row{
			{left: []string{secUsage}, right: []string{secHealth, secWhy}},
			{left: []string{secContacts, secNPS, secFollowUps}, right: []string{secChecklist}},
			{left: []string{secPlays}, right: []string{secNotes}},
			{left: []string{secTimeline}},
			{left: []string{secCampaigns}},
		}
	} else {
		for _, s := range secs {
			rows = append(rows, row{left: []string{s.key}})
		}
	}
	return layoutPage(a.headLines(width), rows, byKey, width, a.styles)
}

// headLines are the account's identity and key figures, above the sections.
func (a *accountScreen) headLines(width int) []string {
	st := a.styles
	d := &a.detail
	acct := &d.Account
	m := &d.Metrics
	dot := st.Subtle.Render(" · ")

	title := st.Title.Render(safe.Truncate(acct.Name, max(width/2, 20)))
	var who []string
	who = append(who, title, strings.ReplaceAll(safe.Line(acct.Tier), "_", " "), safe.Line(acct.Stage)+" stage")
	if acct.Industry != "" {
		who = append(who, safe.Line(acct.Industry))
	}
	if acct.Region != "" {
		who = append(who, safe.Line(acct.Region))
	}
	lines := flow(who, width, dot)

	renew := fmt.Sprintf("renews %s (in %s)", a.day(acct.RenewalOn), format.Days(m.RenewalInDays))
	if m.RenewalInDays < 0 {
		renew = fmt.Sprintf("renewal date %s passed %s", a.day(acct.RenewalOn), format.Days(m.RenewalInDays))
	}
	if a.has(model.SegmentRenewalSoon) {
		renew = st.Warn.Render(renew)
	}
	deal := []string{
		"ARR " + format.Money(acct.ARRCents, acct.Currency),
		fmt.Sprintf("%d licenses", acct.Licenses),
		renew,
	}
	if ae := safe.Line(acct.AccountExecutive.Name); ae != "" {
		deal = append(deal, "AE "+ae)
	}
	if link := a.crmLink(); link != "" {
		deal = append(deal, link)
	}
	lines = append(lines, flow(deal, width, dot)...)

	if !d.HasMetrics {
		return append(lines, st.Warn.Render(truncateLine("no metrics yet: they are computed after the next sync", width)))
	}
	weekly := "weekly use ✓"
	if !m.WeeklyUse {
		weekly = st.Warn.Render("no weekly use")
	}
	figures := []string{
		healthStyleFor(st, m.Health.Score, d.Book.DangerLine).Render(fmt.Sprintf("health %.1f", m.Health.Score)),
		"util " + format.Percent(m.Util),
		fmt.Sprintf("MAU %d", m.MAU),
		fmt.Sprintf("DAU %.1f", m.DAU),
		fmt.Sprintf("stickiness %.0f%%", m.Stickiness*100),
		"trend " + strings.TrimPrefix(trendArrow(m.Trend)+" ", "· ") + format.SignedPercent(m.Trend),
		weekly,
	}
	if m.FeatureAdoption != nil {
		figures = append(figures, fmt.Sprintf("features %d/%d", len(m.FeaturesAdopted), m.HighValueFeatures))
	}
	lines = append(lines, flow(figures, width, dot)...)

	var badges []string
	for _, k := range rowBadges(*m) {
		badges = append(badges, a.badge(k))
	}
	flags := flow(badges, width, " ")
	flags = append(flags, st.Subtle.Render("usage as of "+a.day(m.AsOf)))
	return append(lines, flow(flags, width, dot)...)
}

// badge draws a key's short name in its colour, as the book does.
func (a *accountScreen) badge(k string) string {
	st := a.styles
	switch {
	case isAlert(k):
		return st.Alert.Render(badgeText[k])
	case k == model.SegmentGrowing || k == model.SegmentTopCustomers:
		return st.Good.Render(badgeText[k])
	default:
		return st.Flag.Render(badgeText[k])
	}
}

func (a *accountScreen) has(key string) bool {
	for _, k := range a.detail.Metrics.Segments {
		if k == key {
			return true
		}
	}
	return false
}

// usageSection holds the two charts: side by side when there is room.
func (a *accountScreen) usageSection(w int) block {
	var b block
	m := &a.detail.Metrics
	if !a.detail.HasMetrics {
		b.add(a.styles.Subtle.Render("no metrics yet"))
		return b
	}
	spent := []string{
		fmt.Sprintf("sessions %d (7d) · %d (30d)", m.Sessions7, m.Sessions30),
		fmt.Sprintf("minutes %d (7d) · %d (30d)", m.Minutes7, m.Minutes30),
	}
	if m.MinutesPerSession != nil {
		spent = append(spent, fmt.Sprintf("%.0f min/session", *m.MinutesPerSession))
	}
	b.add(flow(spent, w, a.styles.Subtle.Render(" · "))...)
	h := min(max((a.height-8)/2, 4), 10)
	util, dau := utilizationChart(m), dauChart(m)
	if w >= 100 {
		cw := (w - columnGap) / 2
		b.add(beside(util.render(cw, h, a.styles), dau.render(w-columnGap-cw, h, a.styles), cw, strings.Repeat(" ", columnGap))...)
		return b
	}
	b.add(util.render(w, h, a.styles)...)
	b.add("")
	b.add(dau.render(w, h, a.styles)...)
	return b
}

func (a *accountScreen) healthSummary() string {
	if !a.detail.HasMetrics {
		return ""
	}
	return fmt.Sprintf("%.1f of 100 · danger line %.1f", a.detail.Metrics.Health.Score, a.detail.Book.DangerLine)
}

// healthSection breaks the score down: each component's figure, its
// normalised score, its share of the weight and the points it brings.
func (a *accountScreen) healthSection(w int) block {
	var b block
	st := a.styles
	m := &a.detail.Metrics
	if !a.detail.HasMetrics {
		b.add(st.Subtle.Render("no metrics yet"))
		return b
	}
	b.add(st.ColHeader.Render(fmt.Sprintf("  %-17s %7s %6s %7s %7s", "component", "value", "score", "weight", "points")))
	var left []string
	for _, c := range m.Health.Components {
		name := strings.ReplaceAll(c.Key, "_", " ")
		share := m.Health.UsedWeight(c.Key)
		if !c.Counted || share <= 0 {
			left = append(left, name+" ("+undefinedWhy(c.Key)+")")
			b.add(st.Subtle.Render(fmt.Sprintf("  %-17s %7s %6s %7s %7s  left out", name, "—", "—", "—", "—")))
			continue
		}
		line := fmt.Sprintf("  %-17s %7s %6.2f %6.0f%% %7.1f ", name, componentValue(c, m), c.Score, share*100, c.Points)
		b.add(line + scoreBar(c.Score, 10, st))
	}
	b.add(fmt.Sprintf("  %-17s %7s %6s %7s %7s", "", "", "", "total", healthStyleFor(st, m.Health.Score, a.detail.Book.DangerLine).Render(fmt.Sprintf("%7.1f", m.Health.Score))))
	if len(left) > 0 {
		b.add(wrapIndent(st.Subtle.Render("Left out, undefined: "+strings.Join(left, "; ")+". The other weights share their part."), w, "  ")...)
	}
	return b
}

// componentValue formats a component's raw figure.
func componentValue(c model.HealthComponent, m *model.AccountMetrics) string {
	if c.Value == nil {
		return "—"
	}
	v := *c.Value
	switch c.Key {
	case model.HealthTrend:
		return fmt.Sprintf("%+.0f%%", v*100)
	case model.HealthNPS:
		return fmt.Sprintf("%.0f", v)
	case model.HealthChampion:
		return m.Champion
	case model.HealthFeatureAdoption:
		return fmt.Sprintf("%d/%d", len(m.FeaturesAdopted), m.HighValueFeatures)
	}
	return fmt.Sprintf("%.0f%%", v*100)
}

// undefinedWhy says why a component has no figure (see model.ScoreHealth).
func undefinedWhy(key string) string {
	return model.UndefinedWhy(key)
}

// scoreBar draws a 0..1 score as a bar of width cells.
func scoreBar(score float64, width int, st *Styles) string {
	n := int(math.Round(min(max(score, 0), 1) * float64(width)))
	style := st.Bad
	switch {
	case score >= 0.6:
		style = st.Good
	case score >= 0.3:
		style = st.Warn
	}
	return style.Render(strings.Repeat("█", n)) + st.Subtle.Render(strings.Repeat("░", width-n))
}

func (a *accountScreen) whySummary() string {
	m := &a.detail.Metrics
	n := len(m.Alerts) + len(m.Segments) + len(m.Flags)
	if n == 0 {
		return ""
	}
	return model.Plural(len(m.Alerts), "alert") + " · " + model.Plural(len(m.Segments), "segment")
}

// whySection gives the figures behind every alert, segment and flag: the
// alert notes first (what happened, the figures, the play), then each
// segment's sentence, most urgent first.
func (a *accountScreen) whySection(w int) block {
	var b block
	st := a.styles
	m := &a.detail.Metrics
	if !a.detail.HasMetrics {
		b.add(st.Subtle.Render("no metrics yet"))
		return b
	}
	for _, n := range m.AlertNotes {
		b.add(st.Alert.Render("  ● " + safe.Line(n.Title)))
		for _, s := range []string{n.What, n.Figures, a.detail.AlertPlay(n, a.today())} {
			if s != "" {
				b.add(wrapIndent(format.DaysInText(safe.Text(s), a.today()), w, "    ")...)
			}
		}
	}
	keys := rowBadges(*m)
	if a.has(model.SegmentPostOnboarding) {
		keys = append(keys, model.SegmentPostOnboarding)
	}
	for _, k := range keys {
		if isAlert(k) {
			continue
		}
		label := st.Flag
		if k == model.SegmentGrowing || k == model.SegmentTopCustomers || k == model.SegmentPostOnboarding {
			label = st.Good
		}
		text := label.Render("• "+model.Label(k)+":") + " " + format.DaysInText(safe.Line(m.Reasons[k]), a.today())
		b.add(wrapHanging(text, w, "  ", "    ")...)
	}
	if len(b.lines) == 0 {
		b.add(st.Subtle.Render("  nothing flags this account"))
	}
	return b
}

// healthStyleFor colours a health score against the danger line, as the
// book does.
func healthStyleFor(st *Styles, score, line float64) lipgloss.Style {
	switch {
	case score <= line:
		return st.Bad
	case score <= line+10:
		return st.Warn
	default:
		return st.Good
	}
}

// flow packs styled parts into as few lines of width as they fit, joined
// by sep; a part wider than the line is cut.
func flow(parts []string, width int, sep string) []string {
	var lines []string
	cur, used := "", 0
	sw := lipgloss.Width(sep)
	for _, p := range parts {
		pw := lipgloss.Width(p)
		switch {
		case used == 0:
			cur, used = p, pw
		case used+sw+pw <= width:
			cur += sep + p
			used += sw + pw
		default:
			lines = append(lines, truncateLine(cur, width))
			cur, used = p, pw
		}
	}
	if used > 0 {
		lines = append(lines, truncateLine(cur, width))
	}
	return lines
}

// wrapIndent wraps already sanitized text to width, each line indented.
func wrapIndent(s string, width int, indent string) []string {
	return wrapHanging(s, width, indent, indent)
}

// wrapHanging wraps already sanitized (possibly styled) text to width: the
// first line starts with first, the others with rest.
func wrapHanging(s string, width int, first, rest string) []string {
	room := max(width-max(lipgloss.Width(first), lipgloss.Width(rest)), 10)
	wrapped := strings.Split(lipgloss.Wrap(s, room, ""), "\n")
	for i, l := range wrapped {
		if i == 0 {
			wrapped[i] = first + l
		} else {
			wrapped[i] = rest + l
		}
		wrapped[i] = truncateLine(wrapped[i], width)
	}
	return wrapped
}

// beside joins two columns of lines: left padded to lw cells, then sep.
func beside(left, right []string, lw int, sep string) []string {
	out := make([]string, max(len(left), len(right)))
	for i := range out {
		l, r := "", ""
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		if r == "" && strings.TrimSpace(sep) == "" {
			out[i] = l // no trailing blanks where the right column ended
			continue
		}
		out[i] = pad(l, lw) + sep + r
	}
	return out
}

// dimmed re-renders a built line in the subtle colour, dropping its own
// colours (for history and people who left).
func dimmed(st *Styles, line string) string {
	return st.Subtle.Render(ansi.Strip(line))
}
