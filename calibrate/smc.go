package calibrate

import (
	"context"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
)

// SMC-ABC settings: the share of each population kept, and the acceptance
// rate of new particles below which the populations are taken to have
// converged (Lenormand, Jabot & Deffuant 2013 use 0.5 and 0.01–0.1).
const (
	smcKeep     = 0.5
	smcMinShare = 0.05
)

// particle is an SMC-ABC sample with its importance weight (prior density
// over proposal density; not normalised) and the generation that proposed it.
type particle struct {
	Sample
	z      []float64 // the parameters mapped onto the whole line (toZ)
	weight float64
	gen    int
}

// smc is adaptive population Monte Carlo ABC (APMC; Lenormand, Jabot &
// Deffuant 2013). Generation 0 is a Latin hypercube of n−1 draws from the
// priors; the closest half is kept, and the largest kept distance is the
// tolerance. The spec's current values are run too, as a candidate for the
// best point, but are not a particle: they are not a draw from the prior,
// and a point that good (the defaults are a past calibration's best) with the
// prior's weight would take the whole posterior when it is resampled. Each later
// generation proposes as many new particles as were dropped: a kept particle
// drawn by weight, moved by a Gaussian kernel with twice the kept
// particles' weighted variance per key. The kernel acts where each prior
// range is mapped onto the whole line (x = low + (high-low)·logistic(z), as
// for Nelder-Mead), so proposals never leave the priors; there the uniform
// prior has density Π logistic'(z). A new particle's weight is its prior
// density over the kernel mixture's density at it. Old and new together, the
// closest half is kept again, which lowers the tolerance. The populations
// stop when fewer than smcMinShare of a generation's new particles are kept,
// or when the budget is spent. The posterior is the last kept population,
// resampled by weight. A population has population particles (0: budget/5,
// at least 10).
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
		pop[i] = particle{Sample: s, z: f.toZ(s.X), weight: 1}
	}
	pop = closest(pop, keep)
	rng := rand.New(rand.NewPCG(f.spec.DesignSeed, 0x5eed5))
	for gen := 1; len(all)+n-keep <= budget; gen++ {
		sigma := kernelWidths(pop, len(f.spec.Priors))
		zs := make([][]float64, n-keep)
		proposals := make([][]float64, n-keep)
		for i := range proposals {
			zs[i] = perturb(rng, pop, sigma)
			proposals[i] = f.toX(zs[i])
		}
		fresh, err := f.evaluate(ctx, proposals, "smc "+strconv.Itoa(gen))
		if err != nil {
			return nil, err
		}
		all = append(all, fresh...)
		next := append([]particle(nil), pop...)
		for i, s := range fresh {
			w := math.Exp(logPriorZ(zs[i]) - logMixtureDensity(zs[i], pop, sigma))
			next = append(next, particle{Sample: s, z: zs[i], gen: gen, weight: w})
		}
		pop = closest(next, keep)
		newKept := 0
		for _, p := range pop {
			if p.gen == gen {
				newKept++
			}
		}
		if float64(newKept) < smcMinShare*float64(len(fresh)) {
			break
		}
	}
	best := bestOf(all)
	return &Result{Best: best.X, BestDistance: best.Distance, Samples: all, Accepted: resample(rng, pop)}, nil
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

// totalWeight is the sum of the population's weights.
func totalWeight(pop []particle) float64 {
	sum := 0.0
	for _, p := range pop {
		sum += p.weight
	}
	return sum
}

// pick draws a particle index by weight.
func pick(rng *rand.Rand, pop []particle, total float64) int {
	u, i := rng.Float64()*total, 0
	for ; i < len(pop)-1 && u >= pop[i].weight; i++ {
		u -= pop[i].weight
	}
	return i
}

// kernelWidths are the kernel's standard deviations: per key, the square
// root of twice the weighted variance of the population (Beaumont et al.
// 2009), floored so that a collapsed key can still move.
func kernelWidths(pop []particle, dims int) []float64 {
	sigma := make([]float64, dims)
	xs := make([]float64, len(pop))
	ws := make([]float64, len(pop))
	total := totalWeight(pop)
	for j := range sigma {
		for i, p := range pop {
			// Frequency weights summing to the population size, as stat's
			// weighted variance expects.
			xs[i], ws[i] = p.z[j], p.weight/total*float64(len(pop))
		}
		_, sd := stat.MeanStdDev(xs, ws)
		sigma[j] = math.Max(math.Sqrt(2)*sd, 1e-6)
	}
	return sigma
}

// perturb draws a kept particle by weight and moves it by the kernel.
func perturb(rng *rand.Rand, pop []particle, sigma []float64) []float64 {
	i := pick(rng, pop, totalWeight(pop))
	z := make([]float64, len(sigma))
	for j := range z {
		z[j] = pop[i].z[j] + sigma[j]*rng.NormFloat64()
	}
	return z
}

// logMixtureDensity is the log density at z of the proposal: a particle
// drawn by weight, moved by the Gaussian kernel.
func logMixtureDensity(z []float64, pop []particle, sigma []float64) float64 {
	logs := make([]float64, len(pop))
	norm := math.Log(totalWeight(pop))
	for _, s := range sigma {
		norm += math.Log(s) + 0.5*math.Log(2*math.Pi)
	}
	for i, p := range pop {
		l := math.Log(p.weight) - norm
		for j, s := range sigma {
			d := (z[j] - p.z[j]) / s
			l -= d * d / 2
		}
		logs[i] = l
	}
	return floats.LogSumExp(logs)
}

// resample draws len(pop) particles by weight (systematic resampling): the
// posterior as an unweighted sample.
func resample(rng *rand.Rand, pop []particle) []Sample {
	out := make([]Sample, 0, len(pop))
	total := totalWeight(pop)
	step := total / float64(len(pop))
	u := rng.Float64() * step
	cum, i := pop[0].weight, 0
	for range pop {
		for u > cum && i < len(pop)-1 {
			i++
			cum += pop[i].weight
		}
		out = append(out, pop[i].Sample)
		u += step
	}
	return out
}
