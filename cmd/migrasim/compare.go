package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"time"

	"migrasim/calibrate"
	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
	"migrasim/sweep"
)

func init() {
	register(command{
		name:    "compare",
		usage:   "A B [C...] [--replicates N] [--seed N] [--scale F] [--months N] [--from YYYY-MM --to YYYY-MM] [--vary KEY=V1,V2,...]... [--metrics LIST] [--posterior FILE [--draws N] [--prior KEY=LO,HI]...] [--mechanisms] [--by department] [--out DIR [--force]]",
		summary: "compare scenarios with common random numbers: paired differences with 95% intervals, or over a calibrated posterior",
		run:     runCompare,
	})
}

func runCompare(ctx context.Context, e *env, args []string) error {
	var o runOptions
	fs := newFlags(find("compare"), e, details("compare"))
	addRunFlags(fs, &o)
	from := fs.String("from", "", "first month of the reported window, YYYY-MM (default: the start)")
	to := fs.String("to", "", "last month of the reported window, YYYY-MM (default: the end)")
	var vary []string
	fs.Func("vary", fmt.Sprintf("repeat the comparison for each value of a number key: KEY=V1,V2,...; repeat the flag for every combination of several keys, the first slowest (at most %d)", scenarios.MaxVaryPoints), func(s string) error {
		if s != "" {
			vary = append(vary, s)
		}
		return nil
	})
	out := fs.String("out", "", "output folder (default: out/compare/A-vs-B..., with --posterior A-vs-B-posterior)")
	force := fs.Bool("force", false, "replace a result already in the output folder (without it, such a folder is refused)")
	posterior := fs.String("posterior", "", "compare over this posterior: particles.csv of 'migrasim calibrate'")
	draws := fs.Int("draws", 200, fmt.Sprintf("with --posterior, the posterior draws, 1 to %d", sweep.MaxDraws))
	var priors []sweep.Prior
	fs.Func("prior", "with --posterior, a key the data do not identify, drawn uniformly for each draw: KEY=LO,HI (repeatable)", func(s string) error {
		pr, err := sweep.ParsePrior(s)
		priors = append(priors, pr)
		return err
	})
	mechs := fs.Bool("mechanisms", false, "also decompose B's effect on departures by mechanism into mechanisms.csv (two scenarios)")
	by := fs.String("by", "", "also write department series and comparison_department.csv: --by department (not with --vary or --posterior)")
	metrics := fs.String("metrics", "", "what to compare, comma-separated metric or measure names, or all (default: the headline measures and the metrics the scenarios' levers touch)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return fmt.Errorf("compare: want two or more scenarios, got %d (see 'migrasim help compare')", len(pos))
	}
	if o.byDepartment, err = parseBy(*by); err != nil {
		return err
	}
	if o.byDepartment && (len(vary) > 0 || *posterior != "") {
		return fmt.Errorf("compare --by department: compares the scenarios at their own keys; leave out --vary and --posterior")
	}
	if *mechs && (len(pos) != 2 || len(vary) > 0) {
		return fmt.Errorf("compare --mechanisms: decomposes the effect of B against A: give two scenarios and no --vary")
	}
	if *posterior != "" {
		if len(pos) != 2 {
			return fmt.Errorf("compare --posterior: compares two scenarios, A and B; got %d", len(pos))
		}
		if len(vary) > 0 {
			return fmt.Errorf("compare --posterior: the posterior varies the calibrated keys; leave out --vary %s", strings.Join(vary, " --vary "))
		}
		if *metrics != "" {
			return fmt.Errorf("compare --posterior: compares the measures of the answer table; leave out --metrics %s", *metrics)
		}
		if *draws < 1 || *draws > sweep.MaxDraws {
			return fmt.Errorf("--draws %d: want 1 to %d", *draws, sweep.MaxDraws)
		}
	} else if flagGiven(fs, "draws") {
		return fmt.Errorf("--draws: only with --posterior FILE")
	} else if len(priors) > 0 {
		return fmt.Errorf("--prior: only with --posterior FILE")
	}
	params, err := loadPaired(e, fs, &o, pos)
	if err != nil {
		return err
	}
	var warnings []string
	for _, p := range params {
		warnings = append(warnings, warn(e, p)...)
	}
	if *posterior != "" {
		return comparePosterior(ctx, e, &o, params, posteriorRequest{file: *posterior, draws: *draws, from: *from, to: *to, out: *out, force: *force, warnings: warnings, mechanisms: *mechs, priors: priors})
	}
	grid, err := scenarios.ParseGrid(vary)
	if err != nil {
		return err
	}
	measures, err := sweep.ResolveMeasures(*metrics, params)
	if err != nil {
		return err
	}
	window, err := results.Window(params[0], *from, *to)
	if err != nil {
		return err
	}
	periods := results.Years(params[0].Start, params[0].Months) // each year, then "all"
	if window.Label != "all" {
		periods = append(periods, window)
	}
	names := make([]string, len(params))
	for i, p := range params {
		names[i] = p.Name
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("out", "compare", sweep.Folder(names))
	}
	if err := results.CheckDir(dir, *force); err != nil {
		return err
	}
	start := time.Now()
	bar := newProgress(e, "compare", "compare", o.quiet)
	cmp := &sweep.Comparison{Scenarios: params, Grid: grid, Measures: measures,
		Periods: periods, Workers: o.workers, ByDepartment: o.byDepartment, Progress: bar.update}
	if err := cmp.Check(); err != nil {
		return err
	}
	sets, firstRuns, err := cmp.Run(ctx)
	if err := bar.done(ctx, err); err != nil {
		return err
	}
	wall := time.Since(start)

	outputs := []results.Output{{Name: "comparison.csv", Write: func(w io.Writer) error { return results.WriteComparison(w, sets) }}}
	series := ""
	if len(grid) == 0 {
		for i, name := range names {
			outputs = append(outputs, results.Output{Name: "series_" + name + ".csv", Write: func(w io.Writer) error { return results.WriteSeries(w, firstRuns[i]) }})
		}
		series = "series_*.csv, "
	}
	if o.byDepartment {
		diffs, err := results.CompareDepartments(names, firstRuns, periods)
		if err != nil {
			return err
		}
		outputs = append(outputs, results.Output{Name: "comparison_department.csv", Write: func(w io.Writer) error { return results.WriteDepartmentComparison(w, diffs) }})
		for i, name := range names {
			outputs = append(outputs, results.Output{Name: "series_department_" + name + ".csv", Write: func(w io.Writer) error { return results.WriteDepartmentSeries(w, firstRuns[i]) }})
		}
		series += "comparison_department.csv, series_department_*.csv, "
	}
	figures, err := results.ComparisonPlots(ctx, names, firstRuns, sets, window.Label)
	if ctx.Err() != nil {
		return stopped()
	}
	if err != nil {
		return err
	}
	outputs = append(outputs, figures...)
	if len(grid) == 0 { // one figure per question, the three countries in it
		topics, err := results.TopicPlots(ctx, names, firstRuns)
		if err != nil {
			return err
		}
		outputs = append(outputs, topics...)
		figures = append(figures, topics...)
	}
	var mechRows []results.MechanismRow
	if *mechs {
		if mechRows, err = decompose(ctx, e, &o, params, nil, nil, 0, *from, *to); err != nil {
			return err
		}
		outputs = append(outputs, mechanismsOutput(mechRows))
		wall = time.Since(start)
	}
	m := newManifest(e, params[0], o.workers, wall)
	m.Warnings = warnings
	m.Scenario = strings.Join(names, " vs ")
	for _, p := range params[1:] {
		m.Resolved += "\n# ---- " + p.Name + " ----\n" + scenarios.Format(p)
	}
	if err := writeSet(ctx, dir, outputs, m); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %s to %s, %d paired replicates, seed %d\n", strings.Join(names, " vs "),
		params[0].Start, params[0].Start.Add(params[0].Months-1), params[0].Replicates, params[0].Seed)
	fmt.Fprintln(e.stdout, results.IntervalsNote(sets, window.Label))
	for _, set := range sets {
		if err := results.WriteComparisonTable(e.stdout, set, window.Label); err != nil {
			return err
		}
	}
	if err := printMechanisms(e, mechRows); err != nil {
		return err
	}
	if len(grid) == 0 {
		extra := map[string][sim.NumCountries]float64{}
		for _, p := range params[1:] {
			extra[p.Name] = results.ExtraDollars(params[0], p)
		}
		if err := results.WritePerMillionTable(e.stdout, results.PerMillionOfDifferences(sets[0].Diffs, window.Label, extra)); err != nil {
			return err
		}
	}
	if note := results.VariedPlotsNote(sets); note != "" {
		fmt.Fprintf(e.stdout, "\n%s\n", note)
	}
	fmt.Fprintf(e.stdout, "\nwrote %s (comparison.csv, %s%s%d plots, manifest.json)\n", dir, mechanismsFile(mechRows), series, len(figures))
	return nil
}

