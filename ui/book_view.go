package ui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"

	"csm/data"
	"csm/format"
	"csm/model"
	"csm/safe"
)

// Drawing the book: the header of objectives, the tabs, the table whose
// columns follow the width, and the rows with their reasons.

// HeaderView draws the two header lines: who and when, then the portfolio
// objectives.
func (b *bookScreen) HeaderView(width int, label string) string {
	s := b.styles
	t := b.book.Totals
	title := s.Title.Render("csm")
	if label != "" {
		title += s.Subtle.Render(" · " + safe.Line(label))
	}
	if !b.loaded {
		return truncateLine(title+s.Subtle.Render(" · reading the book…"), width) + "\n"
	}
	if !b.book.Computed {
		return truncateLine(title+s.Subtle.Render(" · no data yet: sync to fetch your book"), width) + "\n"
	}
	line1 := title + s.Subtle.Render(fmt.Sprintf(" · %d accounts · usage as of %s", len(b.book.Rows), b.day(t.AsOf)))
	if arr := b.arrWords(); arr != "" && lipgloss.Width(line1)+lipgloss.Width(arr) <= width {
		line1 += s.Subtle.Render(arr)
	}
	o := t.Objectives
	lowStyle := s.Good
	if !o.LowUtilizationMet {
		lowStyle = s.Bad
	}
	line2 := objectivesLine(width, s.Subtle.Render(" · "), []objective{
		{fmt.Sprintf("low utilization %d (goal ≤%d)", o.LowUtilization, o.LowUtilizationTarget), fmt.Sprintf("low util %d (goal ≤%d)", o.LowUtilization, o.LowUtilizationTarget), lowStyle, 0},
		{"avg utilization " + format.Percent(o.AvgUtilization), "avg util " + format.Percent(o.AvgUtilization), lipgloss.NewStyle(), 1},
		{fmt.Sprintf("growing %d", o.Growing), fmt.Sprintf("growing %d", o.Growing), lipgloss.NewStyle(), 3},
		{fmt.Sprintf("stickiness %d%%", int(o.Stickiness*100+0.5)), fmt.Sprintf("sticky %d%%", int(o.Stickiness*100+0.5)), lipgloss.NewStyle(), 5},
		{fmt.Sprintf("weekly use %d", o.WeeklyUse), fmt.Sprintf("weekly %d", o.WeeklyUse), lipgloss.NewStyle(), 4},
		{fmt.Sprintf("QBRs due %d", o.QBRsDue), fmt.Sprintf("QBRs due %d", o.QBRsDue), lipgloss.NewStyle(), 2},
		{fmt.Sprintf("danger line %.0f", t.DangerLine), fmt.Sprintf("danger ≤%.0f", t.DangerLine), lipgloss.NewStyle(), 2},
	})
	return truncateLine(line1, width) + "\n" + truncateLine(line2, width)
}

// objective is one figure of the header's second line: in words, in short
// words for a narrow terminal, and how soon it gives way (0 never).
type objective struct {
	long, short string
	style       lipgloss.Style
	drop        int
}

// objectivesLine says the objectives in whole words that fit in width:
// the long words, else the short ones, else without the figures that give
// way first. A figure is never cut in the middle. Each is drawn and
// measured once: the line is in every frame, and trying each way by
// drawing it anew cost 4 ms a frame at 100 columns.
func objectivesLine(width int, sep string, objs []objective) string {
	type drawn struct {
		long, short   string
		longW, shortW int
	}
	ds := make([]drawn, len(objs))
	for i, o := range objs {
		l, s := o.style.Render(o.long), o.style.Render(o.short)
		ds[i] = drawn{l, s, lipgloss.Width(l), lipgloss.Width(s)}
	}
	sepW := lipgloss.Width(sep)
	// cells is the width of the line; join draws it.
	cells := func(short bool, maxDrop int) int {
		w, n := 0, 0
		for i, o := range objs {
			switch {
			case o.drop > maxDrop:
				continue
			case short:
				w += ds[i].shortW
			default:
				w += ds[i].longW
			}
			n++
		}
		return w + max(n-1, 0)*sepW
	}
	join := func(short bool, maxDrop int) string {
		var parts []string
		for i, o := range objs {
			switch {
			case o.drop > maxDrop:
			case short:
				parts = append(parts, ds[i].short)
			default:
				parts = append(parts, ds[i].long)
			}
		}
		return strings.Join(parts, sep)
	}
	if cells(false, 99) <= width {
		return join(false, 99)
	}
	for maxDrop := 99; maxDrop > 0; maxDrop-- {
		if cells(true, maxDrop) <= width {
			return join(true, maxDrop)
		}
	}
	return join(true, 0)
}

