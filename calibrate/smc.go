package calibrate

import (
	"context"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"

	"gonum.org/v1/gonum/stat"
)

// SMC-ABC settings: the share of each population kept, and the acceptance
// rate of the moves below which the populations are taken to have
// converged (Drovandi & Pettitt 2011 keep 0.5 and stop at 0.01–0.1).
const (
	smcKeep     = 0.5
	smcMinShare = 0.05
)

// particle is an SMC-ABC sample with its parameters mapped onto the whole
// line (toZ), where the kernel moves them. The population is unweighted.
type particle struct {
	Sample
	z []float64
}

// smc is SMC-ABC with Metropolis–Hastings moves (Del Moral, Doucet & Jasra
// 2012; Drovandi & Pettitt 2011). Generation 0 is a Latin hypercube of n−1
// draws from the priors; the closest half is kept, and the largest kept
// distance is the tolerance. The spec's current values are run too, as a
// candidate for the best point, but are not a particle: they are not a draw
// from the prior. Each later generation resamples the kept half up to n
// particles (each kept particle once, the rest drawn uniformly) and moves
// every one by one Metropolis–Hastings step whose target is the prior
// restricted to distances within the tolerance: a Gaussian kernel
// (kernelWidths) proposes a point, accepted when its distance is within the
// tolerance and with probability the prior's ratio (the kernel is
// symmetric); otherwise the particle stays. The kernel acts where each
// prior range is mapped onto the whole line (x = low +
// (high-low)·logistic(z), as for Nelder-Mead), so proposals never leave the
// priors; there the uniform prior has density Π logistic'(z). The closest
// half is kept again, which lowers the tolerance. The populations stop when
// fewer than smcMinShare of a generation's moves are accepted, or when the
// budget is spent. The posterior is the last kept population, every
// particle with the same weight. Until engine 0.7.0 new particles were
// instead weighted by the prior over the proposal's density (adaptive
// population Monte Carlo, Lenormand, Jabot & Deffuant 2013); in the 27
// dimensions of the default spec those weights fell on one to seven
// particles, so the posterior was a handful of points. A population has
// population particles (0: budget/5, at least 10).
func (f *fitter) smc(ctx context.Context, budget, population int) (*Result, error) {
	n := population
	if n == 0 {
		n = max(10, budget/5)
	}
	keep := max(2, int(math.Round(smcKeep*float64(n))))
	draws := append(f.spec.Design(n-1), defaultsOf(f.spec))
	all, err := f.evaluate(ctx, draws, "smc 0")
	if err != nil {
		return nil, err
	}
	pop := make([]particle, len(all)-1) // the last is the spec's values: not a particle
	for i, s := range all[:len(all)-1] {
		pop[i] = particle{Sample: s, z: f.toZ(s.X)}
	}
	pop = closest(pop, keep)
	rng := rand.New(rand.NewPCG(f.spec.DesignSeed, 0x5eed5))
	for gen := 1; len(all)+n <= budget; gen++ {
		// Resample the kept particles up to n, then move every one of them
		// by one Metropolis–Hastings step under the tolerance.
		tolerance := pop[len(pop)-1].Distance
		sigma := kernelWidths(pop, len(f.spec.Priors))
		pick := func(i int) particle {
			if i < len(pop) {
				return pop[i]
			}
			return pop[rng.IntN(len(pop))]
		}
		next, fresh, accepted, err := f.mhStep(ctx, rng, n, pick, sigma, tolerance, "smc "+strconv.Itoa(gen))
		if err != nil {
			return nil, err
		}
		all = append(all, fresh...)
		pop = closest(next, keep)
		if float64(accepted) < smcMinShare*float64(len(fresh)) {
			break
		}
	}
	best := bestOf(all)
	posterior := make([]Sample, len(pop))
	for i, p := range pop {
		posterior[i] = p.Sample
	}
	return &Result{Best: best.X, BestDistance: best.Distance, Samples: all, Accepted: posterior}, nil
}

// mhStep moves n particles by one Metropolis–Hastings step whose target is
// the prior restricted to distances within tolerance: particle i starts at
// pick(i) and moves by the Gaussian kernel of widths sigma where the priors
// are mapped onto the whole line; the move is run (labelled label) and
// accepted when its distance is within the tolerance and with probability
// the prior's ratio (the kernel is symmetric), otherwise the particle stays.
// It returns the particles after the step, the runs it made and how many
// moves were accepted. SMC and ABC-MCMC share it.
func (f *fitter) mhStep(ctx context.Context, rng *rand.Rand, n int, pick func(i int) particle,
	sigma []float64, tolerance float64, label string) ([]particle, []Sample, int, error) {
	starts := make([]particle, n)
	zs := make([][]float64, n)
	proposals := make([][]float64, n)
	for i := range proposals {
		starts[i] = pick(i)
		zs[i] = move(rng, starts[i].z, sigma)
		proposals[i] = f.toX(zs[i])
	}
	fresh, err := f.evaluate(ctx, proposals, label)
	if err != nil {
		return nil, nil, 0, err
	}
	next := make([]particle, n)
	accepted := 0
	for i, s := range fresh {
		u := rng.Float64()
		if s.Distance <= tolerance && math.Log(u) < logPriorZ(zs[i])-logPriorZ(starts[i].z) {
			next[i] = particle{Sample: s, z: zs[i]}
			accepted++
		} else {
			next[i] = starts[i]
		}
	}
	return next, fresh, accepted, nil
}

// logPriorZ is the log density at z of the uniform priors mapped by toZ, up
// to a constant: Σ log(logistic(z)·(1 − logistic(z))).
func logPriorZ(z []float64) float64 {
	l := 0.0
	for _, v := range z {
		l += -math.Abs(v) - 2*math.Log1p(math.Exp(-math.Abs(v)))
	}
	return l
}

// closest keeps the k particles with the smallest distances (stable, so ties
// keep their order).
func closest(ps []particle, k int) []particle {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Distance < ps[j].Distance })
	return ps[:min(k, len(ps))]
}

// kernelWidths are the Metropolis–Hastings kernel's standard deviations:
// per key, the population's standard deviation times 2.38/√dims, the
// scaling of a random-walk proposal that is optimal for a Gaussian target
// (Roberts, Gelman & Gilks 1997), floored so that a collapsed key can still
// move.
func kernelWidths(pop []particle, dims int) []float64 {
	sigma := make([]float64, dims)
	xs := make([]float64, len(pop))
	for j := range sigma {
		for i, p := range pop {
			xs[i] = p.z[j]
		}
		sigma[j] = math.Max(2.38/math.Sqrt(float64(dims))*stat.StdDev(xs, nil), 1e-6)
	}
	return sigma
}

// move moves z by the Gaussian kernel.
func move(rng *rand.Rand, z, sigma []float64) []float64 {
	out := make([]float64, len(z))
	for j := range out {
		out[j] = z[j] + sigma[j]*rng.NormFloat64()
	}
	return out
}
