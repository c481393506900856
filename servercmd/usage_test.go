package servercmd

import (
	"errors"
	"strings"
	"testing"

	csmsync "csm/sync"
)

// The bad invocations of serve and admin are UsageErrors, which csm
// turns into exit 2; the CLI tests in the root package drive them end to
// end.
func TestUsageErrorsAreTyped(t *testing.T) {
	demo := csmsync.DemoBooks{Accounts: 1, Days: 1, Token: "t"}
	serve := func(c csmsync.ServeConfig) error {
		return validateServe(c, NewServeCmd().Flags())
	}
	t.Setenv(DBEnv, "")
	for name, c := range map[string]struct {
		err  error
		want string
	}{
		"cert alone":   {serve(csmsync.ServeConfig{TLSCert: "c.pem", Demo: demo}), "--tls-cert and --tls-key go together"},
		"db scheme":    {serve(csmsync.ServeConfig{DB: "ftp://h/db", Demo: demo}), `unknown scheme "ftp"`},
		"empty token":  {ValidateDemo(csmsync.DemoBooks{Accounts: 1, Days: 1}), "--token must not be empty"},
		"accounts":     {ValidateDemo(csmsync.DemoBooks{Days: 1, Token: "t"}), "--accounts must be between 1 and 100000, got 0"},
		"no database":  {func() error { _, err := (&adminDB{}).admin(); return err }(), "no database: give --db URL or set CSM_SERVE_DB"},
		"not an email": {checkEmail("not-an-email"), `"not-an-email" is not an email address`},
	} {
		var ue UsageError
		if !errors.As(c.err, &ue) || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: %v (%T), want a UsageError saying %q", name, c.err, c.err, c.want)
		}
	}
	if err := serve(csmsync.ServeConfig{Demo: demo}); err != nil {
		t.Errorf("a good serve invocation: %v", err)
	}
}
