package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"gonum.org/v1/gonum/optimize"

	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
)

func init() {
	register(command{
		name:    "calibrate",
		usage:   "[--spec NAME|FILE] [--targets FILE] [--budget N] [--method abc|smc|nelder-mead|both|none] [--accept F] [--out DIR]",
		summary: "fit parameters to the historical data by ABC (rejection or SMC) and/or Nelder-Mead; write the fit report",
		run:     runCalibrate,
	})
}

const calibrateDetails = `
The spec (default: the embedded "default", see scenarios/calibration/) names
the scenario every candidate starts from, the month to fit to, the scale,
replicates and seed of each run, and a uniform prior range for each fitted
key. Every candidate uses the same seed (common random numbers) and is
scored by the weighted mean over observables of the averaged relative
difference (ARD) against the targets (default:
scenarios/data/calibration_targets.csv). Candidates run in parallel on all
cores.

  abc          rejection ABC: --budget Latin-hypercube draws from the priors;
               the --accept share closest to the data is the posterior
  smc          SMC-ABC (adaptive population Monte Carlo): populations of
               --budget/5 particles, half kept each generation and the rest
               proposed around them, until few new ones are kept or the
               budget is spent; the last population is the posterior
  nelder-mead  gonum/optimize's Nelder-Mead from the defaults, for --budget runs
  both         ABC, then Nelder-Mead from ABC's best draw (half the budget each)
  none         no search: report the fit of the spec's scenario as it is

Writes to --out (default out/calibrate): fitted.toml (the scenario with the
fitted values; 'migrasim run' accepts it), posterior.csv, samples.csv,
fit.csv (each target: observed, simulated mean and 90% interval), and
manifest.json; prints ARD, rescaled ARD and MASE per observable.`

func runCalibrate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(find("calibrate"), e, calibrateDetails)
	spec := fs.String("spec", "default", "calibration spec: an embedded name or a file")
	targetsFile := fs.String("targets", "", "targets CSV (default: the embedded data/calibration_targets.csv)")
	budget := fs.Int("budget", 3000, "model runs to spend")
	method := fs.String("method", "both", "abc, smc, nelder-mead, both, or none (report the fit of the defaults)")
	accept := fs.Float64("accept", 0.05, "ABC: share of draws accepted into the posterior")
	workers := fs.Int("workers", 0, "goroutines (default: all cores); never changes results")
	quiet := fs.Bool("quiet", false, "no progress bar")
	out := fs.String("out", filepath.Join("out", "calibrate"), "output folder")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("calibrate: takes no arguments, got %v", pos)
	}
	if !slices.Contains([]string{"abc", "smc", "nelder-mead", "both", "none"}, *method) {
		return fmt.Errorf("--method %q: want abc, smc, nelder-mead, both or none", *method)
	}
	if *budget < 10 && *method != "none" {
		return fmt.Errorf("--budget %d: want at least 10 runs", *budget)
	}
	if *accept <= 0 || *accept > 1 {
		return fmt.Errorf("--accept %g: want a share in (0, 1]", *accept)
	}
	if *workers <= 0 {
		*workers = runtime.GOMAXPROCS(0)
	}
	cal, err := scenarios.LoadCalibration(*spec)
	if err != nil {
		return err
	}
	targets, err := loadTargets(*targetsFile)
	if err != nil {
		return err
	}
	start := time.Now()
	bar := newProgress(e, "calibrate", *quiet)
	f := &fitter{cal: cal, targets: targets, workers: *workers, bar: bar, total: *budget}
	var res calibration
	switch *method {
	case "none":
		res.best = defaultsOf(cal)
		res.bestDistance, err = f.distance(ctx, res.best, *workers)
	case "abc":
		res, err = f.abc(ctx, *budget, *accept)
	case "smc":
		res, err = f.smc(ctx, *budget)
	case "nelder-mead":
		res, err = f.nelderMead(ctx, defaultsOf(cal), *budget)
	case "both":
		res, err = f.abc(ctx, *budget/2, *accept)
		if err == nil {
			var nm calibration
			nm, err = f.nelderMead(ctx, res.best, *budget-*budget/2)
			res.best, res.bestDistance = nm.best, nm.bestDistance
			res.samples = append(res.samples, nm.samples...)
		}
	}
	bar.finish()
	if ctx.Err() != nil {
		return errors.New("interrupted: nothing was written")
	}
	if err != nil {
		return err
	}
	// The fit report: the fitted values, run with five times the replicates.
	check := *cal.Base
	if err := scenarios.Apply(&check, cal.Overrides(res.best)); err != nil {
		return err
	}
	check.Replicates = 5 * cal.Replicates
	series, err := sim.Run(ctx, &check, sim.Options{Workers: *workers})
	if err != nil {
		return err
	}
	rows := results.FitRows(series, targets)
	fitted, err := fittedScenario(cal, res.best)
	if err != nil {
		return err
	}
	wall := time.Since(start)
	m := newManifest(fitted, *workers, wall)
	m.Scenario = fitted.Name
	outputs := []results.Output{
		{Name: "fitted.toml", Write: func(w io.Writer) error {
			_, err := fmt.Fprintf(w, "# Fitted by 'migrasim calibrate --method %s --budget %d' (distance %.4f).\n%s", *method, *budget, res.bestDistance, scenarios.Format(fitted))
			return err
		}},
		{Name: "posterior.csv", Write: func(w io.Writer) error { return writePosterior(w, cal, res) }},
		{Name: "samples.csv", Write: func(w io.Writer) error { return writeSamples(w, cal, res.samples) }},
		{Name: "fit.csv", Write: func(w io.Writer) error { return results.WriteFit(w, rows) }},
	}
	if err := results.WriteSet(*out, outputs, m); err != nil {
		return err
	}
	writeCalibrationReport(e.stdout, cal, res, rows, *method, *budget, wall)
	factsRun := check
	factsRun.Months = max(factsRun.Months, int(sim.MonthOf(2017, 1)-factsRun.Start))
	facts, err := stylisedFacts(ctx, &factsRun, *workers)
	if err != nil {
		return err
	}
	writeFacts(e.stdout, facts)
	fmt.Fprintf(e.stdout, "\nwrote %s (fitted.toml, posterior.csv, samples.csv, fit.csv, manifest.json)\n", *out)
	return nil
}

