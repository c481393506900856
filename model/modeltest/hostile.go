// Package modeltest holds test data built on the model, for the tests of
// every package: it is imported only by _test.go files, so none of it is
// in the csm binary.
//
// HostileBook and its payloads are test data for SPEC §5: text from the
// server is untrusted and must never drive the terminal. They live here
// (not in a _test file) so that the sync tests, the UI tests and the
// store's tests can all plant the same strings.
package modeltest

import (
	"encoding/base64"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"csm/model"
)

// HostilePayload is one hostile string HostileBook plants.
type HostilePayload struct {
	// Name says what it is, for test failures and the report.
	Name string
	// Text is what is planted.
	Text string
	// Hidden are substrings of Text that may only reach the screen if the
	// payload was not removed: the contents of a sequence (a clipboard
	// text, a link, a title) or a control character the terminal renderer
	// never writes itself. A sequence the renderer also writes (ESC [2J)
	// has none: only a parse of the drawn frame can catch it.
	Hidden []string
	// Kept is visible text that must survive sanitizing ("" for none).
	Kept string
	// Unterminated payloads swallow the rest of their string once parsed
	// as a terminal would, so HostileBook only puts them at the end.
	Unterminated bool
}

// Sizes of the two over-long texts HostileBook plants: past the cuts of
// textlimit.go, so a sync must cut them.
const (
	HostileNameBytes = 1 << 20   // one account name
	HostileBodyBytes = 100 << 10 // one note body and one NPS comment
)

// HostileAccountID replaces the id of the book's third account: ids are
// untrusted text too, and short escape sequences fit in model.MaxIDBytes.
const HostileAccountID = "a-\x1b]0;csm-hostile-id\a\u202e\x1b[2J"