// columns sizes the table to the width: fixed figures, then the name and
// the sparkline share what is left, and the reasons take the rest.
type columns struct {
	name, stage, spark, arr, renew, reasons int
}

func (b *bookScreen) columns() columns {
	c := columns{stage: 10, arr: 8, renew: 8}
	switch {
	case b.width >= 160:
		c.name, c.spark = 32, 45
	case b.width >= 120:
		c.name, c.spark = 28, 30
	case b.width >= 100:
		c.name, c.spark = 24, 20
	default:
		// At 80 columns the stage gives way and the figures tighten
		// before the reasons do: a row must say why it is there.
		c.name, c.spark, c.stage, c.arr, c.renew = 18, 8, 0, 7, 6
	}
	// marker 2, health 4, util 5, trend 2, and a space after each column
	fixed := 2 + 4 + 5 + 2 + c.arr + c.renew + 7
	if c.stage > 0 {
		fixed += c.stage + 1
	}
	c.reasons = max(b.width-fixed-c.name-c.spark, 0)
	return c
}

// View draws the tabs, the column header and the visible rows.
func (b *bookScreen) View() string {
	s := b.styles
	var out strings.Builder
	out.WriteString(b.tabsView())
	out.WriteByte('\n')
	if b.filtering || b.filter.Value() != "" {
		out.WriteString(truncateLine(s.Filter.Render(b.filter.View()), b.width))
		out.WriteByte('\n')
	}
	c := b.columns()
	out.WriteString(truncateLine(s.ColHeader.Render(b.headerRow(c)), b.width))
	if !b.loaded {
		return out.String()
	}
	if len(b.visible) == 0 {
		out.WriteString("\n" + s.Subtle.Render("  no accounts match"))
		return out.String()
	}
	end := b.list.End()
	if b.rowCache == nil {
		b.rowCache = map[int]string{}
	}
	for i := b.list.Offset(); i < end; i++ {
		out.WriteByte('\n')
		r := b.visible[i]
		if i == b.list.Cursor() {
			out.WriteString(b.rowView(&b.book.Rows[r], c, true))
			continue
		}
		line, ok := b.rowCache[r]
		if !ok {
			line = b.rowView(&b.book.Rows[r], c, false)
			b.rowCache[r] = line
		}
		out.WriteString(line)
	}
	return out.String()
}

// restyle forgets rows and tabs drawn with the old styles and gives the
// filter the new ones.
func (b *bookScreen) restyle() {
	b.rowCache, b.tabsDrawn = nil, drawnLine{}
	b.filter.SetStyles(b.styles.Input)
}

// tabsView is the tab row, drawn again only when a tab's count, the tab
// in view or the width changed: it is in every frame, and drawing its
// dozen tabs was a quarter of a cursor move's cost.
func (b *bookScreen) tabsView() string {
	var key strings.Builder
	key.WriteString(strconv.Itoa(b.width) + "/" + strconv.Itoa(b.tab))
	for _, t := range b.tabs {
		key.WriteString("/" + t.label + " " + strconv.Itoa(t.count))
	}
	if b.tabsDrawn.key != key.String() {
		b.tabsDrawn = drawnLine{key.String(), b.drawTabs()}
	}
	return b.tabsDrawn.line
}

// drawnLine is a line as drawn, and what it was drawn from.
type drawnLine struct{ key, line string }

