package report

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"migrasim/calibrate"
	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
	"migrasim/sweep"
)

// CompareRequest is what 'migrasim compare' was asked. Its fields are the
// command's flags; Scenarios are the scenarios compared, A first, loaded
// with the settings of the command line applied to A.
type CompareRequest struct {
	Scenarios []*sim.Params
	Workers   int
	From, To  string   // the reported window, YYYY-MM; "" for the start and the end
	Vary      []string // KEY=V1,V2,... for each varied key (--vary)
	Metrics   string   // what to compare (--metrics); "" for the default
	// Posterior is the particles file to compare over; "" for the
	// comparison at the scenarios' own keys.
	Posterior  string
	Draws      int           // posterior draws (--draws)
	DrawsGiven bool          // --draws was given; it is refused without Posterior
	Priors     []sweep.Prior // keys drawn from their prior at each draw (--prior)
	// Mechanisms also decomposes B's effect on departures by mechanism.
	Mechanisms   bool
	ByDepartment bool   // --by department
	Dir          string // output folder; "" for out/compare/A-vs-B...
	Force        bool   // replace a result already in Dir
}

// Check refuses the combinations of flags that compare does not take, in
// words that name the flags. It needs only the number of scenarios, n.
func (r *CompareRequest) Check(n int) error {
	if r.ByDepartment && (len(r.Vary) > 0 || r.Posterior != "") {
		return fmt.Errorf("compare --by department: compares the scenarios at their own keys; leave out --vary and --posterior")
	}
	if r.Mechanisms && (n != 2 || len(r.Vary) > 0) {
		return fmt.Errorf("compare --mechanisms: decomposes the effect of B against A: give two scenarios and no --vary")
	}
	switch {
	case r.Posterior == "" && r.DrawsGiven:
		return fmt.Errorf("--draws: only with --posterior FILE")
	case r.Posterior == "" && len(r.Priors) > 0:
		return fmt.Errorf("--prior: only with --posterior FILE")
	case r.Posterior == "":
		return nil
	case n != 2:
		return fmt.Errorf("compare --posterior: compares two scenarios, A and B; got %d", n)
	case len(r.Vary) > 0:
		return fmt.Errorf("compare --posterior: the posterior varies the calibrated keys; leave out --vary %s", strings.Join(r.Vary, " --vary "))
	case r.Metrics != "":
		return fmt.Errorf("compare --posterior: compares the measures of the answer table; leave out --metrics %s", r.Metrics)
	case r.Draws < 1 || r.Draws > sweep.MaxDraws:
		return fmt.Errorf("--draws %d: want 1 to %d", r.Draws, sweep.MaxDraws)
	}
	return nil
}

// Compare pairs the scenarios (sweep.Pair: they all run with A's
// settings), runs the comparison and writes comparison.csv, the series,
// the plots and the manifest (or, with Posterior, answer.csv and its plot),
// then the tables of the differences to c.Stdout.
func Compare(ctx context.Context, c *Console, req CompareRequest) error {
	if err := req.Check(len(req.Scenarios)); err != nil {
		return err
	}
	params := req.Scenarios
	changed, err := sweep.Pair(params)
	if err != nil {
		return err
	}
	ref := params[0]
	for _, name := range changed {
		fmt.Fprintf(c.Stderr, "note: %s runs with %s's settings (start %s, %d months, scale %g, %d replicates, seed %d) so that replicates pair up\n",
			name, ref.Name, ref.Start, ref.Months, ref.Scale, ref.Replicates, ref.Seed)
	}
	var warnings []string
	for _, p := range params {
		warnings = append(warnings, c.Warn(p)...)
	}
	if req.Posterior != "" {
		return comparePosterior(ctx, c, req, warnings)
	}
	grid, err := scenarios.ParseGrid(req.Vary)
	if err != nil {
		return err
	}
	measures, err := sweep.ResolveMeasures(req.Metrics, params)
	if err != nil {
		return err
	}
	window, err := results.Window(ref, req.From, req.To)
	if err != nil {
		return err
	}
	periods := results.Years(ref.Start, ref.Months) // each year, then "all"
	if window.Label != "all" {
		periods = append(periods, window)
	}
	names := make([]string, len(params))
	for i, p := range params {
		names[i] = p.Name
	}
	dir := req.Dir
	if dir == "" {
		dir = filepath.Join("out", "compare", sweep.Folder(names))
	}
	if err := results.CheckDir(dir, req.Force); err != nil {
		return err
	}
	start := time.Now()
	bar := c.progress("compare", "compare")
	cmp := &sweep.Comparison{Scenarios: params, Grid: grid, Measures: measures,
		Periods: periods, Workers: req.Workers, ByDepartment: req.ByDepartment, Progress: bar.update}
	if err := cmp.Check(); err != nil {
		return err
	}
	sets, firstRuns, err := cmp.Run(ctx)
	if err := bar.done(ctx, err); err != nil {
		return err
	}
	outputs, files, err := comparisonOutputs(ctx, names, sets, firstRuns, periods, window.Label, len(grid) > 0, req.ByDepartment)
	if ctx.Err() != nil {
		return Stopped()
	}
	if err != nil {
		return err
	}
	mechRows, outputs, err := withMechanisms(ctx, c, req, nil, outputs)
	if err != nil {
		return err
	}
	m := c.comparisonManifest(params, req.Workers, time.Since(start), warnings)
	if err := writeSet(ctx, dir, outputs, m); err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "%s: %s to %s, %d paired replicates, seed %d\n", strings.Join(names, " vs "),
		ref.Start, ref.Start.Add(ref.Months-1), ref.Replicates, ref.Seed)
	fmt.Fprintln(c.Stdout, results.IntervalsNote(sets, window.Label))
	for _, set := range sets {
		if err := results.WriteComparisonTable(c.Stdout, set, window.Label); err != nil {
			return err
		}
	}
	if err := printMechanisms(c.Stdout, mechRows); err != nil {
		return err
	}
	if len(grid) == 0 {
		extra := map[string][sim.NumCountries]float64{}
		for _, p := range params[1:] {
			extra[p.Name] = results.ExtraDollars(ref, p)
		}
		if err := results.WritePerMillionTable(c.Stdout, results.PerMillionOfDifferences(sets[0].Diffs, window.Label, extra)); err != nil {
			return err
		}
	}
	if note := results.VariedPlotsNote(sets); note != "" {
		fmt.Fprintf(c.Stdout, "\n%s\n", note)
	}
	fmt.Fprintf(c.Stdout, "\nwrote %s (comparison.csv, %s%s, manifest.json)\n", dir, mechanismsFile(mechRows), files)
	return nil
}

