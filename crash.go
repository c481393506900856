package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"csm/config"
)

// crash is a panic caught on its way out: its value and the stack of the
// goroutine that panicked. run turns it into a crash report and exit 1.
type crash struct {
	value any
	stack []byte
}

func (c *crash) Error() string { return fmt.Sprintf("csm crashed: %v", c.value) }

// programOptions are added to every Bubble Tea program; tests run the
// cockpit without a terminal with them.
var programOptions []tea.ProgramOption

// runTea runs a Bubble Tea program on m until it quits or ctx ends.
//
// Bubble Tea already recovers a panic in Init, Update, View and in the
// goroutines that run commands: it restores the terminal and Run returns
// ErrProgramPanic. It keeps neither the value nor the stack, so m and every
// command it returns are wrapped to record the first panic before passing
// it on to Bubble Tea unchanged.
func runTea(ctx context.Context, m tea.Model, opts ...tea.ProgramOption) error {
	trap := &panicTrap{}
	opts = append([]tea.ProgramOption{tea.WithContext(ctx)}, opts...)
	_, err := tea.NewProgram(trappedModel{m, trap}, opts...).Run()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, tea.ErrProgramPanic):
		if c := trap.caught(); c != nil {
			return c
		}
		// A panic the wrappers did not see (Bubble Tea printed its stack).
		return &crash{value: "a panic in the terminal UI", stack: []byte("(see the stack Bubble Tea printed above)\n")}
	case errors.Is(err, tea.ErrProgramKilled), errors.Is(err, tea.ErrInterrupted):
		// SIGTERM, SIGHUP or SIGINT cancelled ctx (or reached Bubble Tea's
		// own handler): the user or the system asked csm to stop, and it
		// did, cleanly. The caller's deferred Close still runs.
		return nil
	}
	return fmt.Errorf("run the cockpit: %w", err)
}

// panicTrap records the first panic of a program.
type panicTrap struct {
	mu    sync.Mutex
	first *crash
}

// catch is deferred where a panic may start. It records the panic with the
// stack of the goroutine that raised it, still intact here, and panics
// again so Bubble Tea restores the terminal as it always does.
func (p *panicTrap) catch() {
	if r := recover(); r != nil {
		p.mu.Lock()
		if p.first == nil {
			p.first = &crash{value: r, stack: debug.Stack()}
		}
		p.mu.Unlock()
		panic(r)
	}
}

func (p *panicTrap) caught() *crash {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.first
}

var cmdType = reflect.TypeFor[tea.Cmd]()

// cmd wraps a command so that a panic in it is recorded.
func (p *panicTrap) cmd(c tea.Cmd) tea.Cmd {
	if c == nil {
		return nil
	}
	return func() tea.Msg {
		defer p.catch()
		return p.msg(c())
	}
}

// msg wraps the commands of a batch or a sequence (tea.BatchMsg and Bubble
// Tea's unexported sequence type, both lists of commands), which Bubble Tea
// runs in goroutines of its own.
func (p *panicTrap) msg(m tea.Msg) tea.Msg {
	v := reflect.ValueOf(m)
	if !v.IsValid() || v.Kind() != reflect.Slice || v.Type().Elem() != cmdType {
		return m
	}
	out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
	for i := range v.Len() {
		c, _ := v.Index(i).Interface().(tea.Cmd)
		out.Index(i).Set(reflect.ValueOf(p.cmd(c)))
	}
	return out.Interface()
}

// trappedModel is the program's model with its panics recorded.
type trappedModel struct {
	m    tea.Model
	trap *panicTrap
}

func (t trappedModel) Init() tea.Cmd {
	defer t.trap.catch()
	return t.trap.cmd(t.m.Init())
}

func (t trappedModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	defer t.trap.catch()
	next, cmd := t.m.Update(msg)
	return trappedModel{next, t.trap}, t.trap.cmd(cmd)
}

