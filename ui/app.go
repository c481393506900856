package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"csm/browser"
	"csm/data"
	"csm/format"
	"csm/model"
	"csm/safe"
)

// Options configure the UI.
type Options struct {
	Store *data.Store
	// Sync runs one sync; nil when no server is configured (offline only).
	Sync SyncFunc
	// SyncOnStart syncs as soon as the UI opens.
	SyncOnStart bool
	// AutoSync is the interval of background syncs; 0 turns them off.
	AutoSync time.Duration
	// Label names the database in the header ("demo").
	Label string
	// CRMURL is the config's crm_url template: the account page links to
	// the account in the CRM and O opens it. OpenURL opens an address;
	// nil is the system's opener (browser.System).
	CRMURL  string
	OpenURL func(ctx context.Context, url string) error
	// Now is the clock (tests fix it).
	Now func() time.Time
	// StatusTTL is how long a footer message stays: 0 means six seconds,
	// a negative value until the next message.
	StatusTTL time.Duration
	// WatchEvery is how often the UI asks whether another csm wrote to
	// the database (watch.go): 0 means every second, a negative value
	// never.
	WatchEvery time.Duration
	// Context is the program's: when it ends, every store command and
	// sync still running is cancelled. nil means context.Background();
	// quitting the UI cancels its commands either way.
	Context context.Context
}

// screen is what the root needs of a page: it routes messages to the
// active one only, and sizes flow down through SetSize.
type screen interface {
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(width, height int)
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
	// Capturing is true while the screen takes text input, so single-key
	// shortcuts such as q must reach it rather than the root.
	Capturing() bool
	// restyle takes the styles the root just replaced (the terminal's
	// background became known): a screen that keeps styled copies (text
	// fields, drawn lines) rebuilds them.
	restyle()
}

// initer is a screen that loads something when it opens.
type initer interface{ Init() tea.Cmd }

// unsaver is a screen that may hold typing not saved yet.
type unsaver interface{ Unsaved() bool }

// refresher is a screen that can re-read its data.
type refresher interface{ Refresh() tea.Cmd }

// App is the root model.
type App struct {
	// env is shared with every screen (they hold &a.env): the context,
	// the store, the keys, the styles and the clock.
	env
	cancel context.CancelFunc // ends env.ctx, when the UI quits

	opts   Options
	isDark bool
	help   help.Model

	width, height int
	showHelp      bool
	quitArmed     bool // a ctrl+c was refused over unsaved typing

	book *bookScreen
	// stack holds the screens opened over the book (an account, a note
	// editor, the follow-ups…); the last one is active.
	stack []screen

	pending, rejected int // outbox counts for the footer

	syncing  bool
	lastSync time.Time // the last successful sync, this csm's or another's
	syncAt   time.Time // when this csm's last sync attempt ended
	syncErr  error
	// syncBusy: this csm's last attempt found another csm syncing.
	syncBusy     bool
	syncLine     string
	syncProgress string // the running sync's latest progress line
	watch        watch
	status       string
	statusID     int
	statusBad    bool
	loadErr      error
}

// New builds the root model.
func New(o Options) *App {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Context == nil {
		o.Context = context.Background()
	}
	a := &App{opts: o, isDark: true, width: 80, height: 24}
	a.ctx, a.cancel = context.WithCancel(o.Context)
	a.store, a.keys, a.now = o.Store, DefaultKeyMap(), o.Now
	a.crmURL, a.openURL = o.CRMURL, o.OpenURL
	if a.openURL == nil {
		a.openURL = browser.System().Open
	}
	a.styles = new(Styles)
	*a.styles = NewStyles(a.isDark)
	a.help = help.New()
	a.help.Styles = a.styles.Help
	a.book = newBookScreen(&a.env)
	a.layout()
	return a
}

// Init asks for the background colour, reads the book and starts syncing.
// With the watch on, the book is read once the first data version is in
// (firstVersion), so no write between the two goes unseen.
func (a *App) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor}
	if a.watchEvery() > 0 {
		cmds = append(cmds, a.readDataVersion())
	} else {
		cmds = append(cmds, a.loadBook(), a.loadCounts(), a.loadLastSync())
	}
	if a.opts.Sync != nil && a.opts.SyncOnStart {
		a.syncing = true
		cmds = append(cmds, a.runSync(a.opts.Sync))
	}
	if a.opts.Sync != nil && a.opts.AutoSync > 0 {
		cmds = append(cmds, a.scheduleAutoSync())
	}
	return tea.Batch(cmds...)
}