// HostileStepKey is a step key HostileBook adds to one play run: a step the
// playbook does not know is shown by its key.
const HostileStepKey = "s-\x1b]0;csm-hostile-step\a"

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// hostilePayloads is the catalogue; see HostilePayloads.
var hostilePayloads = []HostilePayload{
	// CSI: colours, cursor moves, clearing, modes.
	{Name: "SGR truecolor, blink, reverse", Text: "\x1b[38;2;13;37;42;1;5;7m", Hidden: []string{"13;37;42"}},
	{Name: "SGR conceal on a background", Text: "\x1b[8;48;2;66;6;6m", Hidden: []string{"66;6;6"}},
	{Name: "CSI cursor position", Text: "\x1b[31337;31337H", Hidden: []string{"31337"}},
	{Name: "CSI cursor up", Text: "\x1b[4711A", Hidden: []string{"4711"}},
	{Name: "CSI clear screen and scrollback", Text: "\x1b[2J\x1b[3J\x1b[H"},
	{Name: "CSI erase line", Text: "\x1b[2K"},
	{Name: "CSI alternate screen off", Text: "\x1b[?1049l"},
	{Name: "CSI alternate screen off with a marker", Text: "\x1b[?1049;4712l", Hidden: []string{"4712"}},
	{Name: "CSI hide cursor, all mouse motion", Text: "\x1b[?25l\x1b[?1003h"},
	{Name: "CSI scroll region", Text: "\x1b[1;4713r", Hidden: []string{"4713"}},
	{Name: "CSI device status request", Text: "\x1b[6n\x1b[>c"},
	// OSC: clipboard, links, titles, notifications.
	{Name: "OSC 52 clipboard write, BEL", Text: "\x1b]52;c;" + b64("csm hostile clipboard bel") + "\a",
		Hidden: []string{b64("csm hostile clipboard bel")}},
	{Name: "OSC 52 clipboard write, ST", Text: "\x1b]52;c;" + b64("csm hostile clipboard st") + "\x1b\\",
		Hidden: []string{b64("csm hostile clipboard st")}},
	{Name: "OSC 52 clipboard read", Text: "\x1b]52;c;?\a"},
	{Name: "OSC 8 link", Text: "\x1b]8;;https://evil.example/csm-hostile-link\x1b\\click here\x1b]8;;\x1b\\",
		Hidden: []string{"evil.example"}, Kept: "click here"},
	{Name: "OSC 0 window title, BEL", Text: "\x1b]0;csm-hostile-title\a", Hidden: []string{"csm-hostile-title"}},
	{Name: "OSC 2 window title, ST", Text: "\x1b]2;csm-hostile-title2\x1b\\", Hidden: []string{"csm-hostile-title2"}},
	{Name: "OSC 9 and 777 notifications", Text: "\x1b]9;csm-hostile-notify\a\x1b]777;notify;csm;hostile-notify2\a",
		Hidden: []string{"csm-hostile-notify", "hostile-notify2"}},
	// The other strings.
	{Name: "DCS request status string", Text: "\x1bP$qm\x1b\\\x1bP1$rcsm-hostile-dcs\x1b\\", Hidden: []string{"csm-hostile-dcs"}},
	{Name: "APC kitty graphics", Text: "\x1b_Gf=100,a=T;csm-hostile-apc\x1b\\", Hidden: []string{"csm-hostile-apc"}},
	{Name: "PM", Text: "\x1b^csm-hostile-pm\x1b\\", Hidden: []string{"csm-hostile-pm"}},
	{Name: "SOS", Text: "\x1bXcsm-hostile-sos\x1b\\", Hidden: []string{"csm-hostile-sos"}},
	// Plain ESC sequences: full reset, save/restore, line-drawing charset,
	// screen alignment test (fills the screen with E).
	{Name: "ESC reset, charset, DECALN", Text: "\x1bc\x1b7\x1b8\x1b(0\x1b#8\x1bM"},
	// 8-bit C1 controls in their UTF-8 form (JSON cannot carry raw bytes).
	{Name: "C1 CSI U+009B", Text: "\u009b4714;1H", Hidden: []string{"\u009b", "4714"}},
	{Name: "C1 OSC title U+009D … ST U+009C", Text: "\u009d0;csm-hostile-c1-title\u009c",
		Hidden: []string{"\u009d", "\u009c", "csm-hostile-c1-title"}},
	{Name: "C1 OSC 52 clipboard", Text: "\u009d52;c;" + b64("csm hostile c1 clipboard") + "\a",
		Hidden: []string{b64("csm hostile c1 clipboard")}},
	{Name: "C1 DCS and APC", Text: "\u0090csm-hostile-c1-dcs\u009c\u009fcsm-hostile-c1-apc\u009c",
		Hidden: []string{"\u0090", "\u009f", "csm-hostile-c1-dcs", "csm-hostile-c1-apc"}},
	{Name: "C1 NEL, IND, RI, SS2, SS3", Text: "\u0085\u0084\u008d\u008e\u008f",
		Hidden: []string{"\u0085", "\u0084", "\u008d", "\u008e", "\u008f"}},
	// Invisible reordering and hiding.
	{Name: "bidi override", Text: "\u202egnp.exe\u202c", Hidden: []string{"\u202e", "\u202c"}, Kept: "gnp.exe"},
	{Name: "bidi isolates, embeddings, marks", Text: "\u2066\u2067\u2068x\u2069\u200e\u200f\u061c\u202a\u202b\u202d",
		Hidden: []string{"\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c", "\u202a", "\u202b", "\u202d"}},
	{Name: "zero width space, word joiner, BOM, soft hyphen", Text: "a\u200bb\u2060c\ufeffd\u00ade",
		Hidden: []string{"\u200b", "\u2060", "\ufeff", "\u00ad"}, Kept: "abcde"},
	{Name: "tag characters hiding text", Text: "hi\U000E0068\U000E0069\U000E0064\U000E0065", Hidden: []string{"\U000E0068"}},
	// C0 controls and DEL.
	{Name: "NUL, BEL, BS, VT, FF, SO, SI, CAN, SUB, FS, DEL", Text: "\x00\a\b\v\f\x0e\x0f\x18\x1a\x1c\x7f",
		Hidden: []string{"\x00", "\x0e", "\x0f", "\x7f"}},
	{Name: "CR, LF, tab, line and paragraph separators", Text: "line1\r\nline2\rover\nthree\tfour\u2028five\u2029six",
		Hidden: []string{"\u2028", "\u2029"}},
	// Text that must survive, cell widths and all.
	{Name: "emoji with ZWJ and skin tones", Text: "👩‍👩‍👧‍👦🧑🏽‍💻👍🏿", Kept: "👩‍👩‍👧‍👦"},
	{Name: "flags, tag flag, keycap", Text: "🇯🇵🇫🇷🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F1️⃣", Kept: "🇯🇵"},
	{Name: "wide CJK and fullwidth", Text: "東京株式会社 한국어 ＡＢＣ", Kept: "東京株式会社"},
	{Name: "combining mark stack", Text: "Z" + strings.Repeat("\u0336\u0334\u0301\u0300", 20) + "algo", Kept: "algo"},
	{Name: "right-to-left letters", Text: "שלום مرحبا", Kept: "שלום"},
	// Unterminated: each runs to the end of its string.
	{Name: "unterminated OSC 52", Text: "\x1b]52;c;" + b64("csm hostile unterminated"),
		Hidden: []string{b64("csm hostile unterminated")}, Unterminated: true},
	{Name: "unterminated OSC 8", Text: "\x1b]8;;https://evil.example/csm-hostile-open", Hidden: []string{"evil.example"}, Unterminated: true},
	{Name: "unterminated CSI", Text: "\x1b[4715;", Hidden: []string{"4715"}, Unterminated: true},
	{Name: "unterminated DCS", Text: "\x1bPcsm-hostile-open-dcs", Hidden: []string{"csm-hostile-open-dcs"}, Unterminated: true},
	{Name: "unterminated C1 OSC", Text: "\u009d0;csm-hostile-open-c1", Hidden: []string{"csm-hostile-open-c1"}, Unterminated: true},
	{Name: "lone ESC", Text: "\x1b", Unterminated: true},
	{Name: "lone C1 CSI", Text: "\u009b", Unterminated: true},
}

