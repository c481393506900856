package crash

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"sync"

	tea "charm.land/bubbletea/v2"
)

// RunTea runs a Bubble Tea program on m until it quits or ctx ends; a
// panic in it comes back as a *Crash.
//
// Bubble Tea already recovers a panic in Init, Update, View and in the
// goroutines that run commands: it restores the terminal and Run returns
// ErrProgramPanic. It keeps neither the value nor the stack, so m and every
// command it returns are wrapped to record the first panic before passing
// it on to Bubble Tea unchanged.
func RunTea(ctx context.Context, m tea.Model, opts ...tea.ProgramOption) error {
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
		return &Crash{Value: "a panic in the terminal UI", Stack: []byte("(see the stack Bubble Tea printed above)\n")}
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
	first *Crash
}

// catch is deferred where a panic may start. It records the panic with the
// stack of the goroutine that raised it, still intact here, and panics
// again so Bubble Tea restores the terminal as it always does.
func (p *panicTrap) catch() {
	if r := recover(); r != nil {
		p.mu.Lock()
		if p.first == nil {
			p.first = &Crash{Value: r, Stack: debug.Stack()}
		}
		p.mu.Unlock()
		panic(r)
	}
}

func (p *panicTrap) caught() *Crash {
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
