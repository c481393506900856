package crash

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// panicky is a model that panics at one place.
type panicky struct{ where string }

type kick struct{}

func boom(where string) tea.Cmd { return func() tea.Msg { panic("boom in " + where) } }
func calm() tea.Msg             { return nil }

func (m panicky) Init() tea.Cmd {
	switch m.where {
	case "init":
		panic("boom in init")
	case "a command":
		return boom("a command")
	case "a batch":
		return tea.Batch(calm, boom("a batch"))
	case "a nested batch":
		return tea.Batch(calm, tea.Batch(calm, boom("a nested batch")))
	case "a sequence":
		return tea.Sequence(calm, boom("a sequence"))
	}
	return func() tea.Msg { return kick{} }
}

func (m panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(kick); ok {
		switch m.where {
		case "update":
			panic("boom in update")
		case "a command from update":
			return m, boom("a command from update")
		}
	}
	return m, nil
}

func (m panicky) View() tea.View {
	if m.where == "view" {
		panic("boom in view")
	}
	return tea.NewView("fine")
}

// headless runs programs without a terminal.
var headless = []tea.ProgramOption{tea.WithInput(nil), tea.WithOutput(io.Discard)}

// Bubble Tea catches each of these panics, restores the terminal and prints
// the panic on os.Stderr (left alone here: its goroutines may still be
// printing when Run returns); RunTea must come back with the value and the
// stack of the goroutine that panicked.
func TestRunTeaRecordsEveryPanic(t *testing.T) {
	for _, where := range []string{"init", "update", "view", "a command", "a command from update", "a batch", "a nested batch", "a sequence"} {
		t.Run(where, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			err := RunTea(ctx, panicky{where}, headless...)
			var c *Crash
			if !errors.As(err, &c) {
				t.Fatalf("RunTea = %v, want a *Crash", err)
			}
			if c.Value != "boom in "+where {
				t.Errorf("panic value %v", c.Value)
			}
			// The stack is the panicking goroutine's, down to the model.
			if !strings.Contains(string(c.Stack), "panicky.") || !strings.Contains(string(c.Stack), "crash_test.go:") {
				t.Errorf("stack does not reach the panic:\n%s", c.Stack)
			}
		})
	}
}

// A cancelled context (what SIGTERM and SIGHUP do through
// signal.NotifyContext) stops the program without an error.
func TestRunTeaStopsCleanlyWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	if err := RunTea(ctx, panicky{"nowhere"}, headless...); err != nil {
		t.Fatalf("RunTea after cancel = %v, want nil", err)
	}
}

// Recovered keeps the value and the stack down to the panic.
func TestRecovered(t *testing.T) {
	var c *Crash
	func() {
		defer func() { c = Recovered(recover()) }()
		panic("boom in a command")
	}()
	if c.Value != "boom in a command" || !strings.Contains(string(c.Stack), "crash_test.go:") {
		t.Errorf("Recovered = %v with stack:\n%s", c.Value, c.Stack)
	}
	if c.Error() != "csm crashed: boom in a command" {
		t.Errorf("Error() = %q", c.Error())
	}
}
