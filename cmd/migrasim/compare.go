package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
)

func init() {
	register(command{
		name:    "compare",
		usage:   "A B [C...] [--replicates N] [--seed N] [--scale F] [--months N] [--from YYYY-MM --to YYYY-MM] [--vary KEY=V1,V2,...] [--out DIR]",
		summary: "compare scenarios with common random numbers: paired differences with 95% intervals",
		run:     runCompare,
	})
}

const compareDetails = `
Runs every scenario with the same start, months, scale, replicates and seed
(taken from A, then from the flags), so replicate r of each scenario uses
the same random streams as replicate r of A. For each country and key
measure it reports each scenario's mean and its paired difference to A with
a 95% confidence interval and the share of replicates whose difference has
the same sign. The table covers --from..--to (default: the whole run);
comparison.csv also has every calendar year. --vary repeats the whole
comparison for each value of one scenario key (e.g. feedback.strength=0,0.4,0.8)
and plots the differences against it.

Writes comparison.csv, manifest.json and plots (PNG and SVG): the monthly
series with 95% bands and the paired differences, per country.`

// plotMeasures are the measures plotted by compare.
var plotMeasures = []string{"departures_total", "homicide_rate", "us_removals_total", "returnees", "stock_us_undocumented"}

func runCompare(ctx context.Context, e *env, args []string) error {
	var o runOptions
	fs := newFlags(find("compare"), e, compareDetails)
	addRunFlags(fs, &o)
	from := fs.String("from", "", "first month of the reported window, YYYY-MM (default: the start)")
	to := fs.String("to", "", "last month of the reported window, YYYY-MM (default: the end)")
	vary := fs.String("vary", "", "repeat the comparison for each value of a scenario key: KEY=V1,V2,...")
	out := fs.String("out", "", "output folder (default: out/compare/A-vs-B...)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return fmt.Errorf("compare: want two or more scenarios, got %d (see 'migrasim help compare')", len(pos))
	}
	params, err := loadPaired(e, fs, &o, pos)
	if err != nil {
		return err
	}
	key, values, err := parseVary(*vary)
	if err != nil {
		return err
	}
	for _, v := range values { // check every value before running any
		if key != "" {
			p := *params[0]
			if err := scenarios.Apply(&p, map[string]any{key: v}); err != nil {
				return fmt.Errorf("--vary: %w", err)
			}
		}
	}
	window, err := windowPeriod(params[0], *from, *to)
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

	start := time.Now()
	total := len(values) * len(params) * params[0].Replicates * (params[0].Months + 12)
	bar := newProgress(e, "compare", o.quiet)
	done := 0
	var sets []results.VariedDifferences
	var firstRuns [][]sim.Series
	for _, v := range values {
		runs := make([][]sim.Series, len(params))
		for i, base := range params {
			p := *base
			if key != "" {
				if err := scenarios.Apply(&p, map[string]any{key: v}); err != nil {
					return fmt.Errorf("--vary: %w", err)
				}
			}
			offset := done
			runs[i], err = sim.Run(ctx, &p, sim.Options{Workers: o.workers, Progress: func(d, _ int) { bar.update(offset+d, total) }})
			if ctx.Err() != nil {
				bar.finish()
				return errors.New("interrupted: nothing was written")
			}
			if err != nil {
				bar.finish()
				return fmt.Errorf("scenario %s: %w", p.Name, err)
			}
			done += p.Replicates * (p.Months + 12)
		}
		diffs, err := results.Compare(names, runs, results.CompareMeasures, periods)
		if err != nil {
			return err
		}
		sets = append(sets, results.VariedDifferences{Key: key, Value: formatValue(v), Diffs: diffs})
		if firstRuns == nil {
			firstRuns = runs
		}
	}
	bar.finish()
	wall := time.Since(start)

	dir := *out
	if dir == "" {
		dir = filepath.Join("out", "compare", strings.Join(names, "-vs-"))
	}
	outputs := []results.Output{{Name: "comparison.csv", Write: func(w io.Writer) error { return results.WriteComparison(w, sets) }}}
	figures, err := comparisonPlots(names, firstRuns, sets, window.Label)
	if err != nil {
		return err
	}
	outputs = append(outputs, figures...)
	m := newManifest(e, params[0], o.workers, wall)
	m.Scenario = strings.Join(names, " vs ")
	for _, p := range params[1:] {
		m.Resolved += "\n# ---- " + p.Name + " ----\n" + scenarios.Format(p)
	}
	if err := results.WriteSet(dir, outputs, m); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %s to %s, %d paired replicates, seed %d\n", strings.Join(names, " vs "),
		params[0].Start, params[0].Start.Add(params[0].Months-1), params[0].Replicates, params[0].Seed)
	for _, set := range sets {
		if err := results.WriteComparisonTable(e.stdout, set, window.Label); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "\nwrote %s (comparison.csv, %d plots, manifest.json)\n", dir, len(figures))
	return nil
}

