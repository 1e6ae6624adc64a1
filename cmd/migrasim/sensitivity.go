package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"migrasim/results"
	"migrasim/sensitivity"
	"migrasim/sim"
	"migrasim/sweep"
)

func init() {
	register(command{name: "sensitivity", usage: "DIR [--outcome NAME,...] [--effect] [--out DIR/sensitivity]",
		summary: "which swept keys drive a merged sweep's outcomes (Sobol indices) and where (PRIM)",
		run:     runSensitivity})
}

const sensitivityDetails = `
Reads DIR/merged/runs.csv, written by 'migrasim sweep merge DIR', averages
each outcome over the replicates of each design point, and for each outcome
and country:

  - estimates the first-order Sobol index S1 of every swept key from the
    given sample (sensitivity.GivenData: bins of equal count on each key,
    about sqrt(points) of them), with a 90% percentile bootstrap interval
    of 500 resamples drawn from the fixed seed 1, so the output is the same
    on every run. A key with no effect gets an S1 near zero, possibly
    negative. There is no total index (ST is NA): that needs a Saltelli
    design, which 'sweep plan' does not yet produce. The intervals cover
    the estimator's sampling error over the design points only, and a
    table of many of them holds some that miss by chance (about 1 in 10);
  - runs PRIM (patient rule induction) on "outcome above its median over
    the points", or with --effect on "outcome > 0" (for an outcome that is
    a paired difference), peeling 5% of the box a step down to 5% of the
    points.

Writes to --out (default DIR/sensitivity):

  sobol.csv        outcome,country,key,S1,S1_lo,S1_hi,ST,ST_lo,ST_hi
  prim.csv         the peeling trajectories: per step and key, the box's
                   bounds, coverage, density, mass and points
  sobol_OUTCOME_COUNTRY.png, prim_OUTCOME_COUNTRY.png
  manifest.json

An outcome is a measure of 'migrasim compare' (such as departures_total,
the sum of the three departure metrics) or a metric, over the whole run as
in runs.csv (flows summed, stocks at the end, rates averaged); "all" means
every one. A design point with an NA outcome is left out of that outcome.
Every swept key must be numeric.`

// sensitivitySeed seeds the bootstrap, so that the output is deterministic.
const sensitivitySeed = 1

func runSensitivity(ctx context.Context, e *env, args []string) error {
	fs := newFlags(find("sensitivity"), e, sensitivityDetails)
	outcomeList := fs.String("outcome", "departures_total", "comma-separated measures or metrics, or all")
	effect := fs.Bool("effect", false, "PRIM looks for outcome > 0 instead of outcome above its median")
	out := fs.String("out", "", "output folder (default DIR/sensitivity)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("sensitivity: want the folder of a merged sweep, got %d arguments", len(pos))
	}
	dir := pos[0]
	measures, err := sensitivityMeasures(*outcomeList)
	if err != nil {
		return err
	}
	if *out == "" {
		*out = filepath.Join(dir, "sensitivity")
	}
	if err := results.CheckDir(*out); err != nil {
		return err
	}
	start := time.Now()
	pl, err := sweep.ReadPlan(dir)
	if err != nil {
		return fmt.Errorf("sensitivity: %w", err)
	}
	name := filepath.Join(dir, "merged", sweep.MergedRuns)
	raw, err := os.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("sensitivity: %s does not exist: run 'migrasim sweep merge %s' first", name, dir)
	}
	if err != nil {
		return fmt.Errorf("sensitivity: %w", err)
	}
	rs, err := sensitivity.ReadRuns(bytes.NewReader(raw), name)
	if err != nil {
		return fmt.Errorf("sensitivity: %w", err)
	}
	a, err := analyse(rs, measures, *effect)
	if err != nil {
		return err
	}
	for _, note := range a.notes {
		fmt.Fprintf(e.stderr, "warning: %s\n", note)
	}
	m := &results.Manifest{
		Scenario:    pl.Header.Sweep,
		Seed:        sensitivitySeed,
		Replicates:  pl.Header.Replicates,
		Engine:      pl.Header.Engine,
		Arch:        runtime.GOARCH,
		Go:          runtime.Version(),
		Workers:     1,
		WallSeconds: time.Since(start).Seconds(),
		Command:     e.command(),
		InputHash:   results.Hash(raw),
		Warnings:    a.notes,
	}
	if err := writeSet(ctx, *out, a.outputs(), m); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d runs, %d design points, keys %s; first-order indices from the given sample (no totals), 90%% bootstrap intervals (seed %d)\n",
		pl.Header.Sweep, len(rs.Run), pl.Header.Points, strings.Join(rs.Keys, ", "), sensitivitySeed)
	printSobol(e.stdout, a.sobol)
	fmt.Fprintf(e.stdout, "wrote %s (sobol.csv, prim.csv, %d charts, manifest.json)\n", *out, len(a.charts))
	return nil
}

