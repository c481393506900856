package credentials

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"csm/safe"
)

// BadTokenError is a token given that cannot be one: none, too long, or
// with spaces or control characters. Its message never holds the token.
type BadTokenError struct{ error }

// ReadToken reads the token for server without echo from a terminal,
// asking for it on prompt, or the first line of in when it is a pipe or a
// file.
func ReadToken(in io.Reader, prompt io.Writer, server string) (string, error) {
	var raw []byte
	if f, ok := in.(*os.File); ok && term.IsTerminal(f.Fd()) {
		fmt.Fprintf(prompt, "Token for %s: ", safe.Line(server))
		b, err := term.ReadPassword(f.Fd())
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("read the token: %w", err)
		}
		raw = b
	} else {
		b, err := io.ReadAll(io.LimitReader(in, MaxTokenBytes+1))
		if err != nil {
			return "", fmt.Errorf("read the token from standard input: %w", err)
		}
		if len(b) > MaxTokenBytes {
			return "", BadTokenError{fmt.Errorf("the token on standard input is longer than %d bytes", MaxTokenBytes)}
		}
		raw, _, _ = bytes.Cut(b, []byte("\n"))
	}
	token := strings.TrimSpace(string(raw))
	if token == "" {
		return "", BadTokenError{errors.New("no token given: type it at the prompt, or pipe it in")}
	}
	if !validToken(token) {
		// Not echoed: even a malformed token may be a real secret.
		return "", BadTokenError{errors.New("the token has spaces or control characters, which a token cannot have")}
	}
	return token, nil
}

// validToken accepts what can travel in an Authorization header:
// printable ASCII with no spaces.
func validToken(t string) bool {
	for i := 0; i < len(t); i++ {
		if t[i] <= ' ' || t[i] >= 0x7F {
			return false
		}
	}
	return true
}