// withMechanisms, when req asks for the mechanisms, decomposes B's effect
// (over post, or at the scenarios' keys when post is nil) and adds
// mechanisms.csv to outputs.
func withMechanisms(ctx context.Context, c *Console, req CompareRequest, post *calibrate.Particles, outputs []results.Output) ([]results.MechanismRow, []results.Output, error) {
	if !req.Mechanisms {
		return nil, outputs, nil
	}
	rows, err := decompose(ctx, c, req, post)
	if err != nil {
		return nil, nil, err
	}
	return rows, append(outputs, mechanismsOutput(rows)), nil
}

// comparisonManifest records a comparison: the first scenario's run and
// settings, the warnings, and every other scenario resolved after it.
func (c *Console) comparisonManifest(params []*sim.Params, workers int, wall time.Duration, warnings []string) *results.Manifest {
	m := c.manifest(params[0], workers, wall)
	m.Warnings = warnings
	for _, p := range params[1:] {
		m.Scenario += " vs " + p.Name
		m.Resolved += "\n# ---- " + p.Name + " ----\n" + scenarios.Format(p)
	}
	return m
}

// comparisonOutputs lists the files of a comparison's result set (without
// mechanisms.csv), and describes them for the line that says what was
// written: "series_*.csv, ..., 16 plots". firstRuns holds each scenario's
// series at the first point of the grid; a comparison with varied keys
// writes no series and no figure per question.
func comparisonOutputs(ctx context.Context, names []string, sets []results.VariedDifferences, firstRuns [][]sim.Series,
	periods []results.Period, window string, varied, byDepartment bool) ([]results.Output, string, error) {
	outputs := []results.Output{{Name: "comparison.csv", Write: func(w io.Writer) error { return results.WriteComparison(w, sets) }}}
	files := ""
	if !varied {
		for i, name := range names {
			outputs = append(outputs, results.Output{Name: "series_" + name + ".csv", Write: func(w io.Writer) error { return results.WriteSeries(w, firstRuns[i]) }})
		}
		files = "series_*.csv, "
	}
	if byDepartment {
		diffs, err := results.CompareDepartments(names, firstRuns, periods)
		if err != nil {
			return nil, "", err
		}
		outputs = append(outputs, results.Output{Name: "comparison_department.csv", Write: func(w io.Writer) error { return results.WriteDepartmentComparison(w, diffs) }})
		for i, name := range names {
			outputs = append(outputs, results.Output{Name: "series_department_" + name + ".csv", Write: func(w io.Writer) error { return results.WriteDepartmentSeries(w, firstRuns[i]) }})
		}
		files += "comparison_department.csv, series_department_*.csv, "
	}
	figures, err := results.ComparisonPlots(ctx, names, firstRuns, sets, window)
	if err != nil {
		return nil, "", err
	}
	if !varied { // one figure per question, the three countries in it
		topics, err := results.TopicPlots(ctx, names, firstRuns)
		if err != nil {
			return nil, "", err
		}
		figures = append(figures, topics...)
	}
	outputs = append(outputs, figures...)
	return outputs, files + fmt.Sprintf("%d plots", len(figures)), nil
}
