package calibrate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"

	"migrasim/scenarios"
	"migrasim/sim"
)

// MaxBudget is the largest Config.Budget: the draws and samples of a
// calibration are held in memory.
const MaxBudget = 1_000_000

// Methods are the search methods Run knows.
var Methods = []string{"abc", "smc", "mcmc", "nelder-mead", "both", "none"}

// Config says how to calibrate.
type Config struct {
	Spec    *Spec
	Targets []Target
	// Method is one of Methods: rejection ABC, SMC-ABC, Nelder-Mead from
	// the spec's values, ABC then Nelder-Mead from its best draw (half the
	// budget each), or none (the fit of the spec's values as they are).
	Method string
	// Budget is the number of model runs to spend, from 10 to MaxBudget
	// (not used by none).
	Budget int
	// Population is the number of particles in each SMC population, from
	// 10 to Budget; 0 means Budget/5 (at least 10). A smaller population
	// for the same budget runs more generations, each lowering the
	// tolerance: the posterior concentrates further, on fewer particles.
	// With mcmc it is the number of chains (0: Budget/50, at least 10).
	Population int
	// Accept is the share of ABC draws accepted into the posterior, in (0, 1].
	Accept float64
	// Workers is the number of goroutines, at least 1; it never changes results.
	Workers int
	// Facts asks for the stylised facts at the fitted values (three paired
	// runs of the spec's scenario to January 2017, or longer).
	Facts bool
	// Profiles asks, after the search, for the profile of the objective
	// along each of these keys (Profile), ProfileBudget runs a point,
	// starting from the best point.
	Profiles      []ProfileRequest
	ProfileBudget int
	// Progress, if set, is called after each candidate run with the runs
	// done and the budget; calls are serialised. Runs taken from a
	// checkpoint count as done.
	Progress func(done, total int)
	// Checkpoint, if set, is a file where Run keeps the runs it has
	// finished (see Checkpoint), rewritten atomically after each batch: an
	// SMC generation, a batch of ABC draws, a batch of Nelder–Mead
	// evaluations or the end of a restart, a profile point. Without Resume
	// an existing file there is not read, and is replaced by the first
	// checkpoint of this run. The file is left in place when Run returns.
	Checkpoint string
	// Resume asks Run to take the runs the Checkpoint file holds instead
	// of running them again, after checking that the file belongs to this
	// calibration (engine, spec, targets, seeds, method and settings). The
	// result is the same, byte for byte, as a run that was never stopped.
	// Without a file there, Run starts from the beginning.
	Resume bool
}

// ProfileRequest asks for the profile of the objective along Key at Values.
type ProfileRequest struct {
	Key    string
	Values []float64
}

// Sample is one evaluated parameter vector, in the spec's Priors order.
type Sample struct {
	X        []float64
	Distance float64
	Method   string // "abc", "smc N" (generation N), "nelder-mead" or "none"
}

// Result is a calibration's outcome.
type Result struct {
	Config       Config
	Best         []float64 // the best point, in Priors order
	BestDistance float64
	Samples      []Sample // every candidate run, in order
	Accepted     []Sample // the posterior (ABC, SMC or ABC-MCMC), empty for the other methods
	// Tolerance is ABC-MCMC's tolerance, Acceptance the share of its
	// moves accepted (0 for the other methods).
	Tolerance, Acceptance float64
	// Check is the spec's run settings with the best point and five times
	// the replicates; Fit is every target at it.
	Check *sim.Params
	Fit   []FitRow
	// Fitted is the spec's scenario as written (its own months, scale and
	// replicates) with the best point, named "<scenario>-fitted".
	Fitted *sim.Params
	Facts  []Fact // with Config.Facts
	// Profiles are the profiles Config.Profiles asked for, point by point.
	Profiles []ProfilePoint
	// Resumed is how many of the runs were taken from a checkpoint.
	Resumed int
}

// Posterior summarises the accepted draws of parameter j.
func (r *Result) Posterior(j int) PosteriorSummary {
	xs := make([]float64, len(r.Accepted))
	for i, s := range r.Accepted {
		xs[i] = s.X[j]
	}
	return Posterior(xs)
}

// Validate checks the settings that do not need the spec or the targets.
func (cfg *Config) Validate() error {
	if !slices.Contains(Methods, cfg.Method) {
		return fmt.Errorf("--method %q: want abc, smc, mcmc, nelder-mead, both or none", cfg.Method)
	}
	if cfg.Budget < 10 && cfg.Method != "none" {
		return fmt.Errorf("--budget %d: want at least 10 runs", cfg.Budget)
	}
	if cfg.Budget > MaxBudget {
		return fmt.Errorf("--budget %d: want at most %d runs", cfg.Budget, MaxBudget)
	}
	if cfg.Population != 0 && cfg.Method != "smc" && cfg.Method != "mcmc" {
		return fmt.Errorf("--population %d: only with --method smc or mcmc", cfg.Population)
	}
	if cfg.Population != 0 && (cfg.Population < 10 || cfg.Population > cfg.Budget) {
		return fmt.Errorf("--population %d: want 10 to the budget, %d", cfg.Population, cfg.Budget)
	}
	if cfg.Accept <= 0 || cfg.Accept > 1 {
		return fmt.Errorf("--accept %g: want a share in (0, 1]", cfg.Accept)
	}
	if cfg.Workers < 1 || cfg.Workers > scenarios.MaxWorkers() {
		return fmt.Errorf("--workers %d: want 1 to %d", cfg.Workers, scenarios.MaxWorkers())
	}
	return nil
}