// HostilePayloads returns every payload HostileBook plants, in a fixed
// order. The slice is a copy.
func HostilePayloads() []HostilePayload { return slices.Clone(hostilePayloads) }

// HostileHidden returns every Hidden string of every payload, and those of
// the hostile id, step key and checklist groups: none may ever appear in
// what csm draws.
func HostileHidden() []string {
	out := []string{"csm-hostile-id", "csm-hostile-step", "csm-hostile-group"}
	for _, p := range hostilePayloads {
		out = append(out, p.Hidden...)
	}
	return out
}

// planter hands out payloads in rotation, so that across a book every
// payload lands in every kind of field; off (from the seed) shifts which
// field gets which.
type planter struct {
	body, tail []HostilePayload // terminated ones; unterminated ones
	n          int              // fields planted so far
	off        int
}

func newPlanter(seed int64) *planter {
	p := &planter{off: rand.New(rand.NewPCG(uint64(seed), 0x4057)).IntN(1 << 16)}
	for _, h := range hostilePayloads {
		if h.Unterminated {
			p.tail = append(p.tail, h)
		} else {
			p.body = append(p.body, h)
		}
	}
	return p
}

// line plants payloads around and inside orig, keeping orig readable: one
// before it, one in its middle, one after it, and on every third field an
// unterminated one at the very end.
func (p *planter) line(orig string) string {
	i := p.n + p.off
	p.n++
	pick := func(k int) string { return p.body[(i*3+k)%len(p.body)].Text }
	mid := len(orig) / 2
	for mid > 0 && mid < len(orig) && orig[mid]&0xC0 == 0x80 {
		mid-- // a rune boundary, so orig's own text stays valid UTF-8
	}
	s := pick(0) + orig[:mid] + pick(1) + orig[mid:] + pick(2)
	if i%3 == 0 {
		s += p.tail[i%len(p.tail)].Text
	}
	return s
}