func (t trappedModel) View() tea.View {
	defer t.trap.catch()
	return t.m.View()
}

// reportCrash writes the crash report and tells the user where it is. It
// returns the exit code, 1.
func reportCrash(stderr io.Writer, dataDir, command string, c *crash) int {
	now := time.Now()
	report := crashReport(now, command, c)
	path, err := writeCrashReport(dataDir, now, report)
	if err != nil {
		// Nowhere to write: the report goes to stderr instead.
		fmt.Fprintf(stderr, "csm: csm crashed and could not save a crash report (%v); here it is:\n%s", err, report)
		return 1
	}
	fmt.Fprintf(stderr, "csm: csm crashed (%s). Every change saved before the crash is kept. "+
		"A crash report is at %s; please send it to whoever supports csm for you.\n", oneLine(scrubToken(fmt.Sprint(c.value))), path)
	return 1
}

// crashReport is the report's text: when, which csm, what panicked and
// where. Never the environment, the arguments or the token: the panic
// value and stack are scrubbed of the token in case one was in a message.
func crashReport(now time.Time, command string, c *crash) string {
	var b strings.Builder
	fmt.Fprintf(&b, "csm crash report\n\ntime:    %s\nversion: %s\ngo:      %s %s/%s\ncommand: %s\n\npanic: %v\n\n%s",
		now.Format(time.RFC3339), buildVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH, command, c.value, c.stack)
	return scrubToken(b.String())
}

// scrubToken removes the token of CSM_TOKEN from s.
func scrubToken(s string) string {
	if tok := os.Getenv("CSM_TOKEN"); len(tok) >= 4 {
		s = strings.ReplaceAll(s, tok, "[token removed]")
	}
	return s
}

// writeCrashReport saves a report as crash-<time>.txt in the data directory,
// or in the temporary directory when that cannot be written.
func writeCrashReport(dataDir string, now time.Time, report string) (string, error) {
	name := "crash-" + now.Format("20060102-150405")
	var errs []error
	for _, dir := range []string{dataDir, os.TempDir()} {
		if dir == "" {
			continue
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			errs = append(errs, err)
			continue
		}
		for i := 1; i < 100; i++ {
			path := filepath.Join(dir, name+".txt")
			if i > 1 {
				path = filepath.Join(dir, name+"-"+strconv.Itoa(i)+".txt")
			}
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if errors.Is(err, os.ErrExist) {
				continue
			}
			if err != nil {
				errs = append(errs, err)
				break
			}
			_, werr := f.WriteString(report)
			if cerr := f.Close(); werr == nil {
				werr = cerr
			}
			if werr != nil {
				errs = append(errs, werr)
				break
			}
			return path, nil
		}
	}
	return "", errors.Join(errs...)
}

// buildVersion names the build: the module version and VCS revision Go
// stamped into the binary, when it did.
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v += " " + s.Value
		case "vcs.modified":
			if s.Value == "true" {
				v += " (modified)"
			}
		}
	}
	return v
}

// crashDataDir is where a crash report of this invocation goes: the data
// directory as the flag, the environment or the config file name it,
// resolved without touching the keyring or the network.
func crashDataDir(root *cobra.Command) string {
	var fromFlag, fromConfig string
	if f := root.PersistentFlags().Lookup("data-dir"); f != nil {
		fromFlag = f.Value.String()
	}
	if p, err := config.Path(); err == nil {
		if cf, err := config.Load(p); err == nil {
			fromConfig = cf.DataDir
		}
	}
	return firstNonEmpty(fromFlag, os.Getenv("CSM_DATA_DIR"), fromConfig, defaultDataDir())
}

// commandName is the command an invocation ran ("csm sync"), without its
// arguments, which may hold private text.
func commandName(root *cobra.Command, args []string) string {
	if c, _, err := root.Find(args); err == nil {
		return c.CommandPath()
	}
	return root.Name()
}

// oneLine keeps a panic value printable on the terminal: one line, no
// control characters, short.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}
