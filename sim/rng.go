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

// bounds is the ladder of candidate probabilities used for thinning. A hazard
// is sampled by proposing candidates at the smallest bound above the largest
// hazard, then accepting each with probability hazard/bound. Keeping the bound
// on a fixed ladder means two scenarios with similar hazards draw the same
// candidates from the same stream, which keeps common random numbers aligned.
var bounds = [...]float64{1.0 / 64, 1.0 / 32, 1.0 / 16, 1.0 / 8, 1.0 / 4, 1.0 / 2, 1}

// boundFor returns the smallest ladder bound ≥ h.
func boundFor(h float64) float64 {
	for _, b := range bounds {
		if h <= b {
			return b
		}
	}
	return 1
}

// skipper draws geometric gaps between candidates for a candidate probability b.
type skipper struct {
	b      float64
	invLog float64 // 1/log(1-b); 0 when b = 1 (every item is a candidate)
}

func newSkipper(b float64) skipper {
	if b >= 1 {
		return skipper{b: 1}
	}
	return skipper{b: b, invLog: 1 / math.Log1p(-b)}
}

// gap returns how many items to pass over before the next candidate.
func (s skipper) gap(r *rand.PCG) int {
	if s.invLog == 0 {
		return 0
	}
	return int(math.Log(uniform(r)) * s.invLog)
}
