// Package browser opens web pages with the system's opener (xdg-open,
// open, rundll32) and builds the CRM link of an account from the config's
// crm_url template. The URL goes to the opener as one argument of
// exec.Command: no shell ever reads it, so nothing from data can run as a
// command.
package browser

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// Opener is a command that opens a URL given as its last argument.
type Opener struct {
	Name string
	Args []string
}

// System is the opener of the system csm runs on.
func System() Opener { return systemFor(runtime.GOOS) }

func systemFor(goos string) Opener {
	switch goos {
	case "darwin":
		return Opener{Name: "open"}
	case "windows":
		return Opener{Name: "rundll32", Args: []string{"url.dll,FileProtocolHandler"}}
	}
	return Opener{Name: "xdg-open"}
}

// openTimeout bounds the opener: it hands the URL to the browser and ends.
const openTimeout = 20 * time.Second

// Open opens rawURL, which must be an http or https URL, with the opener.
// The opener's own input and output are not the terminal's (a text-mode
// browser cannot take over the cockpit); what it says on failure comes
// back in the error.
func (o Opener) Open(ctx context.Context, rawURL string) error {
	if err := checkWebURL(rawURL); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, openTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, o.Name, append(append([]string(nil), o.Args...), rawURL)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return fmt.Errorf("open %s with %s: %w: %s", rawURL, o.Name, err, firstLine(msg))
		}
		return fmt.Errorf("open %s with %s: %w", rawURL, o.Name, err)
	}
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// checkWebURL accepts an absolute http or https URL with a host.
func checkWebURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http:// or https:// URL", s)
	}
	return nil
}

// IDPlaceholder is where the account's id goes in the crm_url template.
const IDPlaceholder = "{id}"

// CheckTemplate validates a crm_url template: an http or https URL with a
// host that holds {id}. "" (no CRM) is valid.
func CheckTemplate(tmpl string) error {
	if tmpl == "" {
		return nil
	}
	if !strings.Contains(tmpl, IDPlaceholder) {
		return fmt.Errorf("%q has no %s: write where the account's id goes, e.g. https://crm.example.com/accounts/{id}", tmpl, IDPlaceholder)
	}
	if strings.Contains(hostPart(tmpl), IDPlaceholder) {
		return fmt.Errorf("%q: %s may stand in the path or the query, not the host", tmpl, IDPlaceholder)
	}
	if strings.ContainsAny(strings.ReplaceAll(tmpl, IDPlaceholder, ""), "{}") {
		return fmt.Errorf("%q: %s is the only placeholder known", tmpl, IDPlaceholder)
	}
	if err := checkWebURL(strings.ReplaceAll(tmpl, IDPlaceholder, "x")); err != nil {
		return err
	}
	return nil
}

// hostPart is the part of a URL between :// and the next /, ? or #.
func hostPart(s string) string {
	_, rest, ok := strings.Cut(s, "://")
	if !ok {
		return ""
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		return rest[:i]
	}
	return rest
}

// ErrNoCRM is the error of a CRM link asked for with no crm_url set.
var ErrNoCRM = errors.New("no CRM link: set crm_url in the config file (csm config path), e.g. crm_url = \"https://crm.example.com/accounts/{id}\"")

// AccountURL fills the template with the account's id, percent-encoded:
// as one path segment (url.PathEscape), or as a query value
// (url.QueryEscape) where {id} stands after the ?. An id cannot add a path
// segment, a query parameter, a fragment or another host. The result is
// checked again as an http(s) URL.
func AccountURL(tmpl, id string) (string, error) {
	if tmpl == "" {
		return "", ErrNoCRM
	}
	if err := CheckTemplate(tmpl); err != nil {
		return "", fmt.Errorf("crm_url: %w", err)
	}
	if id == "" {
		return "", errors.New("no account id to link to")
	}
	path, query, _ := strings.Cut(tmpl, "?")
	s := strings.ReplaceAll(path, IDPlaceholder, url.PathEscape(id))
	if query != "" {
		s += "?" + strings.ReplaceAll(query, IDPlaceholder, url.QueryEscape(id))
	}
	if err := checkWebURL(s); err != nil {
		return "", err
	}
	return s, nil
}