func (b *bookScreen) drawTabs() string {
	s := b.styles
	if len(b.tabs) == 0 {
		return ""
	}
	parts := make([]string, len(b.tabs))
	for i, t := range b.tabs {
		label := fmt.Sprintf("%s %d", t.label, t.count)
		if i == b.tab {
			parts[i] = s.TabActive.Render(label)
		} else {
			parts[i] = s.Tab.Render(label)
		}
	}
	// Drop tabs from the left until the active one fits.
	first := 0
	for first < b.tab && widthOf(parts[first:b.tab+1]) > b.width-2 {
		first++
	}
	line := strings.Join(parts[first:], "")
	if first > 0 {
		line = s.Subtle.Render("‹") + line
	}
	// The order in force is marked on its column's header (headerRow)
	// and said in the footer when it changes: the tab row keeps its room.
	return truncateLine(line, b.width)
}

func widthOf(parts []string) int {
	w := 0
	for _, p := range parts {
		w += lipgloss.Width(p)
	}
	return w
}

// sortMark is the arrow on the header of the column the book is sorted
// by: ▲ from the smallest figure (or A) up, ▼ from the largest down.
func (b *bookScreen) sortMark() string {
	if model.BookSorts[b.sortBy].Ascending != b.reverse {
		return "▲"
	}
	return "▼"
}

// sortedBy marks name with the sort's arrow when the book is sorted by key,
// the name cut to leave the arrow room in a column width cells wide.
func (b *bookScreen) sortedBy(key, name string, width int) string {
	if model.BookSorts[b.sortBy].Key != key {
		return name
	}
	if r := []rune(name); len(r)+1 > width && width > 1 {
		name = string(r[:width-1])
	}
	return name + b.sortMark()
}

func (b *bookScreen) headerRow(c columns) string {
	var sb strings.Builder
	sb.WriteString("  ")
	sb.WriteString(pad(b.sortedBy("name", "Account", c.name), c.name) + " ")
	if c.stage > 0 {
		sb.WriteString(pad("Stage", c.stage) + " ")
	}
	sb.WriteString(padLeft(b.sortedBy("health", "Hlth", 4), 4) + " ")
	sb.WriteString(padLeft(b.sortedBy("util", "Util", 5), 5) + " ")
	sb.WriteString(pad(sparkHeader(c.spark), c.spark) + " ")
	// The trend arrows' column has no room for a word: the sort's arrow
	// alone marks it.
	sb.WriteString(pad(b.sortedBy("trend", "", 2), 2))
	sb.WriteString(padLeft(b.sortedBy("arr", "ARR", c.arr), c.arr) + " ")
	sb.WriteString(padLeft(b.sortedBy("renewal", "Renews", c.renew), c.renew) + " ")
	why := "Why"
	switch key := model.BookSorts[b.sortBy].Key; key {
	case "urgency":
		why = b.sortedBy(key, "Why", 4)
	case "mau":
		why += " (by MAU" + b.sortMark() + ")"
	}
	sb.WriteString(why)
	return sb.String()
}

func (b *bookScreen) rowView(r *data.BookRow, c columns, selected bool) string {
	s := b.styles
	m := &r.Metrics
	var sb strings.Builder
	marker := "  "
	if selected {
		marker = "▶ "
	}
	sb.WriteString(marker)
	sb.WriteString(cell(r.Account.Name, c.name) + " ")
	if c.stage > 0 {
		sb.WriteString(cell(r.Account.Stage, c.stage) + " ")
	}
	sb.WriteString(b.healthStyle(m.Health.Score).Render(padLeft(fmt.Sprintf("%.0f", m.Health.Score), 4)) + " ")
	sb.WriteString(padLeft(format.Percent(m.Util), 5) + " ")
	sb.WriteString(s.Spark.Render(Sparkline(stretch(trendWindow(m), c.spark), c.spark)) + " ")
	sb.WriteString(trendArrow(m.Trend) + " ")
	sb.WriteString(padLeft(format.Money(r.Account.ARRCents, r.Account.Currency), c.arr) + " ")
	sb.WriteString(padLeft(format.Days(m.RenewalInDays), c.renew) + " ")
	sb.WriteString(b.reasonsView(m, c.reasons))
	line := truncateLine(sb.String(), b.width)
	if selected {
		return s.SelectedRow(line, b.width)
	}
	return line
}

