package sweep

import (
	"context"
	"fmt"
	"path/filepath"

	"migrasim/calibrate"
	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
)

// EffectCells is the number of cells of a comparison sweep's record: one
// per country and metric (EffectCell).
const EffectCells = int(sim.NumCountries) * int(sim.NumMetrics)

// EffectCell numbers the cell of country c and metric m in a comparison
// sweep's record.
func EffectCell(c sim.Country, m sim.Metric) int { return int(c)*int(sim.NumMetrics) + int(m) }

// pairedArms reads B, the window and, for a posterior sweep, the posterior
// of a comparison plan.
type pairedArms struct {
	b         *sim.Params
	from, to  sim.Month
	posterior *PosteriorComparison
}

// readArms reads what a comparison plan adds to base: B, the window, and
// for a posterior sweep, the posterior, refused if it changed since the
// plan, and its draws, checked against the plan's.
func (pl *Plan) readArms(base *sim.Params) (*pairedArms, error) {
	h := &pl.Header
	b, err := scenarios.Parse(filepath.Join(pl.Dir, PlanBFile), pl.B)
	if err != nil {
		return nil, err
	}
	out := &pairedArms{b: b}
	if out.from, err = sim.ParseMonth(h.From); err == nil {
		out.to, err = sim.ParseMonth(h.To)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: window %s to %s: %w", filepath.Join(pl.Dir, PlanHeaderFile), h.From, h.To, err)
	}
	if h.Kind != KindPosterior {
		return out, nil
	}
	post, err := calibrate.ReadParticles(h.Posterior)
	if err != nil {
		return nil, fmt.Errorf("%s: the sweep's posterior: %w", pl.Dir, err)
	}
	if post.SHA256 != h.PosteriorHash {
		return nil, fmt.Errorf("%s: changed since the sweep was planned (SHA-256 %.12s…, planned %.12s…): its draws would not be the planned ones; restore it, or plan again into a new folder",
			h.Posterior, post.SHA256, h.PosteriorHash)
	}
	c, err := newPosteriorComparison(base, b, post, h.Draws, out.from, out.to)
	if err != nil {
		return nil, err
	}
	for d, pd := range c.plan() {
		pr := pl.Runs[d]
		if pr.Particle == nil || *pr.Particle != pd.particle || pr.Seed != pd.seed {
			return nil, fmt.Errorf("%s: run %d is not draw %d of this posterior and seed: plan again into a new folder", filepath.Join(pl.Dir, PlanRunsFile), d, d)
		}
	}
	out.posterior = c
	return out, nil
}

// openPaired prepares a Runner of a comparison sweep.
func (t *Runner) openPaired() error {
	if t.Plan.Header.Kind == KindRuns {
		return nil
	}
	arms, err := t.Plan.readArms(t.Base)
	if err != nil {
		return err
	}
	t.B, t.posterior = arms.b, arms.posterior
	t.window = results.Period{Label: "window", From: int(arms.from - t.Base.Start), To: int(arms.to-t.Base.Start) + 1}
	if t.posterior != nil {
		t.draws = t.posterior.plan()
	}
	return nil
}

// Arms resolves A and B of run r of a comparison plan: its point's keys set
// on both, its seed, and the plan's replicates.
func (t *Runner) Arms(r int) ([]*sim.Params, error) {
	pr := &t.Plan.Runs[r]
	values, err := t.pointValues(r)
	if err != nil {
		return nil, err
	}
	var out []*sim.Params
	for _, base := range []*sim.Params{t.Base, t.B} {
		p, err := Resolve(base, base.Name, pr.Seed, t.Plan.Header.Replicates, t.Plan.Header.Keys, values)
		if err != nil {
			return nil, fmt.Errorf("plan run %d: %s: %w", r, base.Name, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// simulatePaired runs run r of a comparison sweep and returns its record:
// a posterior draw's results.Draw, or a design point's B − A over the
// window per country, metric and replicate.
func (t *Runner) simulatePaired(ctx context.Context, r, workers int) ([]byte, error) {
	opt := sim.Options{Workers: workers}
	if c := t.posterior; c != nil {
		d, err := c.runDraw(ctx, c.Question(), t.draws[r], opt)
		if err != nil {
			return nil, err
		}
		return AppendDiffRecord(nil, r, d), nil
	}
	params, err := t.Arms(r)
	if err != nil {
		return nil, err
	}
	runs, err := sim.RunPaired(ctx, params, opt)
	if err != nil {
		return nil, err
	}
	return AppendDiffRecord(nil, r, Effects(runs[0], runs[1], t.window)), nil
}

// Effects returns B − A over the window w per cell (EffectCell) and
// replicate, for the paired runs a and b: flows summed over the window,
// stocks at its end, rates averaged, as results.Aggregate.
func Effects(a, b []sim.Series, w results.Period) [][]float64 {
	d := make([][]float64, EffectCells)
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		for m := sim.Metric(0); m < sim.NumMetrics; m++ {
			xs := make([]float64, len(a))
			for r := range a {
				xs[r] = results.Aggregate(&b[r], c, m, w) - results.Aggregate(&a[r], c, m, w)
			}
			d[EffectCell(c, m)] = xs
		}
	}
	return d
}

// checkDiffRecord checks that b is the difference record of run: its
// number, its replicates and, in a comparison sweep, its cells.
func (pl *Plan) checkDiffRecord(b []byte, run int) error {
	got, d, err := ReadDiffRecord(b)
	if err != nil {
		return err
	}
	reps := 0
	if len(d) > 0 {
		reps = len(d[0])
	}
	switch {
	case got != run:
		return fmt.Errorf("record of run %d is run %d", run, got)
	case reps != pl.Header.Replicates:
		return fmt.Errorf("record of run %d has %d replicates, want %d", run, reps, pl.Header.Replicates)
	case pl.Header.Kind == KindCompare && len(d) != EffectCells:
		return fmt.Errorf("record of run %d has %d cells, want %d (countries x metrics)", run, len(d), EffectCells)
	case len(d) == 0:
		return fmt.Errorf("record of run %d has no cells", run)
	}
	return nil
}
