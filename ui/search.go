package ui

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"csm/data"
	"csm/safe"
)

// searchLimit is how many hits one search shows; past that the CSM types
// another word.
const searchLimit = 100

// searchResultsMsg carries the hits of one query; seq says which.
type searchResultsMsg struct {
	seq   int
	query string
	hits  []data.Hit
	err   error
}

// searchScreen searches every note and follow-up of the book as you type.
type searchScreen struct {
	st     *data.Store
	keys   KeyMap
	styles *Styles

	input  textinput.Model
	typing bool // the input has the focus; else the results do

	// seq numbers the queries sent; shown is the seq of the hits on
	// screen. Results of an older query than the one shown are dropped,
	// so a slow early query never replaces a later one.
	seq, shown int
	query      string // the query of the hits shown
	hits       []data.Hit
	err        string

	cursor, offset int
	width, height  int
}

// newSearch opens the search with the input focused.
func newSearch(st *data.Store, keys KeyMap, styles *Styles) *searchScreen {
	in := textinput.New()
	in.Prompt = "search: "
	in.Placeholder = "words from notes and follow-ups"
	in.CharLimit = 200
	ts := textinput.DefaultStyles(true)
	for _, s := range []*textinput.StyleState{&ts.Focused, &ts.Blurred} {
		s.Text = styles.App
		s.Placeholder = styles.Subtle
		s.Prompt = styles.Filter
	}
	ts.Cursor.Blink = false
	in.SetStyles(ts)
	s := &searchScreen{st: st, keys: keys, styles: styles, input: in, typing: true, width: 80, height: 20}
	s.input.Focus()
	return s
}

// Refresh runs the query again, after a change made elsewhere.
func (s *searchScreen) Refresh() tea.Cmd { return s.run() }

// Capturing is true while the input has the focus: every key is text.
func (s *searchScreen) Capturing() bool { return s.typing }

// SetSize sets the room of the screen.
func (s *searchScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.input.SetWidth(max(w-len(s.input.Prompt)-1, 10))
	s.clamp()
}

// listHeight is the room for hits: the input and the count line above.
func (s *searchScreen) listHeight() int { return max(s.height-2, 1) }

func (s *searchScreen) clamp() {
	n := len(s.hits)
	s.cursor = min(max(s.cursor, 0), max(n-1, 0))
	h := s.listHeight()
	if s.cursor < s.offset {
		s.offset = s.cursor
	}
	if s.cursor >= s.offset+h {
		s.offset = s.cursor - h + 1
	}
	s.offset = min(max(s.offset, 0), max(n-h, 0))
}

// run sends the current query in a command.
func (s *searchScreen) run() tea.Cmd {
	s.seq++
	seq, st, q := s.seq, s.st, s.input.Value()
	if strings.TrimSpace(q) == "" {
		// Nothing to look for: clear now, and let no older answer in.
		s.shown, s.query, s.hits, s.err = seq, "", nil, ""
		s.cursor, s.offset = 0, 0
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		hits, err := st.Search(ctx, q, searchLimit)
		return searchResultsMsg{seq: seq, query: q, hits: hits, err: err}
	}
}

// Update handles typing, moving through the hits and the answers.
func (s *searchScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case searchResultsMsg:
		if msg.seq <= s.shown {
			return nil // older than what is on screen
		}
		s.shown, s.query = msg.seq, msg.query
		if msg.err != nil {
			s.err = errText(msg.err)
			return nil
		}
		s.hits, s.err = msg.hits, ""
		s.cursor, s.offset = 0, 0
	case tea.PasteMsg:
		if !s.typing {
			return nil
		}
		msg.Content = safe.Line(msg.Content)
		return s.updateInput(msg)
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			s.cursor -= 3
		case tea.MouseWheelDown:
			s.cursor += 3
		}
		s.clamp()
	case tea.KeyPressMsg:
		if s.typing {
			return s.updateTyping(msg)
		}
		return s.updateResults(msg)
	}
	return nil
}

func (s *searchScreen) updateTyping(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, s.keys.Back):
		return popScreen
	case key.Matches(msg, s.keys.Open):
		return s.open() // the best hit, without leaving the input
	case msg.String() == "down" || msg.String() == "tab":
		if len(s.hits) > 0 {
			s.typing = false
			s.input.Blur()
			s.cursor = 0
			s.clamp()
		}
		return nil
	}
	return s.updateInput(msg)
}

// updateInput types into the input and searches when the text changed.
func (s *searchScreen) updateInput(msg tea.Msg) tea.Cmd {
	before := s.input.Value()
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	if s.input.Value() == before {
		return cmd
	}
	return tea.Batch(cmd, s.run())
}

func (s *searchScreen) updateResults(msg tea.KeyPressMsg) tea.Cmd {
	k := s.keys
	switch {
	case key.Matches(msg, k.Up):
		if s.cursor == 0 {
			return s.focusInput()
		}
		s.cursor--
	case key.Matches(msg, k.Down):
		s.cursor++
	case key.Matches(msg, k.Top):
		s.cursor = 0
	case key.Matches(msg, k.Bottom):
		s.cursor = len(s.hits) - 1
	case key.Matches(msg, k.PageUp):
		s.cursor -= s.listHeight()
	case key.Matches(msg, k.PageDown):
		s.cursor += s.listHeight()
	case key.Matches(msg, k.Open):
		return s.open()
	case key.Matches(msg, k.Filter), msg.String() == "shift+tab":
		return s.focusInput()
	case key.Matches(msg, k.Back):
		return popScreen
	}
	s.clamp()
	return nil
}

