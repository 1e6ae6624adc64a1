package sweep

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"

	"migrasim/calibrate"
	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
)

// MaxDraws is the most posterior draws a PosteriorComparison runs.
const MaxDraws = 100_000

// pickStream is the PCG stream, under the comparison's seed, that picks the
// particles; draw d's seed comes from stream d (below MaxDraws).
const pickStream = 1 << 62

// PosteriorComparison runs scenario B against scenario A over a posterior:
// for each of Draws draws it picks a particle by weight, sets its keys on
// both scenarios, and runs them paired, with common random numbers, to
// measure B − A per country, measure and horizon. Every draw has its own
// seed, so replicates differ between draws while A and B share theirs
// within a draw. The particles picked and every draw's seed come from Seed
// alone, and draws run on fixed slots, so the answer does not depend on
// Workers.
type PosteriorComparison struct {
	// Scenarios are A and B, paired (see Pair): same start, months, scale and
	// replicates. Their seeds are not used: Seed and the draw set them.
	Scenarios []*sim.Params
	// Particles is the posterior (calibrate.ReadParticles).
	Particles *calibrate.Particles
	// Draws is the number of posterior draws, 1 to MaxDraws.
	Draws int
	// Seed picks the particles and derives each draw's run seed; any value
	// from 0 to scenarios.MaxSeed.
	Seed uint64
	// Workers is the number of goroutines, 1 to scenarios.MaxWorkers(); it
	// never changes results.
	Workers int
	// Measures are what is compared (results.CompareMeasures has them all).
	Measures []results.Measure
	// Horizons are the periods over which each measure is aggregated
	// (results.Horizons), in months from the scenarios' start.
	Horizons []results.Period
	// Progress, if set, is called after each simulated month with the months
	// done and the total over every run; calls are serialised.
	Progress func(done, total int)
	// Priors are keys the data do not identify, drawn for each draw from
	// their own range (uniform) instead of held at the scenarios' values:
	// the answer is then over the posterior of the calibrated keys and the
	// prior of these. None may be a calibrated key.
	Priors []Prior
	// Simulate, set by tests to check the comparison without simulating,
	// runs one scenario; nil runs A and B together with sim.RunPaired.
	Simulate func(ctx context.Context, p *sim.Params, opt sim.Options) ([]sim.Series, error)
}

// Prior is a uniform prior over [Lo, Hi] for a number key.
type Prior struct {
	Key    string
	Lo, Hi float64
}

// windowKey reports whether a calibrated key is the size of one of the
// calibration's history's policy windows, named by its index
// (policy.mexico.apprehension_multiplier, say).
func windowKey(k string) bool { return strings.HasPrefix(k, "policy.") }

// ownWindows reports whether p writes its policy windows from the start
// (no reference: status-quo and its counterfactual histories), so that an
// index names its own window or none, not history's.
func ownWindows(p *sim.Params) bool { return p.ReferenceParams == nil }

// historyKeys returns a particle's keys as they apply to scenario p: a
// window key applies to a branch, where it changes that history (the
// reference) and the branch's copy of the window, but not to a scenario
// with its own windows.
func historyKeys(p *sim.Params, keys map[string]any) map[string]any {
	if !ownWindows(p) {
		return keys
	}
	out := make(map[string]any, len(keys))
	for k, v := range keys {
		if !windowKey(k) {
			out[k] = v
		}
	}
	return out
}

// KeptWindows names the scenarios of ps that keep their own policy windows
// over a posterior whose keys are keys (historyKeys), and the window keys
// they do not take; both are empty when every scenario takes every key.
func KeptWindows(ps []*sim.Params, keys []string) (names, policy []string) {
	policy = slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return !windowKey(k) })
	for _, p := range ps {
		if ownWindows(p) && len(policy) > 0 {
			names = append(names, p.Name)
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	return names, policy
}

// priorValues draws each prior's value for the draw whose seed is seed:
// from a stream of its own per draw and key, so a draw's values do not
// depend on the other priors or on the order the draws run in.
func priorValues(priors []Prior, seed uint64) map[string]any {
	out := map[string]any{}
	for k, pr := range priors {
		r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15^uint64(k+1)))
		out[pr.Key] = pr.Lo + (pr.Hi-pr.Lo)*r.Float64()
	}
	return out
}