// posteriorRequest is what compare --posterior was asked: the particles
// file, the draws, the policy window (YYYY-MM, "" for the default) and the
// output folder ("" for the default).
type posteriorRequest struct {
	file     string
	draws    int
	from, to string
	out      string
	force    bool     // replace a result already in out
	warnings []string // for the manifest
	// mechanisms asks for mechanisms.csv as well, at the same draws.
	mechanisms bool
	priors     []sweep.Prior // keys drawn from their prior at each draw
}

// comparePosterior runs A and B over the posterior and writes answer.csv,
// the plot of P(departures rise) and the manifest.
func comparePosterior(ctx context.Context, e *env, o *runOptions, params []*sim.Params, req posteriorRequest) error {
	a, b := params[0], params[1]
	post, err := calibrate.ReadParticles(req.file)
	if err != nil {
		return err
	}
	from, to, why, err := sweep.PolicyWindow(a, b, req.from, req.to)
	if err != nil {
		return err
	}
	horizons, err := results.Horizons(a.Start, a.Months, from, to)
	if err != nil {
		return err
	}
	measures, err := sweep.MeasuresNamed(sweep.PosteriorMeasures)
	if err != nil {
		return err
	}
	dir := req.out
	if dir == "" {
		dir = filepath.Join("out", "compare", sweep.Folder([]string{a.Name, b.Name})+"-posterior")
	}
	if err := results.CheckDir(dir, req.force); err != nil {
		return err
	}
	start := time.Now()
	bar := newProgress(e, "compare", "compare", o.quiet)
	cmp := &sweep.PosteriorComparison{Scenarios: params, Particles: post, Draws: req.draws, Seed: a.Seed, Priors: req.priors,
		Workers: o.workers, Measures: measures, Horizons: horizons, Progress: bar.update}
	effects, err := cmp.Run(ctx) // checks everything before it runs anything
	if err := bar.done(ctx, err); err != nil {
		return err
	}
	wall := time.Since(start)
	const measure = "departures_total"
	chart, err := results.PlotIncrease(effects, measure)
	if err != nil {
		return err
	}
	outputs := []results.Output{{Name: "answer.csv", Write: func(w io.Writer) error { return results.WriteAnswer(w, effects) }}}
	for _, format := range []string{"png", "svg"} {
		outputs = append(outputs, results.Output{Name: "p_increase_" + measure + "." + format, Write: func(w io.Writer) error { return chart.Write(w, format) }})
	}
	plots := len(outputs) - 1
	var mechRows []results.MechanismRow
	if req.mechanisms {
		if mechRows, err = decompose(ctx, e, o, params, post, req.priors, req.draws, req.from, req.to); err != nil {
			return err
		}
		outputs = append(outputs, mechanismsOutput(mechRows))
		wall = time.Since(start)
	}
	m := newManifest(e, a, o.workers, wall)
	m.Warnings = req.warnings
	m.Scenario = a.Name + " vs " + b.Name
	m.Resolved += "\n# ---- " + b.Name + " ----\n" + scenarios.Format(b)
	m.Resolved += fmt.Sprintf("\n# ---- posterior ----\n# %s: %d particles, sha256 %s; %d draws from seed %d; policy window %s to %s\n",
		post.File, post.Len(), post.SHA256, req.draws, a.Seed, from, to)
	for _, pr := range req.priors {
		m.Resolved += fmt.Sprintf("# prior: %s uniform on [%g, %g], drawn for each draw\n", pr.Key, pr.Lo, pr.Hi)
	}
	m.InputHash = results.Hash([]byte(m.Resolved), scenarios.DataHash())
	if err := writeSet(ctx, dir, outputs, m); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s vs %s over the posterior in %s (%d particles): %d draws of %d paired replicates, %s to %s, scale %g, seed %d\n",
		a.Name, b.Name, post.File, post.Len(), req.draws, a.Replicates, a.Start, a.Start.Add(a.Months-1), a.Scale, a.Seed)
	fmt.Fprintf(e.stdout, "policy window %s to %s (%s)\n", from, to, why)
	for _, pr := range req.priors {
		fmt.Fprintf(e.stdout, "prior: %s uniform on [%g, %g], drawn for each draw (not calibrated)\n", pr.Key, pr.Lo, pr.Hi)
	}
	fmt.Fprintf(e.stdout, "note: the credible intervals cover parameter and Monte Carlo uncertainty (the 5%% and 95%% quantiles of the pooled draw x replicate differences); P(increase) is the share of draws whose mean difference over replicates is above 0, within about %.2g (one standard error at most) of its value with endless draws\n\n",
		0.5/math.Sqrt(float64(req.draws)))
	if err := results.WriteAnswerTable(e.stdout, effects, measure); err != nil {
		return err
	}
	if err := results.WritePerMillionTable(e.stdout, results.PerMillionOfEffects(effects, "all", results.ExtraDollars(a, b))); err != nil {
		return err
	}
	if err := printMechanisms(e, mechRows); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nwrote %s (answer.csv, %s%d plots, manifest.json)\n", dir, mechanismsFile(mechRows), plots)
	return nil
}