// loadPaired loads the scenarios and gives them all the run settings of the
// first (after the flags), so that their replicates pair up.
func loadPaired(e *env, fs *flag.FlagSet, o *runOptions, names []string) ([]*sim.Params, error) {
	var params []*sim.Params
	for _, n := range names {
		p, err := scenarios.Load(n)
		if err != nil {
			return nil, err
		}
		params = append(params, p)
	}
	ref := params[0]
	if err := o.apply(fs, ref); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, p := range params {
		if seen[p.Name] {
			return nil, fmt.Errorf("compare: scenario %s given twice", p.Name)
		}
		seen[p.Name] = true
		if p == ref {
			continue
		}
		if p.Start != ref.Start || p.Months != ref.Months || p.Scale != ref.Scale || p.Replicates != ref.Replicates || p.Seed != ref.Seed {
			fmt.Fprintf(e.stderr, "note: %s runs with %s's settings (start %s, %d months, scale %g, %d replicates, seed %d) so that replicates pair up\n",
				p.Name, ref.Name, ref.Start, ref.Months, ref.Scale, ref.Replicates, ref.Seed)
		}
		p.Start, p.Months, p.Scale, p.Replicates, p.Seed = ref.Start, ref.Months, ref.Scale, ref.Replicates, ref.Seed
		if err := scenarios.Check(p); err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
	}
	return params, nil
}

// parseVary parses KEY=V1,V2,...; with no --vary it returns one nil value.
func parseVary(s string) (string, []any, error) {
	if s == "" {
		return "", []any{nil}, nil
	}
	key, list, ok := strings.Cut(s, "=")
	if !ok || key == "" || list == "" {
		return "", nil, fmt.Errorf("--vary %q: want KEY=V1,V2,... (e.g. feedback.strength=0,0.4,0.8)", s)
	}
	var values []any
	for _, v := range strings.Split(list, ",") {
		v = strings.TrimSpace(v)
		switch {
		case v == "true" || v == "false":
			values = append(values, v == "true")
		default:
			if i, err := strconv.ParseInt(v, 10, 64); err == nil {
				values = append(values, i)
			} else if f, err := strconv.ParseFloat(v, 64); err == nil {
				values = append(values, f)
			} else {
				values = append(values, v)
			}
		}
	}
	return key, values, nil
}

func formatValue(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// windowPeriod is the reported window: --from..--to, or the whole run.
func windowPeriod(p *sim.Params, from, to string) (results.Period, error) {
	w := results.Period{Label: "all", From: 0, To: p.Months}
	if from == "" && to == "" {
		return w, nil
	}
	first, last := p.Start, p.Start.Add(p.Months-1)
	var err error
	if from != "" {
		if first, err = sim.ParseMonth(from); err != nil {
			return w, fmt.Errorf("--from: %w", err)
		}
	}
	if to != "" {
		if last, err = sim.ParseMonth(to); err != nil {
			return w, fmt.Errorf("--to: %w", err)
		}
	}
	if first < p.Start || last >= p.End() || last < first {
		return w, fmt.Errorf("--from %s --to %s: want a window inside the run, %s to %s", first, last, p.Start, p.End()-1)
	}
	return results.Period{Label: first.String() + ".." + last.String(), From: int(first - p.Start), To: int(last-p.Start) + 1}, nil
}

// comparisonPlots draws the series and paired differences of the plotted
// measures, and with --vary the window's difference against the varied value.
func comparisonPlots(names []string, runs [][]sim.Series, sets []results.VariedDifferences, window string) ([]results.Output, error) {
	var outs []results.Output
	add := func(name string, f *results.Figure) {
		for _, format := range []string{"png", "svg"} {
			outs = append(outs, results.Output{Name: name + "." + format, Write: func(w io.Writer) error { return f.Write(w, format) }})
		}
	}
	for _, mname := range plotMeasures {
		m := measureNamed(mname)
		if len(sets) == 1 {
			f, err := results.PlotSeries(names, runs, m)
			if err != nil {
				return nil, err
			}
			add("series_"+mname, f)
			f, err = results.PlotDifference(names, runs, m)
			if err != nil {
				return nil, err
			}
			add("difference_"+mname, f)
			continue
		}
		f, err := results.PlotVaried(sets, m, window)
		if err != nil {
			return nil, err
		}
		add("varied_"+mname, f)
	}
	return outs, nil
}

func measureNamed(name string) results.Measure {
	for _, m := range results.CompareMeasures {
		if m.Name == name {
			return m
		}
	}
	panic("compare: no measure " + name)
}