// loadBook reads the book as of the clock's day.
func (a *App) loadBook() tea.Cmd { return a.readBook(model.DateOf(a.now())) }

// quit ends the program, cancelling first whatever its commands are still
// doing (a sync, a read): nothing goes on writing after the UI is gone.
func (a *App) quit() tea.Cmd {
	a.cancel()
	return tea.Quit
}

func (a *App) scheduleAutoSync() tea.Cmd {
	return tea.Tick(a.opts.AutoSync, func(time.Time) tea.Msg { return autoSyncMsg{} })
}

// Update routes a message: global concerns here, the rest to the active
// screen only.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.layout()
		return a, nil
	case tea.BackgroundColorMsg:
		a.restyle(msg.IsDark())
		return a, nil
	case bookLoadedMsg:
		a.watch.loading = false
		if msg.err != nil {
			a.loadErr = msg.err
			return a, a.setStatus("could not read the book: "+msg.err.Error(), true)
		}
		a.loadErr = nil
		a.book.SetBook(msg.book, msg.snoozes)
		return a, nil
	case syncDoneMsg:
		return a, a.onSyncDone(msg)
	case syncProgressMsg:
		if a.syncing {
			a.syncProgress = msg.line
		}
		return a, msg.next
	case countsMsg:
		if msg.err == nil {
			a.pending, a.rejected = msg.pending, msg.rejected
		}
		return a, nil
	case autoSyncMsg:
		cmd := a.scheduleAutoSync()
		if a.syncing {
			return a, cmd
		}
		a.syncing = true
		return a, tea.Batch(cmd, a.runSync(a.opts.Sync))
	case statusMsg:
		return a, a.setStatus(msg.text, msg.bad)
	case statusExpiredMsg:
		if msg.id == a.statusID {
			a.status = ""
		}
		return a, nil
	case openAccountMsg:
		return a, a.push(newAccountScreen(&a.env, msg.id))
	case pushScreenMsg:
		return a, a.push(msg.s)
	case closeAccountMsg, popScreenMsg:
		if len(a.stack) > 0 {
			a.stack = a.stack[:len(a.stack)-1]
		}
		return a, a.refresh()
	case dataChangedMsg:
		return a, a.reload()
	case watchTickMsg:
		return a, a.readDataVersion()
	case dataVersionMsg:
		return a, a.onDataVersion(msg)
	case lastSyncMsg:
		a.onLastSync(msg)
		return a, nil
	case tea.KeyPressMsg:
		if cmd, done := a.globalKey(msg); done {
			return a, cmd
		}
	}
	return a, a.active().Update(msg)
}

// restyle builds the styles for the terminal's background and hands them
// to every screen, the ones under the active one included.
func (a *App) restyle(isDark bool) {
	a.isDark = isDark
	*a.styles = NewStyles(isDark)
	a.help.Styles = a.styles.Help
	a.book.restyle()
	for _, s := range a.stack {
		s.restyle()
	}
}

// globalKey handles the keys that work on every screen.
func (a *App) globalKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if msg.String() == "ctrl+c" {
		// Typing is never lost silently: with unsaved text on screen the
		// first ctrl+c warns, the second quits.
		if u, ok := a.active().(unsaver); ok && u.Unsaved() && !a.quitArmed {
			a.quitArmed = true
			warn := "unsaved note: ctrl+s saves, esc discards, ctrl+c again quits without saving"
			if w, ok := u.(interface{ UnsavedWarning() string }); ok {
				warn = w.UnsavedWarning() // the screen's own words (the campaign editor's)
			}
			return a.setStatus(warn, true), true
		}
		return a.quit(), true
	}
	a.quitArmed = false
	if a.active().Capturing() {
		return nil, false
	}
	switch {
	case a.showHelp:
		// Any key closes the help; q still quits.
		a.showHelp = false
		if key.Matches(msg, a.keys.Quit) {
			return a.quit(), true
		}
		return nil, true
	case key.Matches(msg, a.keys.Quit):
		return a.quit(), true
	case key.Matches(msg, a.keys.Help):
		a.showHelp = true
		return nil, true
	case key.Matches(msg, a.keys.Sync):
		return a.syncNow(), true
	}
	return nil, false
}

