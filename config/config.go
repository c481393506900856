// Package config reads csm's configuration file: the server to sync from,
// where the database lives, and the thresholds and weights of the domain
// rules (SPEC §2). The file is TOML; default.toml, embedded here, documents
// every key and is what `csm config init` writes.
package config

import (
	"bufio"
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"csm/browser"
	"csm/model"
)

//go:embed default.toml
var defaultFile []byte

// DefaultFile returns the documented default file: every key with what it
// means and its default.
func DefaultFile() []byte { return bytes.Clone(defaultFile) }

// File is the content of a config file. Keys left out keep their defaults.
type File struct {
	// ServerURL is the server to sync from; "" when not set.
	ServerURL string `toml:"server_url"`
	// DataDir is where the database lives, absolute, with a leading ~/
	// already expanded; "" when not set.
	DataDir string `toml:"data_dir"`
	// CRMURL is the template of an account's page in the CRM, with {id}
	// where the account's id goes (browser.AccountURL); "" when not set.
	CRMURL string `toml:"crm_url"`
	// Thresholds are the rules' numbers, under [rules] and [rules.weights].
	Thresholds model.Thresholds `toml:"rules"`
}

// Defaults is the configuration with no file at all.
func Defaults() File {
	return File{Thresholds: model.DefaultThresholds()}
}

// Path returns where csm looks for its config file: $CSM_CONFIG, else
// $XDG_CONFIG_HOME/csm/config.toml, else ~/.config/csm/config.toml. The
// XDG convention is followed on every system (not os.UserConfigDir, which
// means ~/Library/Application Support on macOS), so the place is the same
// wherever a CSM works.
func Path() (string, error) {
	if p := os.Getenv("CSM_CONFIG"); p != "" {
		return p, nil
	}
	// The XDG spec says a relative value is invalid and must be ignored.
	if d := os.Getenv("XDG_CONFIG_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "csm", "config.toml"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the config file: %w (set CSM_CONFIG)", err)
	}
	return filepath.Join(home, ".config", "csm", "config.toml"), nil
}

// Load reads the config file at path. A missing file is not an error: it
// gives the defaults. Any other problem (a syntax error, a value of the
// wrong type, an unknown key, a value out of range) is an error naming the
// file, the line and the key, and comes with the defaults.
func Load(path string) (File, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Defaults(), nil
	}
	if err != nil {
		return Defaults(), fmt.Errorf("read config file: %w", err)
	}
	return Parse(path, raw)
}

// Error is one problem in a config file.
type Error struct {
	Path string
	Line int    // 1-based; 0 when unknown
	Key  string // dotted, e.g. "rules.weights.nps"; "" when unknown
	Msg  string // says what is wrong, naming the key
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("config %s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("config %s: %s", e.Path, e.Msg)
}

// Parse reads the content of a config file; path is only used in errors.
// Every problem found is reported, each as an *Error, joined.
func Parse(path string, raw []byte) (File, error) {
	f := Defaults()
	md, err := toml.NewDecoder(bytes.NewReader(raw)).Decode(&f)
	if err != nil {
		return Defaults(), decodeError(path, err)
	}
	lines := keyLines(raw)
	problem := func(key, msg string) error {
		return &Error{Path: path, Line: lines[key], Key: key, Msg: msg}
	}

	var errs []error
	// An unknown key is most often a typo of a real one, which would
	// otherwise be silently ignored. Under an unknown table, only the
	// table is reported, not each of its keys.
	var unknown []string
	for _, k := range md.Undecoded() {
		key := k.String()
		if !hasPrefixKey(key, unknown) {
			unknown = append(unknown, key)
			errs = append(errs, problem(key, "unknown key "+key))
		}
	}
	if err := checkServerURL(f.ServerURL); err != nil {
		errs = append(errs, problem("server_url", "server_url: "+err.Error()))
	}
	if err := browser.CheckTemplate(f.CRMURL); err != nil {
		errs = append(errs, problem("crm_url", "crm_url: "+err.Error()))
	}
	if f.DataDir, err = expandDataDir(f.DataDir); err != nil {
		errs = append(errs, problem("data_dir", "data_dir: "+err.Error()))
	}
	for _, e := range splitJoined(f.Thresholds.Validate()) {
		key := "rules." + validatedKey(e.Error())
		errs = append(errs, problem(key, "rules."+e.Error()))
	}
	if len(errs) > 0 {
		return Defaults(), errors.Join(errs...)
	}
	return f, nil
}

// WriteDefault writes the documented default file at path, creating its
// directory. It never overwrites: an existing file is the CSM's own work.
func WriteDefault(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create the config directory: %w", err)
	}
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists: not overwritten (edit it, or remove it first)", path)
	}
	if err != nil {
		return fmt.Errorf("write the config file: %w", err)
	}
	_, err = out.Write(defaultFile)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		// A half-written file would be refused next time: remove it.
		os.Remove(path)
		return fmt.Errorf("write the config file %s: %w", path, err)
	}
	return nil
}