func loadTargets(path string) ([]scenarios.Target, error) {
	var targets []scenarios.Target
	var err error
	if path == "" {
		targets, err = scenarios.Targets()
	} else {
		targets, err = scenarios.LoadTargets(path)
	}
	if err != nil {
		return nil, err
	}
	return targets, results.CheckTargets(targets)
}

// sample is one evaluated parameter vector.
type sample struct {
	x        []float64
	distance float64
	method   string
}

// calibration is a search's outcome: the best point, and the posterior
// (accepted ABC draws) when ABC ran.
type calibration struct {
	best         []float64
	bestDistance float64
	samples      []sample
	accepted     []sample
}

// posterior summarises the accepted draws of parameter j.
func (c calibration) posterior(j int) results.PosteriorSummary {
	xs := make([]float64, len(c.accepted))
	for i, s := range c.accepted {
		xs[i] = s.x[j]
	}
	return results.Posterior(xs)
}

// fitter evaluates candidates against the targets.
type fitter struct {
	cal     *scenarios.Calibration
	targets []scenarios.Target
	workers int
	bar     *progress
	mu      sync.Mutex
	done    int
	total   int
}

// distance runs candidate x with the spec's settings and seed.
func (f *fitter) distance(ctx context.Context, x []float64, workers int) (float64, error) {
	p := *f.cal.Base
	if err := scenarios.Apply(&p, f.cal.Overrides(x)); err != nil {
		return 0, err
	}
	series, err := sim.Run(ctx, &p, sim.Options{Workers: workers})
	if err != nil {
		return 0, err
	}
	f.mu.Lock()
	f.done++
	f.bar.update(f.done, f.total)
	f.mu.Unlock()
	return results.Distance(results.FitRows(series, f.targets)), nil
}

