package credentials

import "time"

// withKeyring runs one keyring call with the timeout. A call that times out
// is left to finish (or hang) in its goroutine; csm exits soon anyway.
func withKeyring[T any](timeout time.Duration, call func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := call()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-time.After(timeout):
		var zero T
		return zero, ErrKeyringTimeout
	}
}

// keyring is the store's keyring and timeout. They are read before a
// call's goroutine starts: a call that timed out may still be running when
// the next one is made with another store.
func (s Store) keyring() (Keyring, time.Duration) {
	kr, timeout := s.Keyring, s.Timeout
	if kr == nil {
		kr = OSKeyring{}
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return kr, timeout
}

func (s Store) keyringGet(server string) (string, error) {
	kr, timeout := s.keyring()
	return withKeyring(timeout, func() (string, error) { return kr.Get(KeyringService, server) })
}

func (s Store) keyringSet(server, token string) error {
	kr, timeout := s.keyring()
	_, err := withKeyring(timeout, func() (struct{}, error) { return struct{}{}, kr.Set(KeyringService, server, token) })
	return err
}

func (s Store) keyringDelete(server string) error {
	kr, timeout := s.keyring()
	_, err := withKeyring(timeout, func() (struct{}, error) { return struct{}{}, kr.Delete(KeyringService, server) })
	return err
}
