package ui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"csm/data"
	"csm/format"
	"csm/model"
	"csm/safe"
)

// The Renewals screen (r from the book): the accounts renewing in the next
// N days by month, each with ARR, health and its risks, and the ARR
// renewing and at risk per currency, as csm renewals prints them. The
// rule is the model's (model.ForecastRenewals); within 90 days the list is
// the renewal_soon segment.

// renewalWindows are the windows tab cycles through, the default first.
var renewalWindows = []int{model.DefaultRenewalDays, 365, 90}

// renewalsLoadedMsg carries a read of the book for the renewals.
type renewalsLoadedMsg struct {
	seq  int
	book data.Book
	err  error
}

// rnLine is one line of the list: a month heading or a renewal.
type rnLine struct {
	month int // index into forecast.Months
	row   int // index into the month's renewals; -1 for the heading
}

type renewalsScreen struct {
	*env

	book     data.Book // rows with the snoozes in force taken in
	loaded   bool
	loadSeq  int
	err      error
	window   int // index into renewalWindows
	forecast model.RenewalForecast

	lines []rnLine
	list  list

	width, height int
}

func newRenewals(e *env) *renewalsScreen {
	r := &renewalsScreen{env: e}
	r.list.heading = func(i int) bool { return r.lines[i].row < 0 }
	r.SetSize(80, 20)
	return r
}

// Init reads the book.
func (r *renewalsScreen) Init() tea.Cmd { return r.load() }

// Refresh re-reads it after a change or a sync.
func (r *renewalsScreen) Refresh() tea.Cmd { return r.load() }

func (r *renewalsScreen) load() tea.Cmd {
	r.loadSeq++
	seq, st, today := r.loadSeq, r.store, model.DateOf(r.now())
	return r.storeCmd(storeTimeout, func(ctx context.Context) tea.Msg {
		b, err := st.BookScreen(ctx)
		if err != nil {
			return renewalsLoadedMsg{seq: seq, err: err}
		}
		sn, err := st.Snoozes(ctx, today)
		for i := range b.Rows {
			model.ApplySnoozes(&b.Rows[i].Metrics, sn[b.Rows[i].Account.ID])
		}
		return renewalsLoadedMsg{seq: seq, book: b, err: err}
	})
}

// Capturing is false: the screen takes no text.
func (r *renewalsScreen) Capturing() bool { return false }

// restyle: the screen keeps nothing drawn.
func (r *renewalsScreen) restyle() {}

// SetSize sets the room; the list gets what the title, the totals and the
// column header leave.
func (r *renewalsScreen) SetSize(w, h int) {
	r.width, r.height = w, h
	r.list.SetHeight(h - r.headLines())
}

// totalLines is how many lines the window's totals take: one per currency,
// at least one.
func (r *renewalsScreen) totalLines() int { return max(len(r.forecast.Totals), 1) }

// headLines is the title, the totals and the column header.
func (r *renewalsScreen) headLines() int { return 2 + r.totalLines() }

// days is the window in view.
func (r *renewalsScreen) days() int { return renewalWindows[r.window] }

// regroup computes the forecast of the window and lays out its lines,
// keeping the selected account selected when it is still listed.
func (r *renewalsScreen) regroup() {
	keep := ""
	if rn, ok := r.selected(); ok {
		keep = rn.AccountID
	}
	in := make([]model.RenewalInput, len(r.book.Rows))
	for i := range r.book.Rows {
		in[i] = model.RenewalInput{Account: &r.book.Rows[i].Account, Metrics: &r.book.Rows[i].Metrics}
	}
	r.forecast = model.ForecastRenewals(in, r.book.Totals.AsOf, r.days())
	r.lines = r.lines[:0]
	for mi, m := range r.forecast.Months {
		r.lines = append(r.lines, rnLine{month: mi, row: -1})
		for ri := range m.Renewals {
			r.lines = append(r.lines, rnLine{month: mi, row: ri})
		}
	}
	r.list.SetLen(len(r.lines))
	r.list.SetHeight(r.height - r.headLines())
	for i, l := range r.lines {
		if l.row >= 0 && r.forecast.Months[l.month].Renewals[l.row].AccountID == keep {
			r.list.Select(i)
			return
		}
	}
}

// selected is the renewal under the cursor.
func (r *renewalsScreen) selected() (model.Renewal, bool) {
	i, ok := r.list.Selected()
	if !ok || i >= len(r.lines) {
		return model.Renewal{}, false
	}
	l := r.lines[i]
	return r.forecast.Months[l.month].Renewals[l.row], true
}

