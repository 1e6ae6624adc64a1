package sweep

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"migrasim/calibrate"
	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
)

// Mechanism is a mechanism of the model that a decomposition switches off:
// a name and the scenario keys, with their values, that switch it off.
type Mechanism struct {
	// Name names the mechanism in mechanisms.csv: a word, not "residual".
	Name string
	// Off are scenario overrides (scenarios.Apply) that switch the mechanism
	// off; they are applied after a posterior particle's keys, so they win.
	Off map[string]any
}

// DefaultMechanisms are the mechanisms a decomposition switches off by
// default, one row each: a later mechanism is one more row. Where a single coefficient carries a mechanism it is set to its null
// value; re-migration has none (remigration.months is at least 1 and the
// shifts are log-odds, not switches), so its switch is used, and the network
// row sets both coefficients of the stock abroad in the decision: the
// department's community network and the household's relatives. The
// remittances row uses its switch too: with remittance.push_cut at 0 the
// row would say the same, but the switch also reads as what it is, the
// remittances lost when relatives are removed.
func DefaultMechanisms() []Mechanism {
	return []Mechanism{
		{Name: "remigration", Off: map[string]any{"mechanisms.remigration": false}},
		{Name: "feedback", Off: map[string]any{"feedback.strength": 0.0}},
		{Name: "deterrence", Off: map[string]any{"decision.deterrence": 0.0}},
		{Name: "network", Off: map[string]any{"decision.network": 0.0, "decision.ties": 0.0}},
		{Name: "remittances", Off: map[string]any{"mechanisms.remittances": false}},
	}
}

// MaxMechanisms is the most mechanisms a Decomposition switches off: each
// one adds a paired run of A and B to every draw.
const MaxMechanisms = 32

// Decomposition splits B's effect against A into the contributions of
// mechanisms: it runs A and B paired with every mechanism on, and again
// with each mechanism off in both arms, at the same draws and seeds, so
// that a mechanism's contribution is the full effect less the effect
// without it (results.Question.Decompose). With Particles it does so at the
// draws of a PosteriorComparison with the same Particles, Draws and Seed;
// without, at the scenarios' own parameters and seed. Every run is a fixed
// slot, so results do not depend on Workers.
type Decomposition struct {
	// PosteriorComparison holds A and B, the posterior, its draws, seed and
	// priors, the workers, measures, horizons, progress and the test hook,
	// with their meanings there, but for one: a nil Particles decomposes at
	// the scenarios' fixed parameters over their replicates (Draws must then
	// be 0, and the scenarios' seed is used).
	PosteriorComparison
	// Mechanisms are switched off one at a time (DefaultMechanisms); 1 to
	// MaxMechanisms, names unique.
	Mechanisms []Mechanism
}

// posterior is the posterior comparison whose draws the decomposition
// shares.
func (c *Decomposition) posterior() *PosteriorComparison {
	return &c.PosteriorComparison
}

// plan is the draws: the posterior's, or one at the scenarios' seed.
func (c *Decomposition) plan() []plannedDraw {
	if c.Particles == nil {
		return []plannedDraw{{particle: -1, seed: c.Scenarios[0].Seed}}
	}
	return c.posterior().plan()
}

// variants returns A and B at draw d with mechanism m off (m < 0: every
// mechanism on).
func (c *Decomposition) variants(d plannedDraw, m int) ([]*sim.Params, error) {
	var ps []*sim.Params
	if c.Particles != nil {
		var err error
		if ps, err = c.posterior().variants(d.particle, d.seed); err != nil {
			return nil, err
		}
	} else {
		for _, base := range c.Scenarios {
			p := *base
			ps = append(ps, &p)
		}
	}
	if m < 0 {
		return ps, nil
	}
	mech := c.Mechanisms[m]
	for _, p := range ps {
		if err := scenarios.Apply(p, mech.Off); err != nil {
			return nil, fmt.Errorf("mechanism %s: %s: %w", mech.Name, p.Name, err)
		}
	}
	return ps, nil
}

