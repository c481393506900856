package model

import "testing"

func BenchmarkGenTmp(b *testing.B) {
	for _, o := range []GenOptions{{Seed: 1}, {Seed: 1, Accounts: 5000, CSMs: 1}} {
		b.Run("x", func(b *testing.B) {
			for b.Loop() {
				Generate(o)
			}
		})
	}
}