// Run searches the priors of cfg.Spec for the point closest to the targets,
// then measures the fit at the best point.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := CheckTargets(cfg.Targets); err != nil {
		return nil, err
	}
	j, err := newJournal(cfg)
	if err != nil {
		return nil, err
	}
	f := &fitter{spec: cfg.Spec, targets: cfg.Targets, workers: cfg.Workers, progress: cfg.Progress, total: cfg.Budget, journal: j}
	var res *Result
	switch cfg.Method {
	case "none":
		f.total = 1
		res, err = f.none(ctx)
	case "abc":
		res, err = f.abc(ctx, cfg.Budget, cfg.Accept)
	case "smc":
		res, err = f.smc(ctx, cfg.Budget, cfg.Population)
	case "mcmc":
		res, err = f.mcmc(ctx, defaultsOf(cfg.Spec), cfg.Budget, cfg.Population)
	case "nelder-mead":
		res, err = f.nelderMead(ctx, defaultsOf(cfg.Spec), cfg.Budget)
	case "both":
		res, err = f.abc(ctx, cfg.Budget/2, cfg.Accept)
		if err == nil {
			var nm *Result
			nm, err = f.nelderMead(ctx, res.Best, cfg.Budget-cfg.Budget/2)
			if err == nil {
				res.Best, res.BestDistance = nm.Best, nm.BestDistance
				res.Samples = append(res.Samples, nm.Samples...)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	res.Config = cfg
	for _, pr := range cfg.Profiles {
		points, err := profile(ctx, cfg, j, pr.Key, pr.Values, res.Best, cfg.ProfileBudget)
		if err != nil {
			return nil, err
		}
		res.Profiles = append(res.Profiles, points...)
	}
	if err := j.spent(); err != nil {
		return nil, err
	}
	if j != nil {
		res.Resumed = j.resumed
	}
	if err := res.check(ctx); err != nil {
		return nil, err
	}
	return res, nil
}

// check runs the best point with five times the replicates and scores it,
// builds the fitted scenario, and measures the stylised facts if asked.
func (r *Result) check(ctx context.Context) error {
	spec := r.Config.Spec
	p := *spec.Base
	if err := scenarios.Apply(&p, spec.Overrides(r.Best)); err != nil {
		return err
	}
	p.Replicates = 5 * spec.Replicates
	series, err := sim.Run(ctx, &p, sim.Options{Workers: r.Config.Workers})
	if err != nil {
		return err
	}
	r.Check, r.Fit = &p, FitRows(series, r.Config.Targets)
	if r.Fitted, err = fittedScenario(spec, r.Best); err != nil {
		return err
	}
	if r.Config.Facts {
		q := p
		q.Months = max(q.Months, int(sim.MonthOf(2017, 1)-q.Start))
		if r.Facts, err = StylisedFacts(ctx, &q, r.Config.Workers); err != nil {
			return err
		}
	}
	return nil
}

// fitter evaluates candidates against the targets.
type fitter struct {
	spec     *Spec
	targets  []Target
	workers  int
	progress func(done, total int)
	mu       sync.Mutex
	done     int
	total    int
	journal  *journal // nil: no checkpoint
	// label is the method of Nelder–Mead's runs in the checkpoint:
	// "nelder-mead", or "profile KEY=VALUE" for a profile point's.
	label string
	// measure, when set (by tests of the search methods), is the distance
	// of a candidate instead of a model run; noise, if set too, is added to
	// it for a run at the spec's seed plus the offset (0 at the spec's seed).
	measure func(x []float64) float64
	noise   func(offset uint64) float64
}

// distance runs candidate x with the spec's settings and seed.
func (f *fitter) distance(ctx context.Context, x []float64, workers int) (float64, error) {
	return f.distanceSeed(ctx, x, workers, 0)
}

// distanceSeed runs candidate x with the spec's settings and its seed plus
// offset.
func (f *fitter) distanceSeed(ctx context.Context, x []float64, workers int, offset uint64) (float64, error) {
	if f.measure != nil {
		d := f.measure(x)
		if f.noise != nil {
			d += f.noise(offset)
		}
		return d, nil
	}
	p := *f.spec.Base
	p.Seed += offset
	if err := scenarios.Apply(&p, f.spec.Overrides(x)); err != nil {
		return 0, err
	}
	series, err := sim.Run(ctx, &p, sim.Options{Workers: workers})
	if err != nil {
		return 0, err
	}
	score, err := objective(f.spec.Objective)
	if err != nil {
		return 0, err
	}
	return score(FitRows(series, f.targets)), nil
}

// ran counts n finished candidate runs for the progress callback.
func (f *fitter) ran(n int) {
	if f.progress == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.done += n
	f.progress(f.done, f.total)
}

// evaluate runs the candidates in parallel (one core each), labelled with
// method: first those the checkpoint holds, then the rest in batches, each
// kept in the checkpoint when it is done.
func (f *fitter) evaluate(ctx context.Context, xs [][]float64, method string) ([]Sample, error) {
	return f.runs(ctx, xs, method, false)
}

// evaluateSeeds runs x at the spec's seed plus 1, 2, …, n, as evaluate
// runs candidates (checkpoint included), labelled with method.
func (f *fitter) evaluateSeeds(ctx context.Context, x []float64, n int, method string) ([]Sample, error) {
	xs := make([][]float64, n)
	for i := range xs {
		xs[i] = x
	}
	return f.runs(ctx, xs, method, true)
}

// runs is evaluate, with run i at the spec's seed plus i+1 when seeded.
func (f *fitter) runs(ctx context.Context, xs [][]float64, method string, seeded bool) ([]Sample, error) {
	samples := make([]Sample, len(xs))
	i := 0
	for ; i < len(xs); i++ {
		s, ok, err := f.journal.next(method, xs[i])
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		samples[i] = s
		f.ran(1)
	}
	if i == len(xs) {
		return samples, nil
	}
	errs := make([]error, len(xs))
	pool := sim.NewPool(min(f.workers, len(xs)-i))
	defer pool.Close()
	for i < len(xs) {
		n := min(len(xs)-i, f.journal.batch(f.workers))
		pool.Run(n, func(k int) {
			if ctx.Err() == nil {
				offset := uint64(0)
				if seeded {
					offset = uint64(i + k + 1)
				}
				d, err := f.distanceSeed(ctx, xs[i+k], 1, offset)
				samples[i+k], errs[i+k] = Sample{X: xs[i+k], Distance: d, Method: method}, err
				f.ran(1)
			}
		})
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := errors.Join(errs[i : i+n]...); err != nil {
			return nil, err
		}
		f.journal.add(samples[i : i+n]...)
		if err := f.journal.flush(); err != nil {
			return nil, err
		}
		i += n
	}
	return samples, nil
}

// bestOf is the sample with the smallest distance (the first of equals).
func bestOf(samples []Sample) Sample {
	best := samples[0]
	for _, s := range samples {
		if s.Distance < best.Distance {
			best = s
		}
	}
	return best
}

// toZ maps a parameter vector onto the whole line, key by key:
// z = logit((x - low) / (high - low)), kept 1e-4 away from the bounds.
func (f *fitter) toZ(x []float64) []float64 {
	z := make([]float64, len(x))
	for j, p := range f.spec.Priors {
		u := math.Min(math.Max((x[j]-p.Low)/(p.High-p.Low), 1e-4), 1-1e-4)
		z[j] = math.Log(u / (1 - u))
	}
	return z
}

// toX is the inverse of toZ: x = low + (high - low)·logistic(z).
func (f *fitter) toX(z []float64) []float64 {
	x := make([]float64, len(z))
	for j, p := range f.spec.Priors {
		x[j] = p.Low + (p.High-p.Low)/(1+math.Exp(-z[j]))
	}
	return x
}

// none scores the spec's values as they are.
func (f *fitter) none(ctx context.Context) (*Result, error) {
	samples, err := f.evaluate(ctx, [][]float64{defaultsOf(f.spec)}, "none")
	if err != nil {
		return nil, err
	}
	return &Result{Best: samples[0].X, BestDistance: samples[0].Distance, Samples: samples}, nil
}

// abc is rejection ABC: n Latin-hypercube draws, the closest share accepted.
// The spec's current values are one more candidate, so the best point is never
// worse than where the search started.
func (f *fitter) abc(ctx context.Context, n int, accept float64) (*Result, error) {
	draws := append(f.spec.Design(n-1), defaultsOf(f.spec))
	samples, err := f.evaluate(ctx, draws, "abc")
	if err != nil {
		return nil, err
	}
	sorted := append([]Sample(nil), samples...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Distance < sorted[j].Distance })
	k := max(int(math.Round(accept*float64(n))), min(5, n))
	return &Result{Best: sorted[0].X, BestDistance: sorted[0].Distance, Samples: samples, Accepted: sorted[:k]}, nil
}

// defaultsOf is the spec's base values of the fitted keys, inside the priors.
func defaultsOf(spec *Spec) []float64 {
	x := make([]float64, len(spec.Priors))
	for j, p := range spec.Priors {
		v, _ := scenarios.Value(spec.Base, p.Key)
		x[j] = math.Min(math.Max(v, p.Low), p.High)
	}
	return x
}

// fittedScenario is the spec's scenario as written (its own months, scale and
// replicates) with the held and the fitted values.
func fittedScenario(spec *Spec, x []float64) (*sim.Params, error) {
	p, err := spec.load(spec.Scenario)
	if err != nil {
		return nil, err
	}
	if err := scenarios.Apply(p, spec.Overrides(x)); err != nil {
		return nil, err
	}
	p.Name += "-fitted"
	p.Description = "The " + spec.Scenario + " scenario with the parameters fitted by migrasim calibrate."
	return p, nil
}
