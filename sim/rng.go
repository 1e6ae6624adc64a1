package sim

import (
	"math"
	"math/rand/v2"
)

// Every random number comes from PCG streams seeded from (seed, replicate,
// shard, purpose): never from worker identity or scheduling, so output does
// not depend on the number of workers.

// splitmix64 is a bijective mixer used to derive stream seeds.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// stream identifies what a PCG stream is used for.
type stream uint64

const (
	streamDecide    stream = iota + 1 // candidate selection and acceptance in the decision step
	streamEvents                      // everything else a shard draws
	streamInit                        // building the world
	streamReturnees                   // decisions of households with a recent returnee
)

// newStream returns the PCG for (seed, replicate, shard, purpose).
func newStream(seed uint64, replicate, shard int, purpose stream) rand.PCG {
	a := splitmix64(seed ^ splitmix64(uint64(replicate)+0x51ed27))
	b := splitmix64(uint64(shard)<<8 | uint64(purpose))
	return *rand.NewPCG(a, splitmix64(a^b))
}

// uniform returns a float64 in (0, 1]: never 0, so its log is finite.
func uniform(r *rand.PCG) float64 {
	return float64(r.Uint64()>>11+1) * 0x1p-53
}

// twoUniforms returns two float32 uniforms in [0, 1) with 24 bits each, from
// one 64-bit draw: the precision of the hazard tables.
func twoUniforms(r *rand.PCG) (float32, float32) {
	x := r.Uint64()
	return float32(x>>40) * 0x1p-24, float32(x>>16&0xffffff) * 0x1p-24
}

// bounds is the ladder of candidate probabilities used for thinning, in
// steps of √2: a finer ladder wastes fewer candidates, a coarser one keeps
// the bound the same across more scenarios. A hazard
// is sampled by proposing candidates at the smallest bound above the largest
// hazard, then accepting each with probability hazard/bound. Keeping the bound
// on a fixed ladder means two scenarios with similar hazards draw the same
// candidates from the same stream, which keeps common random numbers aligned.
var bounds = func() [13]float64 {
	var b [13]float64
	for k := range b {
		// 1/64, 1/(32√2), 1/32, … 1/√2, 1, exact powers of two scaled
		// by the correctly rounded √2, the same on every machine.
		if (k-12)%2 == 0 {
			b[k] = math.Ldexp(1, (k-12)/2)
		} else {
			b[k] = math.Ldexp(math.Sqrt2, (k-13)/2)
		}
	}
	return b
}()

// boundFor returns the smallest ladder bound ≥ h.
func boundFor(h float64) float64 {
	for _, b := range bounds {
		if h <= b {
			return b
		}
	}
	return 1
}

// skipper draws geometric gaps between candidates for a candidate
// probability b: the number of items before the next candidate is k with
// probability b(1-b)^k. It inverts the distribution with a guide table
// (Chen & Asau 1974): a uniform u in (0, 1] gives the k with
// S(k+1) < u ≤ S(k), S(k) = (1-b)^k, which is floor(log(u)/log(1-b))
// without computing a logarithm for every candidate.
type skipper struct {
	b   float64
	tab *geoTable // nil when b = 1: every item is a candidate
}

// geoTable holds S(k) for k = 0..n and, for each of guideSize slices of
// (0, 1], the smallest gap a uniform in that slice can give.
type geoTable struct {
	invLog float64 // 1/log(1-b), for the far tail
	surv   []float64
	guide  []int32
}

const guideSize = 1024

var geoTables = func() map[float64]*geoTable {
	m := map[float64]*geoTable{}
	for _, b := range bounds {
		if b >= 1 {
			continue
		}
		t := &geoTable{invLog: 1 / log(1-b)}
		for k, s := 0, 1.0; s > 1e-13; k++ {
			t.surv = append(t.surv, s)
			s = powInt(1-b, k+1)
		}
		t.guide = make([]int32, guideSize)
		for j := range t.guide {
			t.guide[j] = int32(log(float64(j+1)/guideSize) * t.invLog)
		}
		m[b] = t
	}
	return m
}()

func newSkipper(b float64) skipper {
	if b >= 1 {
		return skipper{b: 1}
	}
	return skipper{b: b, tab: geoTables[b]}
}

// gap returns how many items to pass over before the next candidate.
func (s skipper) gap(r *rand.PCG) int {
	if s.tab == nil {
		return 0
	}
	u := uniform(r)
	t := s.tab
	k := int(t.guide[min(int(u*guideSize), guideSize-1)])
	for k+1 < len(t.surv) && u <= t.surv[k+1] {
		k++
	}
	if k+1 >= len(t.surv) { // the far tail, probability below 1e-13
		return int(log(u) * t.invLog)
	}
	return k
}