// Update handles the read, the keys and the wheel.
func (r *renewalsScreen) Update(msg tea.Msg) tea.Cmd {
	if r.list.Update(msg, r.keys) {
		return nil
	}
	switch msg := msg.(type) {
	case renewalsLoadedMsg:
		if msg.seq != r.loadSeq {
			return nil // a later read is on its way
		}
		r.loaded, r.err = true, msg.err
		if msg.err == nil {
			r.book = msg.book
			r.regroup()
		}
	case tea.KeyPressMsg:
		return r.updateKey(msg)
	}
	return nil
}

func (r *renewalsScreen) updateKey(msg tea.KeyPressMsg) tea.Cmd {
	k := r.keys
	switch {
	case key.Matches(msg, k.Back):
		return popScreen
	case key.Matches(msg, k.Open):
		if rn, ok := r.selected(); ok {
			id := rn.AccountID
			return func() tea.Msg { return openAccountMsg{id: id} }
		}
		return statusCmd("no renewal here to open", false)
	case key.Matches(msg, k.NextTab), key.Matches(msg, k.PrevTab):
		d := 1
		if key.Matches(msg, k.PrevTab) {
			d = len(renewalWindows) - 1
		}
		r.window = (r.window + d) % len(renewalWindows)
		if !r.loaded || r.err != nil {
			return nil
		}
		r.regroup()
		return statusCmd(fmt.Sprintf("renewals in the next %d days: %s", r.days(), model.Plural(r.forecast.Len(), "account")), false)
	// The other screens' keys: those that make sense here work, the
	// others say why they do nothing.
	case key.Matches(msg, k.Note):
		if rn, ok := r.selected(); ok {
			return pushScreen(newNoteEditor(r.env, rn.AccountID, rn.Name))
		}
		return statusCmd("no renewal here: n writes a note on the selected one's account", false)
	case key.Matches(msg, k.FollowUps):
		return pushScreen(newFollowUps(r.env))
	case key.Matches(msg, k.Search):
		return pushScreen(newSearch(r.env))
	case key.Matches(msg, k.Rejected):
		return pushScreen(newRejected(r.env))
	case key.Matches(msg, k.Renewals):
		return statusCmd("these are the renewals · tab changes how far ahead", false)
	case key.Matches(msg, k.Snooze), key.Matches(msg, k.SnoozeAlerts):
		return statusCmd(msg.String()+" snoozes an account: enter opens the selected one", false)
	case key.Matches(msg, k.Filter), key.Matches(msg, k.Sort), key.Matches(msg, k.Reverse):
		return statusCmd(msg.String()+" orders the book: esc to go back to it", false)
	}
	return nil
}

// ShortHelp lists the screen's main keys.
func (r *renewalsScreen) ShortHelp() []key.Binding {
	open := r.keys.Open
	open.SetHelp("enter", "open account")
	window := r.keys.NextTab
	window.SetHelp("tab", "90/180/365 days")
	return []key.Binding{open, window, r.keys.Back}
}

// FullHelp lists every key of the screen.
func (r *renewalsScreen) FullHelp() [][]key.Binding {
	k := r.keys
	back := k.PrevTab
	back.SetHelp("shift+tab", "window back")
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown},
		append(r.ShortHelp(), back),
		{k.Note, k.FollowUps, k.Search, k.Rejected},
	}
}

// View draws the title, the totals per currency, the column header and the
// months with their renewals.
func (r *renewalsScreen) View() string {
	s := r.styles
	lines := []string{truncateLine(r.titleView(), r.width)}
	switch {
	case r.err != nil:
		return strings.Join(append(lines, truncateLine(s.Bad.Render("could not read the book: "+errText(r.err)), r.width)), "\n")
	case !r.loaded:
		return strings.Join(append(lines, s.Subtle.Render("reading the book…")), "\n")
	}
	if len(r.forecast.Totals) == 0 {
		lines = append(lines, s.Subtle.Render(truncateLine(fmt.Sprintf("no renewal in the next %d days · tab looks further ahead", r.days()), r.width)))
	}
	for _, t := range r.forecast.Totals {
		lines = append(lines, truncateLine(r.totalView(t), r.width))
	}
	c := r.columns()
	lines = append(lines, truncateLine(s.ColHeader.Render(
		"  "+pad("NAME", c.name)+" "+pad("RENEWS", rnDateW)+" "+padLeft("IN", rnInW)+" "+padLeft("ARR", rnARRW)+" "+padLeft("HEALTH", rnHealthW)+" RISKS"), r.width))
	for i := r.list.Offset(); i < r.list.End(); i++ {
		lines = append(lines, r.lineView(r.lines[i], i == r.list.Cursor(), c))
	}
	return strings.Join(lines, "\n")
}

