package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestCRMURL: crm_url is read, checked (http or https, {id} required, not
// in the host), and a bad one is an error naming its line, with the
// defaults.
func TestCRMURL(t *testing.T) {
	tests := []struct {
		name, value string
		bad         string // in the error; "" when valid
	}{
		{"path", "https://crm.example.com/accounts/{id}", ""},
		{"query", "http://crm.local/search?account={id}", ""},
		{"no id", "https://crm.example.com/accounts", "has no {id}"},
		{"not http", "ftp://crm.example.com/{id}", "not an http"},
		{"javascript", "javascript:alert('{id}')", "not an http"},
		{"id as host", "https://{id}/", "not the host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := "server_url = \"https://cs.example.com\"\ncrm_url = \"" + tt.value + "\"\n"
			f, err := Parse("config.toml", []byte(raw))
			if tt.bad == "" {
				if err != nil || f.CRMURL != tt.value {
					t.Errorf("crm_url %q: %q, %v", tt.value, f.CRMURL, err)
				}
				return
			}
			var ce *Error
			if !errors.As(err, &ce) || ce.Line != 2 || ce.Key != "crm_url" || !strings.Contains(err.Error(), tt.bad) {
				t.Errorf("crm_url %q: error %v, want line 2, key crm_url, saying %q", tt.value, err, tt.bad)
			}
			if !reflect.DeepEqual(f, Defaults()) {
				t.Errorf("a bad crm_url kept %+v, want the defaults", f)
			}
		})
	}
}

// TestDefaultFileDocumentsTopLevelKeys: every key of File is explained and
// shown (commented out) in default.toml, crm_url among them.
func TestDefaultFileDocumentsTopLevelKeys(t *testing.T) {
	text := string(DefaultFile())
	keys := tomlTags(reflect.TypeFor[File]())
	if len(keys) < 3 {
		t.Fatalf("File's keys %v: crm_url missing?", keys)
	}
	for _, k := range keys {
		if !strings.Contains(text, "\n# "+k+" = ") || !strings.Contains(text, "# "+k+":") {
			t.Errorf("default.toml does not document %s", k)
		}
	}
}
