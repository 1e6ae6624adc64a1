package main

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

func init() {
	register(command{name: "sensitivity", usage: "DIR [--outcome NAME,...] [--effect] [--out DIR/sensitivity] [--force]",
		summary: "which swept keys drive a merged sweep's outcomes (Sobol indices) and where (PRIM)",
		run:     runSensitivity})
}

// sensitivitySeed seeds the bootstrap, so that the output is deterministic.
const sensitivitySeed = 1

func runSensitivity(ctx context.Context, e *env, args []string) error {
	fs := newFlags(find("sensitivity"), e, details("sensitivity"))
	outcomeList := fs.String("outcome", "departures_total", "comma-separated measures or metrics, or all")
	effect := fs.Bool("effect", false, "PRIM looks for outcome > 0 instead of outcome above its median (the default for a comparison sweep)")
	out := fs.String("out", "", "output folder (default DIR/sensitivity)")
	force := fs.Bool("force", false, "replace a result already in the output folder (without it, such a folder is refused)")
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
	if err := results.CheckDir(*out, *force); err != nil {
		return err
	}
	start := time.Now()
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
	if rs.Effect && !flagGiven(fs, "effect") {
		*effect = true // a paired difference: where does B raise the outcome?
	}
	var a *sensitivity.Analysis
	estimator := "first-order indices from the given sample (no totals)"
	if pl.Header.Design == sweep.SampleSaltelli {
		estimator = fmt.Sprintf("first-order and total indices from a Saltelli sample of %d base points", pl.Header.SaltelliN)
		a, err = sensitivity.AnalyseSaltelli(rs, pl.Header.SaltelliN, measures, *effect, sensitivitySeed)
	} else {
		a, err = sensitivity.Analyse(rs, measures, *effect, sensitivitySeed)
	}
	if err != nil {
		return err
	}
	for _, note := range a.Notes {
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
		Warnings:    a.Notes,
	}
	if err := writeSet(ctx, *out, a.Outputs(), m); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d runs, %d design points, keys %s; %s, 90%% bootstrap intervals (seed %d)\n",
		pl.Header.Sweep, len(rs.Run), pl.Header.Points, strings.Join(rs.Keys, ", "), estimator, sensitivitySeed)
	if rs.Effect {
		fmt.Fprintf(e.stdout, "outcomes: the effect of %s against %s (B - A) over %s to %s, averaged over each point's replicates\n",
			pl.Header.Compare[1], pl.Header.Compare[0], pl.Header.From, pl.Header.To)
	}
	sensitivity.WriteSobolTable(e.stdout, a.Sobol)
	what := "outcome above its median"
	if *effect {
		what = "outcome > 0"
	}
	fmt.Fprintln(e.stdout)
	sensitivity.WritePRIMTable(e.stdout, a.PRIM, what)
	fmt.Fprintf(e.stdout, "wrote %s (sobol.csv, prim.csv, %d charts, manifest.json)\n", *out, len(a.Charts))
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