// tomlErrorRe reads the line and key out of the decoder's type errors,
// which are not typed: `toml: line 3 (last key "rules.x"): message`.
var tomlErrorRe = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)

// decodeError turns a TOML syntax or type error into an *Error.
func decodeError(path string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		msg := pe.Message
		if pe.LastKey != "" {
			msg = pe.LastKey + ": " + msg
		}
		return &Error{Path: path, Line: pe.Position.Line, Key: pe.LastKey, Msg: msg}
	}
	if m := tomlErrorRe.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{Path: path, Line: line, Key: m[2], Msg: m[2] + ": " + m[3]}
	}
	return &Error{Path: path, Msg: strings.TrimPrefix(err.Error(), "toml: ")}
}

func hasPrefixKey(key string, parents []string) bool {
	for _, p := range parents {
		if strings.HasPrefix(key, p+".") {
			return true
		}
	}
	return false
}

// splitJoined returns the errors inside an errors.Join, or err alone.
func splitJoined(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// validatedKey reads the key out of a Thresholds.Validate message, which
// starts with it: "low_utilization = 60: …" or "weights: …".
func validatedKey(msg string) string {
	if i := strings.IndexAny(msg, " :="); i > 0 {
		return msg[:i]
	}
	return msg
}

func checkServerURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http:// or https:// URL", s)
	}
	return nil
}

// expandDataDir expands a leading ~/ and insists on an absolute path: a
// relative one would depend on the directory csm happens to start in.
func expandDataDir(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	if s == "~" || strings.HasPrefix(s, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cannot expand ~: %w", err)
		}
		s = filepath.Join(home, strings.TrimPrefix(s, "~"))
	}
	if !filepath.IsAbs(s) {
		return "", fmt.Errorf("%q must be an absolute path or start with ~/", s)
	}
	return s, nil
}

// keyLines maps each dotted key and table of a TOML file to the line that
// sets it, so that errors the decoder gives without a position (unknown
// keys, bad values) can still point at a line. It reads plain `key = value`
// lines and `[table]` headers, which is how config files are written; keys
// it cannot place get line 0.
func keyLines(raw []byte) map[string]int {
	lines := map[string]int{}
	table := ""
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#':
		case strings.HasPrefix(line, "[") && !strings.HasPrefix(line, "[["):
			end := strings.IndexByte(line, ']')
			if end < 0 {
				continue
			}
			table = normalKey(line[1:end])
			if _, seen := lines[table]; !seen {
				lines[table] = n
			}
		default:
			eq := strings.IndexByte(line, '=')
			if eq <= 0 {
				continue
			}
			key := normalKey(line[:eq])
			if table != "" {
				key = table + "." + key
			}
			if _, seen := lines[key]; !seen {
				lines[key] = n
			}
		}
	}
	return lines
}

// normalKey writes a dotted TOML key as MetaData's Key.String does:
// parts joined by dots, quotes and spaces around the parts removed.
func normalKey(s string) string {
	parts := strings.Split(s, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return strings.Join(parts, ".")
}
