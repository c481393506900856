package browser

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckTemplate(t *testing.T) {
	tests := []struct {
		tmpl string
		bad  string // in the error; "" for valid
	}{
		{"", ""},
		{"https://crm.example.com/accounts/{id}", ""},
		{"http://crm.local:8080/a/{id}/view", ""},
		{"https://crm.example.com/search?account={id}&tab=1", ""},
		{"https://crm.example.com/accounts/", "has no {id}"},
		{"ftp://crm.example.com/{id}", "not an http"},
		{"javascript:alert(1)//{id}", "not an http"},
		{"file:///etc/{id}", "not an http"},
		{"crm.example.com/{id}", "not an http"},
		{"https://{id}.example.com/", "not the host"},
		{"https://crm.example.com/{id}/{name}", "only placeholder"},
	}
	for _, tt := range tests {
		t.Run(tt.tmpl, func(t *testing.T) {
			err := CheckTemplate(tt.tmpl)
			switch {
			case tt.bad == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.bad != "" && (err == nil || !strings.Contains(err.Error(), tt.bad)):
				t.Errorf("error %v, want one saying %q", err, tt.bad)
			}
		})
	}
}

func TestAccountURL(t *testing.T) {
	tests := []struct {
		name, tmpl, id, want string
	}{
		{"plain", "https://crm.example.com/accounts/{id}", "acc_0042", "https://crm.example.com/accounts/acc_0042"},
		{"slash cannot add a path", "https://crm.example.com/accounts/{id}", "../admin/x", "https://crm.example.com/accounts/..%2Fadmin%2Fx"},
		{"query and fragment escaped", "https://crm.example.com/a/{id}/view", "x?y=1#z", "https://crm.example.com/a/x%3Fy=1%23z/view"},
		{"shell characters are just bytes", "https://crm.example.com/a/{id}", "$(rm -rf ~);`id`", "https://crm.example.com/a/$%28rm%20-rf%20~%29%3B%60id%60"},
		{"in the query, & cannot add a parameter", "https://crm.example.com/s?acct={id}&tab=1", "a&admin=1", "https://crm.example.com/s?acct=a%26admin%3D1&tab=1"},
		{"twice", "https://crm.example.com/{id}?again={id}", "a b", "https://crm.example.com/a%20b?again=a+b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AccountURL(tt.tmpl, tt.id)
			if err != nil || got != tt.want {
				t.Errorf("AccountURL(%q, %q) = %q, %v; want %q", tt.tmpl, tt.id, got, err, tt.want)
			}
		})
	}
	if _, err := AccountURL("", "a"); err != ErrNoCRM {
		t.Errorf("no template: %v, want ErrNoCRM", err)
	}
	if _, err := AccountURL("https://x.example/{id}", ""); err == nil {
		t.Error("an empty id made a link")
	}
	if _, err := AccountURL("ftp://x.example/{id}", "a"); err == nil {
		t.Error("a bad template made a link")
	}
}

func TestSystemOpeners(t *testing.T) {
	for goos, want := range map[string]string{"linux": "xdg-open", "freebsd": "xdg-open", "darwin": "open", "windows": "rundll32 url.dll,FileProtocolHandler"} {
		o := systemFor(goos)
		if got := strings.Join(append([]string{o.Name}, o.Args...), " "); got != want {
			t.Errorf("%s: %q, want %q", goos, got, want)
		}
	}
}

// TestHelperOpener is not a test: run as the fake opener (this test binary
// with BROWSER_TEST_OUT set), it writes the arguments it was given, one per
// line, and fails when asked to.
func TestHelperOpener(t *testing.T) {
	out := os.Getenv("BROWSER_TEST_OUT")
	if out == "" {
		t.Skip("the fake opener of TestOpen")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.WriteFile(out, []byte(strings.Join(args, "\n")), 0o600)
	if os.Getenv("BROWSER_TEST_FAIL") != "" {
		os.Stderr.WriteString("no browser here\n")
		os.Exit(3)
	}
	os.Exit(0)
}

// fakeOpener is this test binary run as TestHelperOpener.
func fakeOpener(t *testing.T, fail bool) (Opener, string) {
	out := filepath.Join(t.TempDir(), "args")
	t.Setenv("BROWSER_TEST_OUT", out)
	if fail {
		t.Setenv("BROWSER_TEST_FAIL", "1")
	}
	return Opener{Name: os.Args[0], Args: []string{"-test.run=^TestHelperOpener$", "--"}}, out
}

// TestOpen: the URL reaches the opener as one argument, byte for byte,
// whatever it holds; no shell reads it.
func TestOpen(t *testing.T) {
	o, out := fakeOpener(t, false)
	u, err := AccountURL("https://crm.example.com/a/{id}", "x'; touch /tmp/pwned; echo '")
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Open(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != u {
		t.Errorf("the opener got %q, want the one argument %q", got, u)
	}
}

func TestOpenRefusesWhatIsNoWebURL(t *testing.T) {
	o, out := fakeOpener(t, false)
	for _, u := range []string{"file:///etc/passwd", "javascript:alert(1)", "-x", "", "https://"} {
		if err := o.Open(context.Background(), u); err == nil {
			t.Errorf("opened %q", u)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("the opener ran for a URL refused")
	}
}

func TestOpenSaysWhyTheOpenerFailed(t *testing.T) {
	o, _ := fakeOpener(t, true)
	err := o.Open(context.Background(), "https://crm.example.com/a/1")
	if err == nil || !strings.Contains(err.Error(), "no browser here") {
		t.Errorf("error %v, want the opener's words", err)
	}
	missing := Opener{Name: filepath.Join(t.TempDir(), "no-such-opener")}
	if err := missing.Open(context.Background(), "https://crm.example.com/a/1"); err == nil {
		t.Error("a missing opener is no error")
	}
}
