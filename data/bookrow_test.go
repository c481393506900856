package data

import "testing"

func TestPackIntsRoundTrip(t *testing.T) {
	for _, v := range [][]int{nil, {0}, {1, 127, 128, 300, 16384, 2000000}} {
		got := unpackInts(packInts(v))
		if len(got) != len(v) {
			t.Fatalf("round trip of %v gave %v", v, got)
		}
		for i := range v {
			if got[i] != v[i] {
				t.Fatalf("round trip of %v gave %v", v, got)
			}
		}
	}
}