// onSyncDone takes the end of this csm's sync. Another csm syncing is no
// failure: the footer says so, and its changes come in through the watch.
// Either way everything is read again: while this sync ran, the watch only
// kept the footer's counts up to date.
func (a *App) onSyncDone(msg syncDoneMsg) tea.Cmd {
	a.syncing = false
	a.syncProgress = ""
	a.syncAt = msg.at
	a.syncBusy = otherSyncRunning(msg.err)
	switch {
	case a.syncBusy:
		a.syncErr = nil
	case msg.err != nil:
		a.syncErr = msg.err
	default:
		a.syncErr = nil
		a.lastSync, a.syncLine = msg.at, msg.summary
		// The book this sync brought is read next: until it is in, an
		// empty book is still loading, not "no accounts match".
		if len(a.book.book.Rows) == 0 {
			a.book.loaded = false
		}
	}
	return a.reload()
}

func (a *App) syncNow() tea.Cmd {
	if a.opts.Sync == nil {
		return a.setStatus("no server: run `csm login` (or try `csm demo`) · changes stay saved on this computer", true)
	}
	if a.syncing {
		return a.setStatus("a sync is already running", false)
	}
	a.syncing = true
	return a.runSync(a.opts.Sync)
}

// setStatus shows a message in the footer for a few seconds.
func (a *App) setStatus(s string, bad bool) tea.Cmd {
	a.statusID++
	id := a.statusID
	a.status, a.statusBad = safe.Line(s), bad
	ttl := a.opts.StatusTTL
	switch {
	case ttl < 0:
		return nil
	case ttl == 0:
		ttl = 6 * time.Second
	}
	return tea.Tick(ttl, func(time.Time) tea.Msg { return statusExpiredMsg{id: id} })
}

func (a *App) active() screen {
	if n := len(a.stack); n > 0 {
		return a.stack[n-1]
	}
	return a.book
}

// push opens a screen over the current one.
func (a *App) push(s screen) tea.Cmd {
	a.stack = append(a.stack, s)
	a.layout()
	if in, ok := s.(initer); ok {
		return in.Init()
	}
	return nil
}

// refresh asks the active screen to re-read its data, after a change made
// elsewhere (a sync, a screen closed after saving).
func (a *App) refresh() tea.Cmd {
	if r, ok := a.active().(refresher); ok {
		return r.Refresh()
	}
	return nil
}

// layout gives the screens the room left by the header and footer.
func (a *App) layout() {
	body := max(a.height-headerLines-footerLines, 1)
	a.book.SetSize(a.width, body)
	for _, s := range a.stack {
		s.SetSize(a.width, body)
	}
	a.help.SetWidth(a.width)
}

const (
	headerLines = 2
	footerLines = 2
)

// View draws header, active screen and footer.
func (a *App) View() tea.View {
	var body string
	switch {
	case a.showHelp:
		body = a.helpView()
	case len(a.stack) == 0 && len(a.book.book.Rows) == 0 && (a.syncing || !a.book.loaded):
		// The first sync's book has not arrived: no "no accounts match".
		body = "\n  " + a.styles.Subtle.Render(a.loadingText())
	case len(a.stack) == 0 && len(a.book.book.Rows) == 0 && a.opts.Sync == nil:
		body = "\n  " + a.styles.Subtle.Render(firstRunText)
	default:
		body = a.active().View()
	}
	body = fitHeight(body, max(a.height-headerLines-footerLines, 1))
	v := tea.NewView(a.headerView() + "\n" + body + "\n" + a.footerView())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "csm"
	return v
}

// fitHeight cuts or pads s to exactly h lines. Screens draw lines no wider
// than the terminal, so no width is measured here: this runs every frame.
func fitHeight(s string, h int) string {
	n := strings.Count(s, "\n") + 1
	if n > h {
		cut := 0
		for i := 0; i < h; i++ {
			cut += strings.IndexByte(s[cut:], '\n') + 1
		}
		return s[:cut-1]
	}
	return s + strings.Repeat("\n", h-n)
}

func (a *App) helpView() string {
	h := a.help
	h.ShowAll = true
	groups := append(a.active().FullHelp(), []key.Binding{a.keys.Sync, a.keys.Help, a.keys.Quit})
	legend := ""
	if l, ok := a.active().(interface{ Legend(width int) string }); ok {
		legend = "\n\n" + l.Legend(a.width)
	}
	return a.styles.Section.Render("Keys") + "\n\n" + helpGrid(h, groups, a.width, a.styles.HelpColumn) + legend + "\n\n" + a.styles.Subtle.Render("press any key to close")
}

// helpGrid lays the key groups out in as many columns as the width holds,
// wrapping to more rows on a narrow terminal: the help bubble alone drops
// the groups that do not fit on one row.
func helpGrid(h help.Model, groups [][]key.Binding, width int, column lipgloss.Style) string {
	h.SetWidth(0) // each group is measured whole
	var rows []string
	var row []string
	used := 0
	for _, g := range groups {
		col := h.FullHelpView([][]key.Binding{g})
		w := lipgloss.Width(col) + 4
		if used > 0 && used+w > width {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, used = nil, 0
		}
		row = append(row, column.Render(col))
		used += w
	}
	if len(row) > 0 {
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	}
	return strings.Join(rows, "\n\n")
}

