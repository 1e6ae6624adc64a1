package sweep

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"migrasim/design"
	"migrasim/scenarios"
	"slices"
	"strconv"
)

// sampleRange is one sampled key: its range and whether it takes whole numbers.
type sampleRange struct {
	key    string
	lo, hi float64
	whole  bool
}

// Methods of [sweep.sample].
const (
	SampleLHS      = "lhs"
	SampleSobol    = "sobol"
	SampleSaltelli = "saltelli"
)

// sample reads [sweep.sample]: a Latin hypercube or Sobol design of n
// points over the keys of [sweep.sample.ranges], or a Saltelli design of
// n base points, n·(d+2) in all for d keys, in the row order of
// design.Saltelli.Rows (A, B, then AB_0…AB_{d−1}), which the sensitivity
// analysis relies on. It returns the method and n with the factor.
func (r *specReader) sample(v any) (f *factor, method string, n int) {
	m, ok := v.(map[string]any)
	if !ok {
		r.bad("sweep.sample", "want a table with method, n, design_seed and [sweep.sample.ranges], got %s", scenarios.Describe(v))
		return nil, "", 0
	}
	method, n, seed := r.sampleHead(m)
	ranges, ok := r.sampleRanges(m)
	if !ok || method == "" || n == 0 || len(r.problems) > 0 {
		return nil, method, n
	}
	var unit [][]float64
	var err error
	switch method {
	case SampleLHS:
		unit = design.LatinHypercube(n, len(ranges), seed)
	case SampleSobol:
		unit, err = design.Sobol(n, len(ranges), seed)
	case SampleSaltelli:
		var s *design.Saltelli
		if s, err = design.NewSaltelli(n, len(ranges), seed); err == nil {
			unit = s.Rows()
		}
	}
	if err != nil {
		r.bad("sweep.sample.ranges", "%v", err)
		return nil, method, n
	}
	f = &factor{}
	for _, rg := range ranges {
		f.keys = append(f.keys, rg.key)
	}
	for _, u := range unit {
		row := make([]any, len(u))
		for j, x := range u {
			row[j] = ranges[j].at(x)
		}
		f.rows = append(f.rows, row)
	}
	return f, method, n
}

// at maps x in [0, 1) onto the range: uniformly for numbers, and for whole
// numbers lo + floor(x (hi-lo+1)), so that each is equally likely.
func (rg sampleRange) at(x float64) any {
	if rg.whole {
		return int64(math.Min(rg.hi, rg.lo+math.Floor(x*(rg.hi-rg.lo+1))))
	}
	return rg.lo + x*(rg.hi-rg.lo)
}

// sampleHead reads the sample's method, size and design seed (default 1).
func (r *specReader) sampleHead(m map[string]any) (method string, n int, seed uint64) {
	seed = 1
	for _, k := range slices.Sorted(maps.Keys(m)) {
		path := "sweep.sample." + k
		switch k {
		case "method":
			method, _ = m[k].(string)
			if method != SampleLHS && method != SampleSobol && method != SampleSaltelli {
				r.bad(path, `want "lhs" (Latin hypercube), "sobol" or "saltelli" (for total Sobol indices), got %s`, scenarios.Describe(m[k]))
			}
		case "n":
			x, ok := m[k].(int64)
			if !ok || x < 1 || x > maxSampleN {
				r.bad(path, "want a whole number of design points from 1 to %d, got %s", maxSampleN, scenarios.Describe(m[k]))
				continue
			}
			n = int(x)
		case "design_seed":
			x, ok := m[k].(int64)
			if !ok || x < 0 {
				r.bad(path, "want a non-negative whole number (the design's own seed, not the simulation's), got %s", scenarios.Describe(m[k]))
				continue
			}
			seed = uint64(x)
		case "ranges":
		default:
			msg := "unknown key"
			if c := scenarios.ClosestName(k, []string{"method", "n", "design_seed", "ranges"}); c != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", c)
			}
			r.bad(path, "%s", msg)
		}
	}
	for _, k := range []string{"method", "n"} {
		if _, ok := m[k]; !ok {
			r.bad("sweep.sample", "%s is missing", k)
		}
	}
	return method, n, seed
}

// sampleRanges reads [sweep.sample.ranges]: KEY = [low, high] for numeric
// keys, low below high, both within the key's range.
func (r *specReader) sampleRanges(m map[string]any) ([]sampleRange, bool) {
	table, ok := m["ranges"].(map[string]any)
	if !ok {
		r.bad("sweep.sample", "want a [sweep.sample.ranges] table of KEY = [low, high], got %s", describeMissing(m, "ranges"))
		return nil, false
	}
	leaves := r.leaves("sweep", "sample", "ranges")
	if len(leaves) == 0 {
		r.bad("sweep.sample.ranges", "no keys to sample: add KEY = [low, high] lines")
		return nil, false
	}
	var out []sampleRange
	for _, key := range leaves {
		path := "sweep.sample.ranges." + key
		raw, _ := lookup(table, key)
		pair, ok := raw.([]any)
		if !ok || len(pair) != 2 {
			r.bad(path, "want [low, high], got %s", scenarios.Describe(raw))
			continue
		}
		if !r.sweepable(key, path) {
			continue
		}
		k, _ := scenarios.Lookup(key)
		if k.Type != "number" && k.Type != "whole number" {
			r.bad(path, "%s is not a number: only numbers and whole numbers can be sampled; use the grid or cases", key)
			continue
		}
		a, errA := scenarios.Coerce(key, pair[0])
		b, errB := scenarios.Coerce(key, pair[1])
		if errA != nil || errB != nil {
			r.bad(path, "%v", cmp.Or(errA, errB))
			continue
		}
		lo, hi := scenarios.Float(a), scenarios.Float(b)
		if lo >= hi {
			r.bad(path, "low %s is not below high %s", strconv.FormatFloat(lo, 'g', -1, 64), strconv.FormatFloat(hi, 'g', -1, 64))
			continue
		}
		out = append(out, sampleRange{key: key, lo: lo, hi: hi, whole: k.Type == "whole number"})
	}
	return out, len(out) == len(leaves)
}
