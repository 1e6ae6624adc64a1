package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
	"migrasim/sweep"
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
		dir = filepath.Join("out", "compare", compareFolder(names))
	}
	if err := results.CheckDir(dir); err != nil {
		return err
	}
	start := time.Now()
	bar := newProgress(e, "compare", o.quiet)
	cmp := &sweep.Comparison{Scenarios: params, Key: key, Values: values, Measures: results.CompareMeasures,
		Periods: periods, Workers: o.workers, Progress: bar.update}
	if err := cmp.Check(); err != nil {
		return err
	}
	sets, firstRuns, err := cmp.Run(ctx)
	bar.finish()
	if ctx.Err() != nil {
		return stopped()
	}
	if err != nil {
		return err
	}
	wall := time.Since(start)

	outputs := []results.Output{{Name: "comparison.csv", Write: func(w io.Writer) error { return results.WriteComparison(w, sets) }}}
	figures, err := results.ComparisonPlots(ctx, names, firstRuns, sets, window.Label)
	if ctx.Err() != nil {
		return stopped()
	}
	if err != nil {
		return err
	}
	outputs = append(outputs, figures...)
	m := newManifest(e, params[0], o.workers, wall)
	m.Scenario = strings.Join(names, " vs ")
	for _, p := range params[1:] {
		m.Resolved += "\n# ---- " + p.Name + " ----\n" + scenarios.Format(p)
	}
	if err := writeSet(ctx, dir, outputs, m); err != nil {
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

// compareFolder names the folder of a comparison: the names joined by
// "-vs-", or, when that would be too long for a file name, the first name
// and how many others.
func compareFolder(names []string) string {
	if s := strings.Join(names, "-vs-"); len(s) <= 120 {
		return s
	}
	return fmt.Sprintf("%s-vs-%d-others", names[0], len(names)-1)
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

// parseVary parses KEY=V1,V2,... for a number key; with no --vary it
// returns no key.
func parseVary(s string) (string, []any, error) {
	if s == "" {
		return "", nil, nil
	}
	key, list, ok := strings.Cut(s, "=")
	if !ok || key == "" || list == "" {
		return "", nil, fmt.Errorf("--vary %q: want KEY=V1,V2,... (e.g. feedback.strength=0,0.4,0.8)", s)
	}
	if k, ok := scenarios.Lookup(key); ok && k.Type != "number" && k.Type != "whole number" {
		return "", nil, fmt.Errorf("--vary %s: a %s key; --vary takes number keys, whose differences it plots against the value (compare scenario files for the others)", key, k.Type)
	}
	texts := strings.Split(list, ",")
	values, err := scenarios.ParseValues(key, texts)
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	for i := range values {
		for j := range i {
			if values[i] == values[j] {
				errs = append(errs, fmt.Errorf("%s = %v is given twice", key, values[i]))
			}
		}
	}
	if len(errs) > 0 {
		return "", nil, fmt.Errorf("--vary: %w", errors.Join(errs...))
	}
	return key, values, nil
}