// PosteriorMeasures are the default measures of a posterior comparison:
// departures in all and by kind, apprehensions at the U.S. border, U.S.
// removals and the homicide rate.
var PosteriorMeasures = []string{"departures_total", "departures_uac", "departures_family", "departures_adult",
	"us_apprehensions_total", "us_removals_total", "homicide_rate"}

// MeasuresNamed returns the results.CompareMeasures with the given names, in
// that order.
func MeasuresNamed(names []string) ([]results.Measure, error) {
	var out []results.Measure
	for _, n := range names {
		i := -1
		for j, m := range results.CompareMeasures {
			if m.Name == n {
				i = j
			}
		}
		if i < 0 {
			return nil, fmt.Errorf("measure %q: not one of the compared measures", n)
		}
		out = append(out, results.CompareMeasures[i])
	}
	return out, nil
}

// plannedDraw is one draw: the particle it runs and its seed.
type plannedDraw struct {
	particle int
	seed     uint64
}

// plan picks the particles and seeds of every draw.
func (c *PosteriorComparison) plan() []plannedDraw {
	picks := c.Particles.Draw(c.Draws, rand.New(rand.NewPCG(c.Seed, pickStream)))
	out := make([]plannedDraw, c.Draws)
	for d, i := range picks {
		out[d] = plannedDraw{particle: i, seed: DrawSeed(c.Seed, d)}
	}
	return out
}

// DrawSeed is the run seed of draw d of a comparison seeded with seed: the
// first output of PCG stream d, kept within scenarios.MaxSeed.
func DrawSeed(seed uint64, d int) uint64 {
	return rand.NewPCG(seed, uint64(d)).Uint64() >> 1
}

// variants returns A and B with particle i's keys and the seed set.
func (c *PosteriorComparison) variants(i int, seed uint64) ([]*sim.Params, error) {
	out := make([]*sim.Params, len(c.Scenarios))
	for j, base := range c.Scenarios {
		p := *base
		if err := scenarios.Apply(&p, historyKeys(&p, c.Particles.Overrides(i))); err != nil {
			return nil, fmt.Errorf("posterior %s: particle on row %d: %s: %w", c.Particles.File, i+1, base.Name, err)
		}
		if err := scenarios.Apply(&p, priorValues(c.Priors, seed)); err != nil {
			return nil, fmt.Errorf("--prior: %s: %w", base.Name, err)
		}
		p.Seed = seed
		if err := scenarios.Check(&p); err != nil {
			return nil, fmt.Errorf("posterior %s: particle on row %d: %s: %w", c.Particles.File, i+1, base.Name, err)
		}
		out[j] = &p
	}
	return out, nil
}

