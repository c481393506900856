package ui

import "strings"

var sparkBlocks = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws values as width block characters, scaled to the largest
// value. When there are more values than cells, each cell shows the mean of
// its bucket, so a weekend dip does not vanish or dominate by chance.
func Sparkline(values []int, width int) string {
	if width <= 0 || len(values) == 0 {
		return strings.Repeat(" ", max(width, 0))
	}
	cells := bucketMeans(values, width)
	top := 0.0
	for _, v := range cells {
		top = max(top, v)
	}
	var b strings.Builder
	for _, v := range cells {
		if top == 0 {
			b.WriteRune(sparkBlocks[0])
			continue
		}
		b.WriteRune(sparkBlocks[int(v/top*float64(len(sparkBlocks)-1)+0.5)])
	}
	if pad := width - len(cells); pad > 0 {
		return strings.Repeat(" ", pad) + b.String()
	}
	return b.String()
}

func bucketMeans(values []int, width int) []float64 {
	if len(values) <= width {
		out := make([]float64, len(values))
		for i, v := range values {
			out[i] = float64(v)
		}
		return out
	}
	out := make([]float64, width)
	for c := 0; c < width; c++ {
		lo := c * len(values) / width
		hi := (c + 1) * len(values) / width
		sum := 0
		for _, v := range values[lo:hi] {
			sum += v
		}
		out[c] = float64(sum) / float64(hi-lo)
	}
	return out
}
