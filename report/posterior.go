package report

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"time"

	"migrasim/calibrate"
	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sweep"
)

// comparePosterior runs A and B over the posterior and writes answer.csv,
// the plot of P(departures rise) and the manifest (and mechanisms.csv when
// asked), then the answer table.
func comparePosterior(ctx context.Context, c *Console, req CompareRequest, warnings []string) error {
	a, b := req.Scenarios[0], req.Scenarios[1]
	post, err := calibrate.ReadParticles(req.Posterior)
	if err != nil {
		return err
	}
	from, to, why, err := sweep.PolicyWindow(a, b, req.From, req.To)
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
	dir := req.Dir
	if dir == "" {
		dir = filepath.Join("out", "compare", sweep.Folder([]string{a.Name, b.Name})+"-posterior")
	}
	if err := results.CheckDir(dir, req.Force); err != nil {
		return err
	}
	start := time.Now()
	bar := c.progress("compare", "compare")
	cmp := &sweep.PosteriorComparison{Scenarios: req.Scenarios, Particles: post, Draws: req.Draws, Seed: a.Seed, Priors: req.Priors,
		Workers: req.Workers, Measures: measures, Horizons: horizons, Progress: bar.update}
	effects, err := cmp.Run(ctx) // checks everything before it runs anything
	if err := bar.done(ctx, err); err != nil {
		return err
	}
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
	mechRows, outputs, err := withMechanisms(ctx, c, req, post, outputs)
	if err != nil {
		return err
	}
	m := c.comparisonManifest(req.Scenarios, req.Workers, time.Since(start), warnings)
	m.Resolved += fmt.Sprintf("\n# ---- posterior ----\n# %s: %d particles, sha256 %s; %d draws from seed %d; policy window %s to %s\n",
		post.File, post.Len(), post.SHA256, req.Draws, a.Seed, from, to)
	for _, pr := range req.Priors {
		m.Resolved += fmt.Sprintf("# prior: %s uniform on [%g, %g], drawn for each draw\n", pr.Key, pr.Lo, pr.Hi)
	}
	kept, keptKeys := sweep.KeptWindows(req.Scenarios, post.Keys)
	if len(kept) > 0 {
		m.Resolved += fmt.Sprintf("# %s keep their own policy windows; not set on them: %s\n", strings.Join(kept, ", "), strings.Join(keptKeys, ", "))
	}
	m.InputHash = results.Hash([]byte(m.Resolved), scenarios.DataHash())
	if err := writeSet(ctx, dir, outputs, m); err != nil {
		return err
	}
	w := c.Stdout
	fmt.Fprintf(w, "%s vs %s over the posterior in %s (%d particles): %d draws of %d paired replicates, %s to %s, scale %g, seed %d\n",
		a.Name, b.Name, post.File, post.Len(), req.Draws, a.Replicates, a.Start, a.Start.Add(a.Months-1), a.Scale, a.Seed)
	fmt.Fprintf(w, "policy window %s to %s (%s)\n", from, to, why)
	for _, pr := range req.Priors {
		fmt.Fprintf(w, "prior: %s uniform on [%g, %g], drawn for each draw (not calibrated)\n", pr.Key, pr.Lo, pr.Hi)
	}
	if len(kept) > 0 {
		fmt.Fprintf(w, "note: %s, without a reference, keep their own policy windows: the posterior's %s (sizes of history's windows) apply to history and its branches only\n",
			strings.Join(kept, " and "), strings.Join(keptKeys, ", "))
	}
	fmt.Fprintf(w, "note: the credible intervals cover parameter and Monte Carlo uncertainty (the 5%% and 95%% quantiles of the pooled draw x replicate differences); P(increase) is the share of draws whose mean difference over replicates is above 0, within about %.2g (one standard error at most) of its value with endless draws\n\n",
		0.5/math.Sqrt(float64(req.Draws)))
	if err := results.WriteAnswerTable(w, effects, measure); err != nil {
		return err
	}
	if err := results.WritePerMillionTable(w, results.PerMillionOfEffects(effects, "all", results.ExtraDollars(a, b))); err != nil {
		return err
	}
	if err := printMechanisms(w, mechRows); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nwrote %s (answer.csv, %s%d plots, manifest.json)\n", dir, mechanismsFile(mechRows), plots)
	return nil
}