// firstRunText is the empty cockpit with no server: where to go next.
const firstRunText = "no accounts yet and no server: run `csm login` to sync your book, or try `csm demo`"

// loadingText is what the empty book says while the first sync brings it.
func (a *App) loadingText() string {
	if a.opts.Label != "" && strings.HasPrefix(strings.ToLower(a.opts.Label), "demo") {
		return "loading the demo book…"
	}
	return "loading the book…"
}

func (a *App) headerView() string {
	return a.book.HeaderView(a.width, a.opts.Label)
}

// syncErrIs says whether a sync error is offline ("Offline": no server
// answers) or a refused token ("AuthRefused"), as the sync package marks
// them, so the footer says the state in words rather than the raw error.
func syncErrIs(err error, mark string) bool {
	var off interface{ Offline() bool }
	var auth interface{ AuthRefused() bool }
	switch mark {
	case "Offline":
		return errors.As(err, &off) && off.Offline()
	case "AuthRefused":
		return errors.As(err, &auth) && auth.AuthRefused()
	}
	return false
}

func (a *App) footerView() string {
	s := a.styles
	waiting := "nothing waiting"
	if a.pending > 0 {
		waiting = fmt.Sprintf("%d waiting", a.pending)
	}
	var state string
	switch {
	case a.syncing && a.syncProgress != "":
		state = s.Footer.Render("syncing… " + safe.Line(a.syncProgress) + " · " + waiting)
	case a.syncing:
		state = s.Footer.Render("syncing… · " + waiting)
	case a.opts.Sync == nil:
		state = s.FooterWarn.Render("offline · " + waiting + " · no server configured")
	case a.syncBusy:
		state = s.Footer.Render(busyFooter + " · " + waiting)
	case syncErrIs(a.syncErr, "Offline"):
		state = s.FooterWarn.Render("offline · " + waiting + " · saved on this computer")
	case syncErrIs(a.syncErr, "AuthRefused"):
		state = s.FooterErr.Render("the server refused the token: run `csm login` again") + s.Footer.Render(" · "+waiting)
	case a.syncErr != nil:
		state = s.FooterErr.Render("offline · "+waiting) + s.Footer.Render(" · last sync failed: "+errText(a.syncErr))
	case !a.lastSync.IsZero():
		state = s.Footer.Render("synced " + format.ShortAgo(a.opts.Now().Sub(a.lastSync)) + " · " + waiting + " · " + safe.Line(a.syncLine))
	default:
		state = s.Footer.Render("not synced yet · " + waiting)
	}
	if a.rejected > 0 {
		state = s.FooterErr.Render(fmt.Sprintf("%d rejected (R) ", a.rejected)) + state
	}
	if a.status != "" {
		st := s.Footer
		if a.statusBad {
			st = s.FooterErr
		}
		state = st.Render(a.status) + s.Footer.Render(" · "+waiting)
	}
	own, global := a.active().ShortHelp(), []key.Binding{a.keys.Help, a.keys.Quit}
	switch {
	case a.showHelp:
		// Any key closes the help: the screen's keys do nothing now.
		own, global = nil, []key.Binding{a.keys.Quit}
	case a.active().Capturing():
		// While a screen takes text, ? and q are text: no help for them.
		global = nil
	}
	return truncateLine(state, a.width) + "\n" + truncateLine(a.keysLine(own, global), a.width)
}

// keysLine lists a screen's keys and then the root's: the root's always
// show, and the screen's take the room they leave, most used first.
func (a *App) keysLine(own, global []key.Binding) string {
	h := a.help
	h.SetWidth(0)
	tail := h.ShortHelpView(global)
	if tail == "" || len(own) == 0 {
		h.SetWidth(a.width)
		return h.ShortHelpView(append(own, global...))
	}
	sep := h.Styles.ShortSeparator.Render(h.ShortSeparator)
	room := a.width - lipgloss.Width(tail) - lipgloss.Width(sep)
	for n := len(own); n > 0; n-- {
		v := h.ShortHelpView(own[:n])
		if n < len(own) {
			v += " " + h.Styles.Ellipsis.Render(h.Ellipsis)
		}
		if lipgloss.Width(v) <= room {
			return v + sep + tail
		}
	}
	return tail
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