// Check checks the settings, and sets the keys of every particle a draw
// picks on both scenarios, before anything runs.
func (c *PosteriorComparison) Check() error {
	if len(c.Scenarios) != 2 {
		return fmt.Errorf("compare --posterior: want two scenarios, A and B, got %d", len(c.Scenarios))
	}
	a, b := c.Scenarios[0], c.Scenarios[1]
	if a.Start != b.Start || a.Months != b.Months || a.Scale != b.Scale || a.Replicates != b.Replicates {
		return fmt.Errorf("compare --posterior: %s and %s are not paired (see Pair)", a.Name, b.Name)
	}
	if c.Draws < 1 || c.Draws > MaxDraws {
		return fmt.Errorf("--draws %d: want 1 to %d", c.Draws, MaxDraws)
	}
	for k, pr := range c.Priors {
		if slices.Contains(c.Particles.Keys, pr.Key) {
			return fmt.Errorf("--prior %s: a calibrated key: its posterior is in %s", pr.Key, c.Particles.File)
		}
		if !(pr.Lo <= pr.Hi) {
			return fmt.Errorf("--prior %s: want LO,HI with LO <= HI, got %g,%g", pr.Key, pr.Lo, pr.Hi)
		}
		for _, other := range c.Priors[:k] {
			if other.Key == pr.Key {
				return fmt.Errorf("--prior %s: given twice", pr.Key)
			}
		}
		for _, v := range []float64{pr.Lo, pr.Hi} {
			q := *c.Scenarios[0]
			if err := scenarios.Apply(&q, map[string]any{pr.Key: v}); err != nil {
				return fmt.Errorf("--prior: %w", err)
			}
		}
	}
	if c.Workers < 1 || c.Workers > scenarios.MaxWorkers() {
		return fmt.Errorf("compare: %d workers: want 1 to %d", c.Workers, scenarios.MaxWorkers())
	}
	if c.Seed > scenarios.MaxSeed {
		return fmt.Errorf("compare --posterior: seed %d: want 0 to %d", c.Seed, uint64(scenarios.MaxSeed))
	}
	if c.Particles == nil || c.Particles.Len() == 0 {
		return errors.New("compare --posterior: no particles")
	}
	if len(c.Measures) == 0 || len(c.Horizons) == 0 {
		return errors.New("compare --posterior: no measures or no horizons")
	}
	var errs []error
	seen := map[int]bool{}
	for _, d := range c.plan() {
		if seen[d.particle] {
			continue
		}
		seen[d.particle] = true
		if _, err := c.variants(d.particle, d.seed); err != nil {
			errs = append(errs, err)
			if len(errs) == 5 {
				errs = append(errs, errors.New("(and possibly more particles)"))
				break
			}
		}
	}
	return errors.Join(errs...)
}

// Question is what the comparison measures.
func (c *PosteriorComparison) Question() *results.Question {
	return &results.Question{ScenarioA: c.Scenarios[0].Name, ScenarioB: c.Scenarios[1].Name,
		Start: c.Scenarios[0].Start, Measures: c.Measures, Horizons: c.Horizons}
}

// Run runs every draw and returns the answer: per country, measure and
// horizon, the posterior mean effect of B against A, its 90% credible
// interval and P(effect > 0) (results.Question.Answer). Draws run in
// parallel, each on the slot of its number.
func (c *PosteriorComparison) Run(ctx context.Context) ([]results.Effect, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	q := c.Question()
	plan := c.plan()
	total := 0
	for _, d := range plan {
		params, err := c.variants(d.particle, d.seed)
		if err != nil {
			return nil, err
		}
		n, err := stepsTogether(c.Simulate, params)
		if err != nil {
			return nil, err
		}
		total += n
	}
	var mu sync.Mutex
	done := 0
	tick := func(int, int) {
		mu.Lock()
		done++
		c.Progress(done, total)
		mu.Unlock()
	}
	outer := min(c.Workers, c.Draws)
	opt := sim.Options{Workers: max(1, c.Workers/outer)}
	if c.Progress != nil {
		opt.Progress = tick
	}
	draws := make([]results.Draw, c.Draws)
	errs := make([]error, c.Draws)
	pool := sim.NewPool(outer)
	defer pool.Close()
	pool.Run(c.Draws, func(d int) {
		if ctx.Err() != nil {
			return
		}
		draws[d], errs[d] = c.runDraw(ctx, q, plan[d], opt)
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for d, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("draw %d: %w", d, err)
		}
	}
	return q.Answer(draws)
}

// runDraw runs A and B at one draw's particle and seed and measures B − A.
func (c *PosteriorComparison) runDraw(ctx context.Context, q *results.Question, d plannedDraw, opt sim.Options) (results.Draw, error) {
	params, err := c.variants(d.particle, d.seed)
	if err != nil {
		return nil, err
	}
	runs, err := runTogether(ctx, c.Simulate, params, opt)
	if err != nil {
		return nil, err
	}
	return q.Differences(runs[0], runs[1])
}

// simulator runs one scenario; tests set one to count or fake the runs.
type simulator func(ctx context.Context, p *sim.Params, opt sim.Options) ([]sim.Series, error)