// flagGiven reports whether the flag was set on the command line.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// loadPaired loads the scenarios and gives them all the run settings of the
// first (after the flags), so that their replicates pair up.
func loadPaired(e *env, fs *flag.FlagSet, o *runOptions, names []string) ([]*sim.Params, error) {
	var params []*sim.Params
	for _, n := range names {
		p, err := loadScenario(n)
		if err != nil {
			return nil, err
		}
		params = append(params, p)
	}
	ref := params[0]
	if err := o.apply(fs, ref); err != nil {
		return nil, err
	}
	changed, err := sweep.Pair(params)
	if err != nil {
		return nil, err
	}
	for _, name := range changed {
		fmt.Fprintf(e.stderr, "note: %s runs with %s's settings (start %s, %d months, scale %g, %d replicates, seed %d) so that replicates pair up\n",
			name, ref.Name, ref.Start, ref.Months, ref.Scale, ref.Replicates, ref.Seed)
	}
	return params, nil
}

// decompose runs compare --mechanisms (sweep.NewDecomposition).
func decompose(ctx context.Context, e *env, o *runOptions, params []*sim.Params, post *calibrate.Particles, priors []sweep.Prior, draws int, from, to string) ([]results.MechanismRow, error) {
	d, err := sweep.NewDecomposition(params, post, draws, from, to, o.workers)
	if err != nil {
		return nil, err
	}
	d.Priors = priors
	bar := newProgress(e, "compare", "mechanisms", o.quiet)
	d.Progress = bar.update
	rows, err := d.Run(ctx)
	return rows, bar.done(ctx, err)
}

// mechanismsOutput is mechanisms.csv.
func mechanismsOutput(rows []results.MechanismRow) results.Output {
	return results.Output{Name: "mechanisms.csv", Write: func(w io.Writer) error { return results.WriteMechanisms(w, rows) }}
}

// mechanismsFile is "mechanisms.csv, " when there are rows, for the list
// of files written.
func mechanismsFile(rows []results.MechanismRow) string {
	if len(rows) == 0 {
		return ""
	}
	return "mechanisms.csv, "
}

// printMechanisms prints the decomposition of departures over the whole
// policy window, if there is one.
func printMechanisms(e *env, rows []results.MechanismRow) error {
	if len(rows) == 0 {
		return nil
	}
	fmt.Fprintln(e.stdout)
	return results.WriteMechanismTable(e.stdout, rows, "departures_total", "all")
}