// evaluate runs the candidates in parallel (one core each), labelled with method.
func (f *fitter) evaluate(ctx context.Context, xs [][]float64, method string) ([]sample, error) {
	samples := make([]sample, len(xs))
	errs := make([]error, len(xs))
	pool := sim.NewPool(f.workers)
	defer pool.Close()
	pool.Run(len(xs), func(i int) {
		if ctx.Err() == nil {
			d, err := f.distance(ctx, xs[i], 1)
			samples[i], errs[i] = sample{x: xs[i], distance: d, method: method}, err
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return samples, errors.Join(errs...)
}

// bestOf is the sample with the smallest distance (the first of equals).
func bestOf(samples []sample) sample {
	best := samples[0]
	for _, s := range samples {
		if s.distance < best.distance {
			best = s
		}
	}
	return best
}

// toZ maps a parameter vector onto the whole line, key by key:
// z = logit((x - low) / (high - low)), kept 1e-4 away from the bounds.
func (f *fitter) toZ(x []float64) []float64 {
	z := make([]float64, len(x))
	for j, p := range f.cal.Priors {
		u := math.Min(math.Max((x[j]-p.Low)/(p.High-p.Low), 1e-4), 1-1e-4)
		z[j] = math.Log(u / (1 - u))
	}
	return z
}

// toX is the inverse of toZ: x = low + (high - low)·logistic(z).
func (f *fitter) toX(z []float64) []float64 {
	x := make([]float64, len(z))
	for j, p := range f.cal.Priors {
		x[j] = p.Low + (p.High-p.Low)/(1+math.Exp(-z[j]))
	}
	return x
}

// abc is rejection ABC: n Latin-hypercube draws, the closest share accepted.
// The spec's current values are one more candidate, so the best point is never
// worse than where the search started.
func (f *fitter) abc(ctx context.Context, n int, accept float64) (calibration, error) {
	draws := append(f.cal.Design(n-1), defaultsOf(f.cal))
	samples, err := f.evaluate(ctx, draws, "abc")
	if err != nil {
		return calibration{}, err
	}
	sorted := append([]sample(nil), samples...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].distance < sorted[j].distance })
	k := max(int(math.Round(accept*float64(n))), min(5, n))
	return calibration{best: sorted[0].x, bestDistance: sorted[0].distance, samples: samples, accepted: sorted[:k]}, nil
}

// nelderMead minimises the distance from x0 in a space where each prior range
// maps onto the whole line (x = low + (high-low)·logistic(z)).
func (f *fitter) nelderMead(ctx context.Context, x0 []float64, budget int) (calibration, error) {
	z0 := f.toZ(x0)
	var samples []sample
	var runErr error
	problem := optimize.Problem{Func: func(z []float64) float64 {
		if runErr != nil || ctx.Err() != nil {
			return math.Inf(1)
		}
		x := f.toX(z)
		d, err := f.distance(ctx, x, f.workers)
		if err != nil {
			runErr = err
			return math.Inf(1)
		}
		samples = append(samples, sample{x: x, distance: d, method: "nelder-mead"})
		return d
	}}
	// Restart from the best point with a fresh simplex whenever Nelder-Mead
	// converges, until the budget is spent.
	var err error
	for len(samples) < budget && runErr == nil && ctx.Err() == nil {
		before := len(samples)
		_, err = optimize.Minimize(problem, z0, &optimize.Settings{FuncEvaluations: budget - len(samples),
			Converger: &optimize.FunctionConverge{Absolute: 1e-4, Iterations: 40}}, &optimize.NelderMead{SimplexSize: 0.5})
		if len(samples) == before {
			break
		}
		z0 = f.toZ(bestOf(samples).x)
	}
	if runErr != nil {
		return calibration{}, runErr
	}
	if ctx.Err() != nil {
		return calibration{}, ctx.Err()
	}
	if err != nil && len(samples) == 0 {
		return calibration{}, fmt.Errorf("nelder-mead: %w", err)
	}
	best := bestOf(samples)
	return calibration{best: best.x, bestDistance: best.distance, samples: samples}, nil
}

// defaultsOf is the spec's base values of the fitted keys, inside the priors.
func defaultsOf(cal *scenarios.Calibration) []float64 {
	x := make([]float64, len(cal.Priors))
	for j, p := range cal.Priors {
		v, _ := scenarios.Value(cal.Base, p.Key)
		x[j] = math.Min(math.Max(v, p.Low), p.High)
	}
	return x
}

// fittedScenario is the spec's scenario as written (its own months, scale and
// replicates) with the fitted values.
func fittedScenario(cal *scenarios.Calibration, x []float64) (*sim.Params, error) {
	p, err := scenarios.Load(cal.Scenario)
	if err != nil {
		return nil, err
	}
	if err := scenarios.Apply(p, cal.Overrides(x)); err != nil {
		return nil, err
	}
	p.Name += "-fitted"
	p.Description = "The " + cal.Scenario + " scenario with the parameters fitted by migrasim calibrate."
	return p, nil
}

func writePosterior(w io.Writer, cal *scenarios.Calibration, res calibration) error {
	fmt.Fprintln(w, "key,prior_low,prior_high,best,posterior_mean,posterior_sd,q05,q50,q95,accepted")
	for j, p := range cal.Priors {
		post := res.posterior(j)
		var buf []byte
		buf = append(buf, p.Key...)
		for _, v := range []float64{p.Low, p.High, res.best[j], post.Mean, post.SD, post.Q05, post.Q50, post.Q95} {
			buf = append(buf, ',')
			buf = results.AppendValue6(buf, v)
		}
		buf = append(buf, fmt.Sprintf(",%d\n", len(res.accepted))...)
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

func writeSamples(w io.Writer, cal *scenarios.Calibration, samples []sample) error {
	keys := make([]string, len(cal.Priors))
	for j, p := range cal.Priors {
		keys[j] = p.Key
	}
	fmt.Fprintf(w, "method,distance,%s\n", strings.Join(keys, ","))
	for _, s := range samples {
		buf := append([]byte(s.method), ',')
		buf = results.AppendValue6(buf, s.distance)
		for _, v := range s.x {
			buf = append(buf, ',')
			buf = results.AppendValue6(buf, v)
		}
		buf = append(buf, '\n')
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// writeCalibrationReport prints the fitted values and the fit scores.
func writeCalibrationReport(w io.Writer, cal *scenarios.Calibration, res calibration, rows []results.FitRow, method string, budget int, wall time.Duration) {
	fmt.Fprintf(w, "calibrate: %s, %d runs of %s to %s at scale %g with %d replicates, in %.0fs; distance %.4f\n\n",
		method, len(res.samples), cal.Scenario, cal.FitTo, cal.Scale, cal.Replicates, wall.Seconds(), res.bestDistance)
	if method == "none" {
		fmt.Fprintln(w, "values (the spec's scenario as it is):")
	} else {
		fmt.Fprintln(w, "fitted values (ABC posterior mean and 90% credible interval where ABC ran):")
	}
	for j, p := range cal.Priors {
		line := fmt.Sprintf("  %-28s %10.4g", p.Key, res.best[j])
		if len(res.accepted) > 0 {
			post := res.posterior(j)
			line += fmt.Sprintf("   posterior %.4g [%.4g, %.4g]", post.Mean, post.Q05, post.Q95)
		}
		fmt.Fprintf(w, "%s   prior [%g, %g]\n", line, p.Low, p.High)
	}
	fmt.Fprintln(w, "\nfit of the fitted values (fiscal years; ARD and rescaled ARD: lower is better, 0 is perfect; MASE < 1 beats \"same as last year\"):")
	for _, s := range results.Scores(rows, 0, 9999) {
		years := fmt.Sprintf("%s%d-%d", s.YearType, s.From, s.To)
		if s.From == s.To {
			years = fmt.Sprintf("%s%d", s.YearType, s.From)
		}
		fmt.Fprintf(w, "  %-34s %-11s ARD %.3f  rescaled ARD %.3f  MASE %.2f\n", s.Observable, years, s.ARD, s.Rescaled, s.MASE)
	}
}