func (r *renewalsScreen) titleView() string {
	s := r.styles
	line := s.Title.Render("Renewals") + s.Subtle.Render(fmt.Sprintf(" · next %d days", r.days()))
	if r.loaded && r.err == nil {
		line += s.Subtle.Render(fmt.Sprintf(" · %s · usage as of %s", model.Plural(r.forecast.Len(), "account"), r.day(r.forecast.AsOf)))
	}
	return line
}

// totalView is one currency's totals: what renews, and what of it is at
// risk, never added to another currency's.
func (r *renewalsScreen) totalView(t model.CurrencyTotal) string {
	s := r.styles
	line := s.Label.Render(pad(safe.Truncate(t.Currency, 3), 3)+" ") +
		fmt.Sprintf("%s renewing (%s)", format.Money(t.RenewingCents, t.Currency), model.Plural(t.Accounts, "account"))
	if t.AtRisk == 0 {
		return line + s.Subtle.Render(" · nothing at risk")
	}
	return line + s.Subtle.Render(" · ") + s.Bad.Render(fmt.Sprintf("%s at risk (%d of %d)", format.Money(t.AtRiskCents, t.Currency), t.AtRisk, t.Accounts))
}

// Column widths of a renewal line.
const (
	rnDateW   = 12 // "Jan 5, 2027": format.ShortDay, the year when not this one's
	rnInW     = 5  // "180d"
	rnARRW    = 7  // "$1.2M", "€250k"
	rnHealthW = 6  // "HEALTH"
)

type rnColumns struct{ name, risks int }

func (r *renewalsScreen) columns() rnColumns {
	name := min(max(r.width/4, 16), 36)
	fixed := 2 + name + 1 + rnDateW + 1 + rnInW + 1 + rnARRW + 1 + rnHealthW + 1
	return rnColumns{name: name, risks: max(r.width-fixed, 8)}
}

func (r *renewalsScreen) lineView(l rnLine, selected bool, c rnColumns) string {
	s := r.styles
	m := r.forecast.Months[l.month]
	if l.row < 0 {
		head := s.Section.Render(format.Month(m.Month)) + s.Subtle.Render(" · "+model.Plural(len(m.Renewals), "renewal")+" · "+format.RenewalTotals(m.Totals))
		return truncateLine(head, r.width)
	}
	rn := m.Renewals[l.row]
	marker := "  "
	if selected {
		marker = "▶ "
	}
	health := padLeft(fmt.Sprintf("%.0f", rn.Health), rnHealthW)
	risks := format.RiskLabels(rn.Risks)
	lead := marker + cell(rn.Name, c.name) + " " + pad(r.day(rn.RenewalOn), rnDateW) + " " +
		padLeft(format.Days(rn.RenewalInDays), rnInW) + " " + padLeft(format.Money(rn.ARRCents, rn.Currency), rnARRW) + " "
	if selected {
		return s.SelectedRow(lead+health+" "+risks, r.width)
	}
	riskStyle := s.Subtle
	if rn.AtRisk() {
		riskStyle = s.Bad
	}
	return truncateLine(lead+healthStyleFor(s, rn.Health, r.book.Totals.DangerLine).Render(health)+" "+riskStyle.Render(risks), r.width)
}

// tabARRCache holds the ARR of one tab of one read of the book: the header
// draws every frame, and the sum changes only with the tab or the book.
type tabARRCache struct {
	tab   int
	rows  *data.BookRow // the first row of the read it was summed over
	n     int
	words string
}

// arrWords is the book header's ARR of the tab in view, one amount per
// currency: " · ARR €400k · $2.1M" for the whole book, " · ARR in Renewal
// soon $300k" on a tab; "" when the tab is empty.
func (b *bookScreen) arrWords() string {
	if len(b.tabs) == 0 || len(b.book.Rows) == 0 {
		return ""
	}
	c := &b.arr
	if c.rows == &b.book.Rows[0] && c.n == len(b.book.Rows) && c.tab == b.tab {
		return c.words
	}
	var accts []*model.Account
	for i := range b.book.Rows {
		if b.inTab(&b.book.Rows[i].Metrics) {
			accts = append(accts, &b.book.Rows[i].Account)
		}
	}
	*c = tabARRCache{tab: b.tab, rows: &b.book.Rows[0], n: len(b.book.Rows)}
	if len(accts) > 0 {
		in := ""
		if t := b.tabs[b.tab]; t.key != "" {
			in = " in " + t.label
		}
		c.words = " · ARR" + in + " " + format.Amounts(model.ARRByCurrency(accts))
	}
	return c.words
}
