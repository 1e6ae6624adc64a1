package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"migrasim/results"
	"migrasim/sensitivity"
	"migrasim/sweep"
)

// SensitivitySeed seeds the bootstrap, so that the output is deterministic.
const SensitivitySeed = 1

// SensitivityRequest is what 'migrasim sensitivity' was asked.
type SensitivityRequest struct {
	Sweep    string // the folder of a merged sweep
	Outcomes string // comma-separated measures or metrics, or all
	// Effect, if set, says what PRIM looks for: outcome > 0 when true,
	// above its median when false. Unset, it looks for > 0 in a
	// comparison sweep (a paired difference) and above the median
	// otherwise.
	Effect *bool
	Dir    string // output folder; "" for Sweep/sensitivity
	Force  bool   // replace a result already in Dir
}

// Sensitivity analyses a merged sweep's runs.csv (Sobol indices, and PRIM
// boxes), writes sobol.csv, prim.csv, the charts and the manifest, then
// the tables to c.Stdout.
func Sensitivity(ctx context.Context, c *Console, req SensitivityRequest) error {
	measures, err := outcomeMeasures(req.Outcomes)
	if err != nil {
		return err
	}
	out := req.Dir
	if out == "" {
		out = filepath.Join(req.Sweep, "sensitivity")
	}
	if err := results.CheckDir(out, req.Force); err != nil {
		return err
	}
	start := time.Now()
	dir := req.Sweep
	pl, err := sweep.ReadPlan(dir)
	if err != nil {
		return fmt.Errorf("sensitivity: %w", err)
	}
	if pl.Header.Kind == sweep.KindPosterior {
		return fmt.Errorf("sensitivity: %s is a posterior sweep: its merge is answer.csv, over draws of the posterior, not a design of keys to attribute the effect to; plan a comparison sweep with a [sweep.sample] instead", dir)
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
	effect := rs.Effect // a paired difference: where does B raise the outcome?
	if req.Effect != nil {
		effect = *req.Effect
	}
	var a *sensitivity.Analysis
	estimator := "first-order indices from the given sample (no totals)"
	if pl.Header.Design == sweep.SampleSaltelli {
		estimator = fmt.Sprintf("first-order and total indices from a Saltelli sample of %d base points", pl.Header.SaltelliN)
		a, err = sensitivity.AnalyseSaltelli(rs, pl.Header.SaltelliN, measures, effect, SensitivitySeed)
	} else {
		a, err = sensitivity.Analyse(rs, measures, effect, SensitivitySeed)
	}
	if err != nil {
		return err
	}
	for _, note := range a.Notes {
		fmt.Fprintf(c.Stderr, "warning: %s\n", note)
	}
	m := &results.Manifest{
		Scenario:    pl.Header.Sweep,
		Seed:        SensitivitySeed,
		Replicates:  pl.Header.Replicates,
		Engine:      pl.Header.Engine,
		Arch:        runtime.GOARCH,
		Go:          runtime.Version(),
		Workers:     1,
		WallSeconds: time.Since(start).Seconds(),
		Command:     c.Command,
		InputHash:   results.Hash(raw),
		Warnings:    a.Notes,
	}
	if err := writeSet(ctx, out, a.Outputs(), m); err != nil {
		return err
	}
	w := c.Stdout
	fmt.Fprintf(w, "%s: %d runs, %d design points, keys %s; %s, 90%% bootstrap intervals (seed %d)\n",
		pl.Header.Sweep, len(rs.Run), pl.Header.Points, strings.Join(rs.Keys, ", "), estimator, SensitivitySeed)
	if rs.Effect {
		fmt.Fprintf(w, "outcomes: the effect of %s against %s (B - A) over %s to %s, averaged over each point's replicates\n",
			pl.Header.Compare[1], pl.Header.Compare[0], pl.Header.From, pl.Header.To)
	}
	sensitivity.WriteSobolTable(w, a.Sobol)
	what := "outcome above its median"
	if effect {
		what = "outcome > 0"
	}
	fmt.Fprintln(w)
	sensitivity.WritePRIMTable(w, a.PRIM, what)
	fmt.Fprintf(w, "wrote %s (sobol.csv, prim.csv, %d charts, manifest.json)\n", out, len(a.Charts))
	return nil
}

// outcomeMeasures parses the list of outcomes: measures of compare or
// metrics, comma-separated, or all.
func outcomeMeasures(list string) ([]results.Measure, error) {
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