// runTogether runs the scenarios of one draw: paired (sim.RunPaired, which
// simulates the months before they part once), or one by one through
// simulate when a test sets it.
func runTogether(ctx context.Context, simulate simulator, params []*sim.Params, opt sim.Options) ([][]sim.Series, error) {
	if simulate == nil {
		return sim.RunPaired(ctx, params, opt)
	}
	runs := make([][]sim.Series, len(params))
	for j, p := range params {
		var err error
		if runs[j], err = simulate(ctx, p, opt); err != nil {
			return nil, fmt.Errorf("scenario %s: %w", p.Name, err)
		}
	}
	return runs, nil
}

// stepsTogether is the number of world-months runTogether simulates.
func stepsTogether(simulate simulator, params []*sim.Params) (int, error) {
	if simulate == nil {
		return sim.PairedSteps(params)
	}
	n := 0
	for _, p := range params {
		n += p.Steps()
	}
	return n, nil
}

// PolicyStart is the first month in which b's world can differ from a's
// (sim.PartMonth): the first month their policy levers, shocks or the terms
// those act through differ, after any delay; a's start when they differ in
// anything else, or already in the warm-up. ok is false when they never
// differ within the run.
func PolicyStart(a, b *sim.Params) (m sim.Month, ok bool) {
	m, ok = sim.PartMonth(a, b)
	if ok && m < a.Start {
		m = a.Start
	}
	return m, ok
}

// PolicyWindow is the policy window of b against a: from and to as given
// (YYYY-MM), or by default from the first month a policy lever of b
// differs from a's (PolicyStart) to the end of the run; why says
// where the start came from.
func PolicyWindow(a, b *sim.Params, from, to string) (first, last sim.Month, why string, err error) {
	first, last = a.Start, a.Start.Add(a.Months-1)
	switch start, ok := PolicyStart(a, b); {
	case from != "":
		if first, err = sim.ParseMonth(from); err != nil {
			return 0, 0, "", fmt.Errorf("--from: %w", err)
		}
		why = "--from"
	case !ok:
		why = fmt.Sprintf("no policy lever of %s with a date differs from %s's: the whole run; --from to choose", b.Name, a.Name)
	case start <= a.Start:
		why = fmt.Sprintf("%s differs from %s from the run's start; --from to choose", b.Name, a.Name)
	case start > last:
		return 0, 0, "", fmt.Errorf("compare --posterior: %s's policies differ from %s's from %s, after the run's end (%s): run longer (--months) or give --from", b.Name, a.Name, start, last)
	default:
		first = start
		why = fmt.Sprintf("from the first month a policy lever of %s differs from %s's; --from to choose", b.Name, a.Name)
	}
	if to != "" {
		if last, err = sim.ParseMonth(to); err != nil {
			return 0, 0, "", fmt.Errorf("--to: %w", err)
		}
	}
	return first, last, why, nil
}

// ParsePrior parses KEY=LO,HI, a uniform prior for a number key.
func ParsePrior(text string) (Prior, error) {
	key, rng, ok := strings.Cut(text, "=")
	lo, hi, ok2 := strings.Cut(rng, ",")
	if !ok || !ok2 || key == "" {
		return Prior{}, fmt.Errorf("--prior %q: want KEY=LO,HI (e.g. feedback.strength=0,4.4)", text)
	}
	if k, ok := scenarios.Lookup(key); !ok || (k.Type != "number" && k.Type != "whole number") {
		return Prior{}, fmt.Errorf("--prior %s: not a number key (see 'migrasim keys')", key)
	}
	a, err1 := strconv.ParseFloat(strings.TrimSpace(lo), 64)
	b, err2 := strconv.ParseFloat(strings.TrimSpace(hi), 64)
	if err1 != nil || err2 != nil || math.IsNaN(a) || math.IsNaN(b) || math.IsInf(a, 0) || math.IsInf(b, 0) {
		return Prior{}, fmt.Errorf("--prior %s: %q and %q: want two numbers", key, lo, hi)
	}
	return Prior{Key: key, Lo: a, Hi: b}, nil
}