// reasonsView lists why the row is where it is, most urgent first; what
// does not fit is counted: "+2" says two more reasons are off the row.
func (b *bookScreen) reasonsView(m *model.AccountMetrics, width int) string {
	s := b.styles
	keys := rowBadges(*m)
	var parts []string
	used := 0
	for i, k := range keys {
		t := badgeText[k]
		more := ""
		if i < len(keys)-1 {
			more = fmt.Sprintf(" +%d", len(keys)-i-1) // room for the count of the rest
		}
		if used > 0 && used+len([]rune(t))+len(more) > width {
			parts = append(parts, s.Subtle.Render(fmt.Sprintf("+%d", len(keys)-i)))
			break
		}
		used += len([]rune(t)) + 1
		switch {
		case isAlert(k):
			parts = append(parts, s.Alert.Render(t))
		case k == model.SegmentGrowing || k == model.SegmentTopCustomers:
			parts = append(parts, s.Good.Render(t))
		default:
			parts = append(parts, s.Flag.Render(t))
		}
	}
	return strings.Join(parts, " ")
}

// Legend says, for the help, what the Why column's short forms stand for
// (the tabs' names) and what "+N" counts, wrapped to width.
func (b *bookScreen) Legend(width int) string {
	s := b.styles
	items := append([]string{"+N = N more reasons off the row"}, badgeLegend()...)
	lines := []string{s.Section.Render("Why column")}
	line := ""
	for _, it := range items {
		switch {
		case line == "":
			line = it
		case lipgloss.Width(line)+3+lipgloss.Width(it) > width:
			lines = append(lines, s.Subtle.Render(line))
			line = it
		default:
			line += " · " + it
		}
	}
	lines = append(lines, s.Subtle.Render(line))
	return strings.Join(lines, "\n")
}

func (b *bookScreen) healthStyle(score float64) lipgloss.Style {
	line := b.book.Totals.DangerLine
	switch {
	case score <= line:
		return b.styles.Bad
	case score <= line+10:
		return b.styles.Warn
	default:
		return b.styles.Good
	}
}

// trendDays is the window of the row's sparkline and of its trend arrow.
// The trend compares the 30-day active users of today with those of 30
// days ago (model: Trend = MAU / MAUPrev − 1), so the sparkline draws the
// 30-day active users (utilization over the licenses, in shape) of each
// day from 30 days ago to today, at every width, each cell the mean of its
// days: the arrow says how its last cell stands to its first.
const trendDays = 30

// sparkHeader names the sparkline's column in the room it has.
func sparkHeader(width int) string {
	if width >= 20 {
		return fmt.Sprintf("Active users, %dd", trendDays)
	}
	return fmt.Sprintf("MAU %dd", trendDays)
}

// trendWindow is the series the row's sparkline draws: the 30-day active
// users from the day the trend compares with to today. A row stored
// before the book kept them (data.storedRow.MAUSpark) falls back to the
// daily active users of the two 30-day windows the trend compares.
func trendWindow(m *model.AccountMetrics) []int {
	if v := m.MAUSeries; len(v) > trendDays {
		return v[len(v)-trendDays-1:]
	}
	if v := m.DAUSeries; len(v) > 2*trendDays {
		return v[len(v)-2*trendDays:]
	}
	return m.DAUSeries
}

// stretch gives a series of fewer values than cells one value a cell by
// repeating days evenly, so the line fills its column from the window's
// first day to its last; a longer series is left to Sparkline, which
// averages the days of each cell.
func stretch(v []int, width int) []int {
	if len(v) == 0 || len(v) >= width {
		return v
	}
	out := make([]int, width)
	for c := range out {
		out[c] = v[c*(len(v)-1)/max(width-1, 1)]
	}
	return out
}