// Check checks the settings, and switches every mechanism off on both
// scenarios at every particle a draw picks, before anything runs.
func (c *Decomposition) Check() error {
	if len(c.Scenarios) != 2 {
		return fmt.Errorf("compare --mechanisms: want two scenarios, A and B, got %d", len(c.Scenarios))
	}
	if len(c.Mechanisms) < 1 || len(c.Mechanisms) > MaxMechanisms {
		return fmt.Errorf("compare --mechanisms: %d mechanisms: want 1 to %d", len(c.Mechanisms), MaxMechanisms)
	}
	var errs []error
	seen := map[string]bool{}
	for _, m := range c.Mechanisms {
		switch {
		case m.Name == "" || m.Name == results.Residual || strings.ContainsAny(m.Name, ",\"\n"):
			errs = append(errs, fmt.Errorf("mechanism %q: want a name other than %q, without commas or quotes", m.Name, results.Residual))
		case seen[m.Name]:
			errs = append(errs, fmt.Errorf("mechanism %s: given twice", m.Name))
		case len(m.Off) == 0:
			errs = append(errs, fmt.Errorf("mechanism %s: no keys switch it off", m.Name))
		}
		seen[m.Name] = true
	}
	a, b := c.Scenarios[0], c.Scenarios[1]
	if c.Particles == nil {
		if c.Draws != 0 {
			errs = append(errs, fmt.Errorf("compare --mechanisms: %d draws without a posterior", c.Draws))
		}
		if a.Start != b.Start || a.Months != b.Months || a.Scale != b.Scale || a.Replicates != b.Replicates || a.Seed != b.Seed {
			errs = append(errs, fmt.Errorf("compare --mechanisms: %s and %s are not paired (see Pair)", a.Name, b.Name))
		}
		if c.Workers < 1 || c.Workers > scenarios.MaxWorkers() {
			errs = append(errs, fmt.Errorf("compare: %d workers: want 1 to %d", c.Workers, scenarios.MaxWorkers()))
		}
		if len(c.Measures) == 0 || len(c.Horizons) == 0 {
			errs = append(errs, errors.New("compare --mechanisms: no measures or no horizons"))
		}
	} else if err := c.posterior().Check(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	done := map[int]bool{}
	for _, d := range c.plan() {
		if done[d.particle] {
			continue
		}
		done[d.particle] = true
		for m := range c.Mechanisms {
			if _, err := c.variants(d, m); err != nil {
				errs = append(errs, err)
			}
		}
		if len(errs) >= 5 {
			errs = append(errs, errors.New("(and possibly more)"))
			break
		}
	}
	return errors.Join(errs...)
}

// Run runs A and B paired at every draw, with every mechanism on and with
// each off, and returns the decomposition per country, measure, horizon and
// mechanism, then the residual (results.Question.Decompose).
func (c *Decomposition) Run(ctx context.Context) ([]results.MechanismRow, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	q := c.posterior().Question()
	plan := c.plan()
	variants := 1 + len(c.Mechanisms) // slot v: every mechanism on (v = 0), or mechanism v−1 off
	jobs := len(plan) * variants
	total := 0
	for j := range jobs {
		params, err := c.variants(plan[j/variants], j%variants-1)
		if err != nil {
			return nil, err
		}
		n, err := stepsTogether(c.Simulate, params)
		if err != nil {
			return nil, err
		}
		total += n
	}
	var mu sync.Mutex
	done := 0
	outer := min(c.Workers, jobs)
	opt := sim.Options{Workers: max(1, c.Workers/outer)}
	if c.Progress != nil {
		opt.Progress = func(int, int) {
			mu.Lock()
			done++
			c.Progress(done, total)
			mu.Unlock()
		}
	}
	diffs := make([]results.Draw, jobs) // job j: draw j / variants, slot j % variants
	errs := make([]error, jobs)
	pool := sim.NewPool(outer)
	defer pool.Close()
	pool.Run(jobs, func(j int) {
		if ctx.Err() != nil {
			return
		}
		diffs[j], errs[j] = c.runPair(ctx, q, plan[j/variants], j%variants-1, opt)
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for j, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("draw %d: %w", j/variants, err)
		}
	}
	full := make([]results.Draw, len(plan))
	without := make([][]results.Draw, len(c.Mechanisms))
	for m := range without {
		without[m] = make([]results.Draw, len(plan))
	}
	for j, d := range diffs {
		if v := j % variants; v == 0 {
			full[j/variants] = d
		} else {
			without[v-1][j/variants] = d
		}
	}
	names := make([]string, len(c.Mechanisms))
	offs := make([]string, len(c.Mechanisms))
	for m, mech := range c.Mechanisms {
		names[m], offs[m] = mech.Name, Overrides(mech)
	}
	return q.Decompose(names, offs, full, without, c.Particles == nil)
}

// runPair runs A and B at draw d with mechanism m off (m < 0: none) and
// measures B − A.
func (c *Decomposition) runPair(ctx context.Context, q *results.Question, d plannedDraw, m int, opt sim.Options) (results.Draw, error) {
	params, err := c.variants(d, m)
	if err != nil {
		return nil, err
	}
	runs, err := runTogether(ctx, c.Simulate, params, opt)
	if err != nil {
		return nil, err
	}
	return q.Differences(runs[0], runs[1])
}

// Overrides prints a mechanism's keys as "key=value", sorted and joined by
// ";", for mechanisms.csv.
func Overrides(m Mechanism) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m.Off)) {
		parts = append(parts, fmt.Sprintf("%s=%v", k, m.Off[k]))
	}
	return strings.Join(parts, ";")
}

// NewDecomposition is the decomposition that 'migrasim compare A B
// --mechanisms' runs: A and B with each of DefaultMechanisms off in both
// arms, over post's draws (seeded as the answer's) or, with post nil, at the
// scenarios' own parameters; per departures measure and horizon of the
// policy window from..to (YYYY-MM, "" for PolicyWindow's defaults).
func NewDecomposition(params []*sim.Params, post *calibrate.Particles, draws int, from, to string, workers int) (*Decomposition, error) {
	a, b := params[0], params[1]
	first, last, _, err := PolicyWindow(a, b, from, to)
	if err != nil {
		return nil, err
	}
	horizons, err := results.Horizons(a.Start, a.Months, first, last)
	if err != nil {
		return nil, err
	}
	measures, err := MeasuresNamed([]string{"departures_total", "departures_uac", "departures_family", "departures_adult"})
	if err != nil {
		return nil, err
	}
	return &Decomposition{Mechanisms: DefaultMechanisms(), PosteriorComparison: PosteriorComparison{Scenarios: params,
		Particles: post, Draws: draws, Seed: a.Seed, Workers: workers, Measures: measures, Horizons: horizons}}, nil
}