// sensitivityMeasures parses --outcome.
func sensitivityMeasures(list string) ([]results.Measure, error) {
	if list == "all" {
		return results.AllMeasures(), nil
	}
	var out []results.Measure
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		m, ok := results.MeasureNamed(name)
		if !ok {
			return nil, fmt.Errorf("sensitivity: --outcome %q is neither a measure of 'migrasim compare' (such as departures_total) nor a metric\nRun 'migrasim help sensitivity' for the outcomes", name)
		}
		out = append(out, m)
	}
	return out, nil
}

// analysis is what sensitivity computes, ready to write.
type analysis struct {
	sobol  []sensitivity.SobolRow
	prim   []sensitivity.PRIMRow
	charts map[string]*sensitivity.Chart // by file name
	notes  []string
}

// analyse computes the indices and PRIM boxes of each measure in each country.
func analyse(rs *sensitivity.Runs, measures []results.Measure, effect bool) (*analysis, error) {
	a := &analysis{charts: map[string]*sensitivity.Chart{}}
	for _, m := range measures {
		for c := sim.Country(0); c < sim.NumCountries; c++ {
			y, err := measureColumn(rs, c, m)
			if err != nil {
				return nil, err
			}
			X, means, dropped, err := rs.PointMeans(y)
			if err != nil {
				return nil, fmt.Errorf("sensitivity: %w", err)
			}
			what := m.Name + " in " + c.Code()
			if dropped > 0 {
				a.notes = append(a.notes, fmt.Sprintf("%s: %d design points left out (NA)", what, dropped))
			}
			// A fresh stream per outcome and country, so that each one's
			// intervals do not depend on which others were asked for.
			src := rand.New(rand.NewPCG(sensitivitySeed, 0))
			ix, err := sensitivity.GivenData(X, means, 0, sensitivity.Bootstrap{Src: src})
			if err != nil {
				a.notes = append(a.notes, fmt.Sprintf("%s: no indices: %v", what, err))
				continue
			}
			for i, key := range rs.Keys {
				a.sobol = append(a.sobol, sensitivity.SobolRow{Outcome: m.Name, Country: c.Code(), Key: key, Indices: ix[i]})
			}
			base := m.Name + "_" + c.Code()
			if a.charts["sobol_"+base+".png"], err = sensitivity.PlotSobol(what, rs.Keys, ix); err != nil {
				return nil, fmt.Errorf("sensitivity: plotting %s: %w", what, err)
			}
			t, err := sensitivity.FindBox(X, holds(means, effect), sensitivity.PRIM{})
			if err != nil {
				a.notes = append(a.notes, fmt.Sprintf("%s: no PRIM box: %v", what, err))
				continue
			}
			a.prim = append(a.prim, sensitivity.PRIMRow{Outcome: m.Name, Country: c.Code(), Keys: rs.Keys, Trajectory: t})
			if a.charts["prim_"+base+".png"], err = sensitivity.PlotTrajectory(what, t); err != nil {
				return nil, fmt.Errorf("sensitivity: plotting %s: %w", what, err)
			}
		}
	}
	return a, nil
}

// measureColumn returns the measure in country c over the runs: the sum of
// its metrics' columns.
func measureColumn(rs *sensitivity.Runs, c sim.Country, m results.Measure) ([]float64, error) {
	var sum []float64
	for _, x := range m.Metrics {
		y, err := rs.Outcome(c.Code() + "_" + x.Name())
		if err != nil {
			return nil, fmt.Errorf("sensitivity: %w", err)
		}
		if sum == nil {
			sum = y
			continue
		}
		for k := range sum {
			sum[k] += y[k]
		}
	}
	return sum, nil
}

// holds says where the outcome is above its median over the points, or
// above zero with effect.
func holds(y []float64, effect bool) []bool {
	var cut float64
	if !effect {
		s := slices.Sorted(slices.Values(y))
		n := len(s)
		cut = (s[(n-1)/2] + s[n/2]) / 2
	}
	out := make([]bool, len(y))
	for k, v := range y {
		out[k] = v > cut
	}
	return out
}

func (a *analysis) outputs() []results.Output {
	outputs := []results.Output{
		{Name: "sobol.csv", Write: func(w io.Writer) error { return sensitivity.WriteSobol(w, a.sobol) }},
		{Name: "prim.csv", Write: func(w io.Writer) error { return sensitivity.WritePRIM(w, a.prim) }},
	}
	names := make([]string, 0, len(a.charts))
	for name := range a.charts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		c := a.charts[name]
		outputs = append(outputs, results.Output{Name: name, Write: func(w io.Writer) error { return c.Write(w, "png") }})
	}
	return outputs
}

// printSobol prints the first-order indices as a table.
func printSobol(w io.Writer, rows []sensitivity.SobolRow) {
	width := len("key")
	for _, r := range rows {
		width = max(width, len(r.Key))
	}
	fmt.Fprintf(w, "%-20s %-7s %-*s %8s %18s\n", "outcome", "country", width, "key", "S1", "90% interval")
	for _, r := range rows {
		fmt.Fprintf(w, "%-20s %-7s %-*s %8.3f   [%6.3f, %6.3f]\n", r.Outcome, r.Country, width, r.Key, r.S1.Est, r.S1.Lo, r.S1.Hi)
	}
}
