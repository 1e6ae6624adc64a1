package results

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
)

// tickLabel formats a tick value v of an axis whose labelled ticks are step
// apart: thousands as "825k", millions as "1.2M", with as few decimals as
// tell the ticks apart and a true minus sign. Every panel of every figure
// labels its numbers this way.
func tickLabel(v, step float64) string {
	step = math.Abs(step)
	if step == 0 || math.IsNaN(step) || math.IsInf(step, 0) {
		step = math.Abs(v)
	}
	if v == 0 || math.Abs(v) < step*1e-6 {
		return "0"
	}
	unit, suffix := 1.0, ""
	switch a := math.Abs(v); {
	case a >= 1e6:
		unit, suffix = 1e6, "M"
	case a >= 1e3:
		unit, suffix = 1e3, "k"
	}
	x := step / unit
	d := 0
	for ; d < 6; d++ {
		if s := x * math.Pow10(d); math.Abs(s-math.Round(s)) < 1e-6*math.Max(1, s) {
			break
		}
	}
	s := strconv.FormatFloat(math.Abs(v)/unit, 'f', d, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if v < 0 {
		s = "\u2212" + s
	}
	return s + suffix
}

// numberTicks places labelled ticks at the multiples of a round step (1, 2,
// 2.5 or 5 times a power of ten) that give about five labels inside the
// range, so that 0 is labelled whenever the range holds it, with an
// unlabelled tick halfway between, and labels them with tickLabel.
type numberTicks struct{}

// wantLabels is about how many labelled ticks numberTicks places.
const wantLabels = 5

// niceStep is the smallest round step at least span/want.
func niceStep(span float64, want int) float64 {
	raw := span / float64(want)
	mag := math.Pow10(int(math.Floor(math.Log10(raw))))
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw*(1-1e-9) {
			return m * mag
		}
	}
	return 10 * mag
}

// Ticks returns the ticks between min and max.
func (numberTicks) Ticks(min, max float64) []plot.Tick {
	if !(max > min) || math.IsInf(max-min, 0) {
		return []plot.Tick{{Value: min, Label: tickLabel(min, 0)}}
	}
	step := niceStep(max-min, wantLabels)
	half := step / 2
	var ts []plot.Tick
	for k := math.Ceil(min/half - 1e-9); k*half <= max+half*1e-9; k++ {
		v := k * half
		t := plot.Tick{Value: v}
		if math.Mod(k, 2) == 0 {
			t.Label = tickLabel(v, step)
		}
		ts = append(ts, t)
	}
	return ts
}

// yearTicks marks calendar years on an axis of decimal years (January of
// year y at y, month m at y+(m-1)/12): a labelled tick such as "2014" at
// each year inside the range (every 2nd, 5th or 10th when there are many, the
// others unlabelled), or, when fewer than two years start inside it, each
// month, labelled at the quarters as "2014-04".
type yearTicks struct{}

// maxYearLabels is the most year labels an axis gets.
const maxYearLabels = 8

// Ticks returns the ticks between min and max.
func (yearTicks) Ticks(min, max float64) []plot.Tick {
	const eps = 1e-9
	first, last := int(math.Ceil(min-eps)), int(math.Floor(max+eps))
	var ts []plot.Tick
	if last-first+1 >= 2 {
		every := 1
		for _, e := range []int{1, 2, 5, 10, 20, 50} {
			every = e
			if (last-first)/e+1 <= maxYearLabels {
				break
			}
		}
		for y := first; y <= last; y++ {
			t := plot.Tick{Value: float64(y)}
			if y%every == 0 {
				t.Label = strconv.Itoa(y)
			}
			ts = append(ts, t)
		}
		return ts
	}
	for k := int(math.Ceil(min*12 - eps)); float64(k) <= max*12+eps; k++ {
		y, m := k/12, k%12
		if k < 0 && m != 0 {
			y, m = y-1, m+12
		}
		t := plot.Tick{Value: float64(k) / 12}
		switch {
		case m == 0:
			t.Label = strconv.Itoa(y)
		case m%3 == 0:
			t.Label = fmt.Sprintf("%d-%02d", y, m+1)
		}
		ts = append(ts, t)
	}
	return ts
}