// text is line for multi-line text: orig, then every few payloads on lines
// of their own, so bodies also carry line breaks and tabs.
func (p *planter) text(orig string) string {
	return p.line(orig) + "\n\t" + p.line("second line") + "\r\n" + p.line("third line")
}

// every returns all terminated payloads, each between two words, and one
// unterminated payload at the end: the "kitchen sink" string.
func (p *planter) every(orig string) string {
	var b strings.Builder
	b.WriteString(orig)
	for _, h := range p.body {
		b.WriteString(" ")
		b.WriteString(h.Text)
	}
	b.WriteString(" end")
	b.WriteString(p.tail[p.off%len(p.tail)].Text)
	return b.String()
}

// huge repeats hostile text after orig until it is at least n bytes long.
// Payloads fall across the cut point at every size, so a cut may leave a
// sequence half open.
func (p *planter) huge(orig string, n int) string {
	var b strings.Builder
	b.Grow(n + 4096)
	b.WriteString(orig)
	for k := 0; b.Len() < n; k++ {
		b.WriteString(" 東京 ")
		b.WriteString(p.body[(k+p.off)%len(p.body)].Text)
		if k%7 == 6 {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// HostileBook returns a copy of b with hostile strings planted in every
// text field that reaches the screen: account names, industries, regions,
// account executives; contact names, titles and emails; feature names; NPS
// comments; playbook names, descriptions and step titles; checklist names,
// item titles and groups; note bodies, next steps and authors; task titles;
// play run outcomes. Every field keeps its original text between the
// payloads, so it stays recognisable once sanitized.
//
// On top of that, the first account's name holds every payload at once, the
// second account's name is HostileNameBytes long, the first note's body
// and the first NPS comment are HostileBodyBytes long, the third account's
// id becomes HostileAccountID (everywhere it is referenced), and the first
// play run gets an unknown step HostileStepKey. The same b and seed always
// give the same book. b itself is not changed; usage columns, which hold
// no text, are shared with it.
func HostileBook(b model.Book, seed int64) model.Book {
	p := newPlanter(seed)
	h := model.Book{CSM: b.CSM}
	h.CSM.Name = p.line(b.CSM.Name)

	h.Accounts = slices.Clone(b.Accounts)
	for i := range h.Accounts {
		a := &h.Accounts[i]
		a.Name = p.line(a.Name)
		a.Industry = p.line(a.Industry)
		a.Region = p.line(a.Region)
		a.AccountExecutive.Name = p.line(a.AccountExecutive.Name)
		a.AccountExecutive.Email = p.line(a.AccountExecutive.Email)
	}
	if n := len(h.Accounts); n > 0 {
		h.Accounts[0].Name = p.every(b.Accounts[0].Name)
		m := &h.Accounts[1%n]
		m.Name = p.huge(b.Accounts[1%n].Name, HostileNameBytes)
	}

	h.Contacts = slices.Clone(b.Contacts)
	for i := range h.Contacts {
		c := &h.Contacts[i]
		c.Name = p.line(c.Name)
		c.Title = p.line(c.Title)
		c.Email = p.line(c.Email)
	}
	h.Features = slices.Clone(b.Features)
	for i := range h.Features {
		h.Features[i].Name = p.line(h.Features[i].Name)
	}
	h.Usage = slices.Clone(b.Usage)
	h.NPS = slices.Clone(b.NPS)
	for i := range h.NPS {
		h.NPS[i].Comment = p.text(h.NPS[i].Comment)
	}
	if len(h.NPS) > 0 {
		h.NPS[0].Comment = p.huge(b.NPS[0].Comment, HostileBodyBytes)
	}
	h.Playbooks = slices.Clone(b.Playbooks)
	for i := range h.Playbooks {
		pb := &h.Playbooks[i]
		pb.Name = p.line(pb.Name)
		pb.Description = p.text(pb.Description)
		pb.Steps = slices.Clone(pb.Steps)
		for j := range pb.Steps {
			pb.Steps[j].Title = p.line(pb.Steps[j].Title)
		}
	}
	h.Checklists = slices.Clone(b.Checklists)
	for i := range h.Checklists {
		cl := &h.Checklists[i]
		cl.Name = p.line(cl.Name)
		cl.Items = slices.Clone(cl.Items)
		for j := range cl.Items {
			cl.Items[j].Title = p.line(cl.Items[j].Title)
			// Items of a group share its name, so the group stays one
			// heading: plant by group, not by item.
			cl.Items[j].Group = hostileGroup(cl.Items[j].Group)
		}
	}
	h.Notes = slices.Clone(b.Notes)
	for i := range h.Notes {
		n := &h.Notes[i]
		n.Body = p.text(n.Body)
		n.Author = p.line(n.Author)
		n.NextSteps = slices.Clone(n.NextSteps)
		for j := range n.NextSteps {
			n.NextSteps[j] = p.line(n.NextSteps[j])
		}
	}
	if len(h.Notes) > 0 {
		h.Notes[0].Body = p.huge(b.Notes[0].Body, HostileBodyBytes)
	}
	h.Tasks = slices.Clone(b.Tasks)
	for i := range h.Tasks {
		h.Tasks[i].Title = p.line(h.Tasks[i].Title)
	}
	h.ChecklistItems = slices.Clone(b.ChecklistItems)
	h.PlayRuns = slices.Clone(b.PlayRuns)
	for i := range h.PlayRuns {
		r := &h.PlayRuns[i]
		r.Steps = maps.Clone(r.Steps)
		if r.Outcome != nil {
			o := p.line(*r.Outcome)
			r.Outcome = &o
		}
	}
	if len(h.PlayRuns) > 0 {
		if h.PlayRuns[0].Steps == nil {
			h.PlayRuns[0].Steps = map[string]*time.Time{}
		}
		h.PlayRuns[0].Steps[HostileStepKey] = nil
	}
	if len(h.Accounts) > 2 {
		renameAccount(&h, h.Accounts[2].ID, HostileAccountID)
	}
	return h
}

// hostileGroup plants a fixed payload in a checklist group name: the same
// group gives the same string.
func hostileGroup(g string) string {
	return "\x1b]0;csm-hostile-group\a" + g + "\u202e\x1b[2K"
}

// renameAccount changes an account's id and every reference to it, ids
// built from it included.
func renameAccount(b *model.Book, from, to string) {
	for i := range b.Accounts {
		if b.Accounts[i].ID == from {
			b.Accounts[i].ID = to
		}
	}
	for i := range b.Contacts {
		if b.Contacts[i].AccountID == from {
			b.Contacts[i].AccountID = to
		}
	}
	for i := range b.Usage {
		if u := &b.Usage[i]; u.AccountID == from {
			u.AccountID = to
			u.ID = to + "/" + u.Month
		}
	}
	for i := range b.NPS {
		if b.NPS[i].AccountID == from {
			b.NPS[i].AccountID = to
		}
	}
	for i := range b.Notes {
		if b.Notes[i].AccountID == from {
			b.Notes[i].AccountID = to
		}
	}
	for i := range b.Tasks {
		if b.Tasks[i].AccountID == from {
			b.Tasks[i].AccountID = to
		}
	}
	for i := range b.ChecklistItems {
		if c := &b.ChecklistItems[i]; c.AccountID == from {
			c.AccountID = to
			c.ID = model.ChecklistItemID(to, c.ChecklistKey, c.ItemKey)
		}
	}
	for i := range b.PlayRuns {
		if b.PlayRuns[i].AccountID == from {
			b.PlayRuns[i].AccountID = to
		}
	}
}
