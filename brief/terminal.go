package brief

import (
	"fmt"
	"io"
	"os"
	"strings"

	"charm.land/glamour/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
)

// ForTerminal renders the brief's Markdown for a terminal with glamour:
// headings, tables and lists drawn, words wrapped at width, in the style
// of a dark or light background. The text is Render's, already
// sanitized; what glamour adds are its own styles. Colours are full: the
// caller's writer brings them down to what the terminal shows (and none
// with NO_COLOR).
func ForTerminal(markdown string, width int, dark bool) (string, error) {
	style := "dark"
	if !dark {
		style = "light"
	}
	width = min(max(width, 40), 100)
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle(style), glamour.WithWordWrap(width))
	if err != nil {
		return "", fmt.Errorf("render the brief: %w", err)
	}
	out, err := r.Render(markdown)
	if err != nil {
		return "", fmt.Errorf("render the brief: %w", err)
	}
	return out, nil
}

// Write prints the brief's Markdown to w: drawn by ForTerminal when w is
// a terminal and raw is false, as it is otherwise (a pipe, a file,
// --raw), so scripts and editors get Markdown.
func Write(w io.Writer, markdown string, raw bool) error {
	f, ok := w.(*os.File)
	if raw || !ok || !term.IsTerminal(f.Fd()) {
		_, err := io.WriteString(w, markdown)
		return err
	}
	width, _, err := term.GetSize(f.Fd())
	if err != nil || width <= 0 {
		width = 80
	}
	out, err := ForTerminal(markdown, width, darkBackground(os.Getenv("COLORFGBG")))
	if err != nil {
		return err
	}
	// Colours brought down to what the terminal shows, none with NO_COLOR.
	_, err = io.WriteString(colorprofile.NewWriter(f, os.Environ()), out)
	return err
}

// darkBackground reads COLORFGBG ("15;0": light text on black), which
// many terminals set; without it the background is taken as dark. Asking
// the terminal itself can take seconds when it does not answer.
func darkBackground(colorfgbg string) bool {
	i := strings.LastIndex(colorfgbg, ";")
	if i < 0 {
		return true
	}
	switch colorfgbg[i+1:] {
	case "7", "15":
		return false
	}
	return true
}
