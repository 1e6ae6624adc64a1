package calibrate

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"gonum.org/v1/gonum/stat"
)

// ABC-MCMC settings: the runs of the start point at other seeds that
// measure the objective's Monte Carlo noise there, how many of its standard
// deviations above the start point's distance the tolerance lies, and the
// kernel's smallest width per key (where the priors are mapped onto the
// whole line: 0.05 moves a key by about 1% of its prior range near the
// middle of it).
const (
	mcmcNoiseRuns = 8
	mcmcNoiseSDs  = 2
	mcmcMinWidth  = 0.05
)

// mcmc is ABC-MCMC (Marjoram, Molitor, Plagnol & Tavaré 2003) started at
// the spec's values, the best point the searches found (Wegmann, Leuenberger
// & Excoffier 2009 likewise start their chains from a calibration). It
// first runs the start point at the spec's seed and at mcmcNoiseRuns other
// seeds; the tolerance is the start point's distance plus mcmcNoiseSDs
// standard deviations of those runs' distances: a point is kept when the
// data cannot tell its fit from the best point's beyond the simulation's
// own noise. Then chains chains (0: budget/50, at least 10) start at that
// point and move, all at once, by Metropolis–Hastings steps whose target is
// the prior restricted to distances within the tolerance, as SMC's moves
// (a symmetric Gaussian kernel where each prior range is mapped onto the
// whole line; accepted when within the tolerance and with probability the
// prior's ratio), until the budget is spent. The kernel's widths adapt to
// the chains' spread after each step (2.38/√dims times its standard
// deviation, Roberts, Gelman & Gilks 1997), never below mcmcMinWidth. The
// posterior is the chains' last states, every one with the same weight.
// Unlike SMC from the priors, which in the 31 dimensions of the default
// spec stops at three to six times the best point's distance, the chains stay
// where the fit is as good as the best point's; they explore that region
// only as far as their steps take them.
func (f *fitter) mcmc(ctx context.Context, x0 []float64, budget, chains int) (*Result, error) {
	n := chains
	if n == 0 {
		n = max(10, budget/50)
	}
	if 1+mcmcNoiseRuns+n > budget {
		return nil, fmt.Errorf("--budget %d: ABC-MCMC needs at least %d runs for %d chains (the start point, %d noise runs and one step)", budget, 1+mcmcNoiseRuns+n, n, mcmcNoiseRuns)
	}
	first, err := f.evaluate(ctx, [][]float64{x0}, "mcmc start")
	if err != nil {
		return nil, err
	}
	start := first[0]
	noise, err := f.evaluateSeeds(ctx, x0, mcmcNoiseRuns, "mcmc noise")
	if err != nil {
		return nil, err
	}
	ds := make([]float64, len(noise))
	for i, s := range noise {
		ds[i] = s.Distance
	}
	tolerance := start.Distance + mcmcNoiseSDs*stat.StdDev(ds, nil)
	states := make([]particle, n)
	for i := range states {
		states[i] = particle{Sample: start, z: f.toZ(x0)}
	}
	dims := len(f.spec.Priors)
	sigma := make([]float64, dims)
	for j := range sigma {
		sigma[j] = mcmcMinWidth
	}
	rng := rand.New(rand.NewPCG(f.spec.DesignSeed, 0x3c3c))
	runs := append([]Sample{start}, noise...)
	moves := []Sample{start} // the runs at the spec's seed: the noise runs used others
	accepted := 0
	for step := 1; len(runs)+n <= budget; step++ {
		next, fresh, a, err := f.mhStep(ctx, rng, n, func(i int) particle { return states[i] }, sigma, tolerance, "mcmc "+strconv.Itoa(step))
		if err != nil {
			return nil, err
		}
		states, accepted = next, accepted+a
		runs, moves = append(runs, fresh...), append(moves, fresh...)
		for j, w := range kernelWidths(states, dims) {
			sigma[j] = math.Max(w, mcmcMinWidth)
		}
	}
	best := bestOf(moves)
	posterior := make([]Sample, n)
	for i, p := range states {
		posterior[i] = p.Sample
	}
	return &Result{Best: best.X, BestDistance: best.Distance, Samples: runs, Accepted: posterior, Tolerance: tolerance,
		Acceptance: float64(accepted) / float64(max(1, len(moves)-1))}, nil
}
