// Package servercmd is the team server's command line: csm serve, which
// runs the sync server, and csm admin, which manages its database. It is
// wiring for the admin running the server, as the root package is for the
// CSM; the server itself is in csm/sync.
package servercmd

// UsageError marks a bad invocation: csm prints usage and exits 2.
type UsageError struct{ error }