func (s *searchScreen) focusInput() tea.Cmd {
	s.typing = true
	return s.input.Focus()
}

// open opens the account of the selected hit.
func (s *searchScreen) open() tea.Cmd {
	if s.cursor < 0 || s.cursor >= len(s.hits) {
		return nil
	}
	id := s.hits[s.cursor].AccountID
	return func() tea.Msg { return openAccountMsg{id: id} }
}

// ShortHelp lists the screen's main keys.
func (s *searchScreen) ShortHelp() []key.Binding {
	open := s.keys.Open
	open.SetHelp("enter", "open account")
	if s.typing {
		return []key.Binding{open, key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "results")), s.keys.Back}
	}
	filter := s.keys.Filter
	filter.SetHelp("/", "edit search")
	return []key.Binding{s.keys.Up, s.keys.Down, open, filter, s.keys.Back}
}

// FullHelp lists every key of the screen.
func (s *searchScreen) FullHelp() [][]key.Binding {
	k := s.keys
	open := k.Open
	open.SetHelp("enter", "open account")
	filter := k.Filter
	filter.SetHelp("/", "edit search")
	return [][]key.Binding{
		{k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown},
		{open, filter, k.Back},
	}
}

// View draws the input, a count line and the hits.
func (s *searchScreen) View() string {
	st := s.styles
	lines := []string{truncateLine(s.input.View(), s.width)}
	switch {
	case s.err != "":
		lines = append(lines, truncateLine(st.Bad.Render("search failed: "+s.err), s.width))
	case strings.TrimSpace(s.query) == "":
		lines = append(lines, st.Subtle.Render(truncateLine("  every word must match; the last one may be cut short", s.width)))
	case len(s.hits) == 0:
		lines = append(lines, st.Subtle.Render(truncateLine("  nothing matches "+safe.Line(s.query), s.width)))
	default:
		count := fmt.Sprintf("  %d matches", len(s.hits))
		if len(s.hits) == 1 {
			count = "  1 match"
		}
		if len(s.hits) == searchLimit {
			count = fmt.Sprintf("  the best %d matches", searchLimit)
		}
		lines = append(lines, st.Subtle.Render(count))
	}
	end := min(s.offset+s.listHeight(), len(s.hits))
	for i := s.offset; i < end; i++ {
		lines = append(lines, s.hitView(s.hits[i], !s.typing && i == s.cursor))
	}
	return strings.Join(lines, "\n")
}

const (
	hitDateWidth = 11 // "Nov 20 2026"
	hitKindWidth = 9  // "follow-up"
)

func (s *searchScreen) hitView(h data.Hit, selected bool) string {
	st := s.styles
	marker := "  "
	if selected {
		marker = "▶ "
	}
	when := "—"
	if !h.When.IsZero() {
		when = h.When.Local().Format("Jan 2 2006")
	}
	kind := "note"
	if h.Kind == data.HitTask {
		kind = "follow-up"
	}
	aw := min(max(s.width/5, 14), 30)
	sw := max(s.width-2-hitDateWidth-1-aw-1-hitKindWidth-1, 10)
	line := marker + pad(when, hitDateWidth) + " " + cell(h.AccountName, aw) + " " + st.Label.Render(pad(kind, hitKindWidth)) + " " +
		highlight(h.Snippet, sw, st.Title)
	line = truncateLine(line, s.width)
	if selected {
		return st.Selected.Render(pad(line, s.width))
	}
	return line
}

// highlight draws an untrusted snippet in at most width cells: sanitized
// first (the match markers survive it), then the matched words styled.
// Working segment by segment keeps every style closed even when the text
// is cut inside a match.
func highlight(snippet string, width int, match lipgloss.Style) string {
	rest := safe.Line(snippet)
	// Bring the first match into view: keep a third of the width of the
	// text before it and drop the rest of that text.
	if i := strings.Index(rest, data.MatchStart); i >= 0 && ansi.StringWidth(rest[:i]) > width/3 {
		rest = "…" + dropLeft(rest[:i], max(width/3-1, 0)) + rest[i:]
	}
	var b strings.Builder
	used, inMatch := 0, false
	for rest != "" && used < width {
		seg, marker := rest, ""
		if i := strings.IndexAny(rest, data.MatchStart+data.MatchEnd); i >= 0 {
			_, n := utf8.DecodeRuneInString(rest[i:])
			seg, marker, rest = rest[:i], rest[i:i+n], rest[i+n:]
		} else {
			rest = ""
		}
		if seg != "" {
			if used+ansi.StringWidth(seg) > width {
				seg = safe.Truncate(seg, width-used)
			}
			used += ansi.StringWidth(seg)
			if inMatch {
				seg = match.Render(seg)
			}
			b.WriteString(seg)
		}
		switch marker {
		case data.MatchStart:
			inMatch = true
		case data.MatchEnd:
			inMatch = false
		}
	}
	return b.String()
}

// dropLeft removes whole grapheme clusters from the start of s until it is
// at most keep cells wide.
func dropLeft(s string, keep int) string {
	for s != "" && ansi.StringWidth(s) > keep {
		c, _ := ansi.FirstGraphemeCluster(s, ansi.GraphemeWidth)
		if c == "" {
			return ""
		}
		s = s[len(c):]
	}
	return s
}
