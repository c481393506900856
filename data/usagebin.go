package data

import (
	"encoding/binary"
	"errors"
	"slices"

	"csm/model"
)

// Usage months are stored twice: as the JSON the feed sent (data), and as
// packed varints (bin) that the recompute reads. A year of usage for 5,000
// accounts is 65,000 months; decoding their JSON was most of a recompute,
// decoding varints is a small part of it.

// packUsage encodes the columns of a usage month.
func packUsage(u model.UsageMonth) []byte {
	b := make([]byte, 0, 16+u.Days*6)
	b = binary.AppendUvarint(b, uint64(u.Days))
	for _, col := range [][]int{u.DAU, u.WAU, u.MAU, u.Sessions, u.Minutes} {
		b = appendCol(b, col)
	}
	keys := make([]string, 0, len(u.Features))
	for k := range u.Features {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		b = appendCol(b, u.Features[k])
	}
	return b
}

func appendCol(b []byte, col []int) []byte {
	b = binary.AppendUvarint(b, uint64(len(col)))
	for _, v := range col {
		b = binary.AppendUvarint(b, uint64(max(v, 0)))
	}
	return b
}

var errBadPack = errors.New("damaged packed usage")

// unpackUsage decodes what packUsage wrote into u's columns.
func unpackUsage(b []byte, u *model.UsageMonth) error {
	r := unpacker{b: b}
	u.Days = int(r.uint())
	cols := []*[]int{&u.DAU, &u.WAU, &u.MAU, &u.Sessions, &u.Minutes}
	for _, c := range cols {
		*c = r.col()
	}
	n := int(r.uint())
	if n > 0 {
		u.Features = make(map[string][]int, n)
	}
	for i := 0; i < n && r.err == nil; i++ {
		k := r.str()
		u.Features[k] = r.col()
	}
	return r.err
}

type unpacker struct {
	b   []byte
	err error
}

func (r *unpacker) uint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = errBadPack
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *unpacker) col() []int {
	n := r.uint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errBadPack
		return nil
	}
	out := make([]int, n)
	for i := range out {
		out[i] = int(r.uint())
	}
	return out
}

func (r *unpacker) str() string {
	n := r.uint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errBadPack
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}
