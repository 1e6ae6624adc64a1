package sweep

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"

	"migrasim/calibrate"
	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
)

// A comparison sweep names two scenarios in its [sweep] table:
//
//	[sweep]
//	compare = ["baseline", "mass-deportation"]   # A and B: names or paths
//	from = "2018-01"    # the policy window, inclusive (default: PolicyWindow's)
//	to = "2027-12"
//
// and any design as above. Each design point sets its keys on both A and B
// and runs them paired (sim.RunPaired) over every replicate, and records
// B − A over the window per country and metric. With
//
//	posterior = "out/calibrate/particles.csv"
//	draws = 200
//
// and no design, it is 'migrasim compare A B --posterior FILE --draws N' as
// a sweep: each run is one draw (PosteriorComparison), and the merge writes
// the same answer.csv.
//
// The scenario part of the spec sets, on A, the run settings it writes
// (start, months, scale, replicates, seed; the others stay A's), and on
// both A and B every other scenario key it writes; B then runs with A's run
// settings, as in 'migrasim compare'.

// runSettings are the scenario keys a comparison sweep's scenario part sets
// on A alone: B takes them from A.
var runSettings = map[string]bool{"start": true, "months": true, "scale": true, "replicates": true, "seed": true}

// paired reads one of the [sweep] keys of a comparison sweep.
func (r *specReader) paired(s *Spec, k string, v any) {
	path := "sweep." + k
	switch k {
	case "compare":
		list, _ := v.([]any)
		var names []string
		for _, x := range list {
			if n, ok := x.(string); ok && n != "" {
				names = append(names, n)
			}
		}
		if len(list) != 2 || len(names) != 2 {
			r.bad(path, "want two scenarios, A and B, as [\"baseline\", \"mass-deportation\"] (names or paths), got %s", scenarios.Describe(v))
			return
		}
		s.Compare = names
		if s.Kind == KindRuns {
			s.Kind = KindCompare
		}
	case "from", "to":
		str, _ := v.(string)
		if _, err := sim.ParseMonth(str); err != nil {
			r.bad(path, "want a month as \"YYYY-MM\", got %s", scenarios.Describe(v))
			return
		}
		if k == "from" {
			s.From = str
		} else {
			s.To = str
		}
	case "posterior":
		str, _ := v.(string)
		if str == "" {
			r.bad(path, "want the path of a particles.csv written by 'migrasim calibrate', got %s", scenarios.Describe(v))
			return
		}
		s.Posterior, s.Kind = str, KindPosterior
	case "draws":
		n, ok := v.(int64)
		if !ok || n < 1 || n > MaxDraws {
			r.bad(path, "want a whole number from 1 to %d (posterior draws), got %s", MaxDraws, scenarios.Describe(v))
			return
		}
		s.Draws = int(n)
	}
}

// checkPaired checks that the [sweep] keys of a comparison sweep go
// together.
func (r *specReader) checkPaired(s *Spec, m map[string]any, design bool) {
	_, hasFrom := m["from"]
	_, hasTo := m["to"]
	_, hasDraws := m["draws"]
	switch {
	case s.Compare == nil && (s.Posterior != "" || hasFrom || hasTo || hasDraws):
		r.bad("sweep", "from, to, posterior and draws belong to a comparison sweep: add compare = [\"A\", \"B\"]")
	case s.Kind == KindPosterior && design:
		r.bad("sweep.posterior", "a posterior sweep draws its parameters from the posterior: remove [sweep.grid], [sweep.cases] and [sweep.sample]")
	case s.Kind == KindPosterior && m["seeds"] != nil:
		r.bad("sweep.seeds", "a posterior sweep gives every draw its own seed, as 'compare --posterior' does: remove seeds")
	case s.Kind == KindPosterior && s.Draws == 0:
		r.bad("sweep.draws", "a posterior sweep needs draws = N, the posterior draws (compare --posterior's --draws)")
	case s.Kind == KindCompare && hasDraws:
		r.bad("sweep.draws", "draws needs posterior = \"particles.csv\"")
	}
	if s.Kind == KindPosterior {
		s.Seeds = SeedsIndependent
	}
}

// arms loads A and B of a comparison sweep and sets on them the keys the
// spec's scenario part writes (see above).
func (r *specReader) arms(s *Spec, raw map[string]any) {
	if s.Compare == nil {
		return
	}
	var ab [2]*sim.Params
	for i, name := range s.Compare {
		p, err := scenarios.Load(name)
		if err != nil {
			r.bad(fmt.Sprintf("sweep.compare[%d]", i), "%s", strings.ReplaceAll(err.Error(), "\n", "; "))
			return
		}
		ab[i] = p
	}
	a, b := ab[0], ab[1]
	overrides := map[string]any{}
	sweepReps := false
	for _, k := range r.md.Keys() {
		if typ := r.md.Type(k...); typ == "Hash" || typ == "ArrayHash" {
			continue
		}
		key := strings.Join(k, ".")
		switch {
		case key == "sweep.replicates":
			sweepReps = true
		case k[0] == "sweep", key == "name", key == "description":
		case runSettings[key]:
			switch key {
			case "start":
				a.Start = s.Base.Start
			case "months":
				a.Months = s.Base.Months
			case "scale":
				a.Scale = s.Base.Scale
			case "seed":
				a.Seed = s.Base.Seed
			}
		default:
			if _, ok := scenarios.Lookup(key); !ok {
				r.bad(key, "a comparison sweep sets each key its scenario part writes on both A and B, and %s is not a key it can set (see 'migrasim keys'; keys inside [[shock]] cannot): set it in A's or B's scenario file", key)
				continue
			}
			v, _ := lookup(raw, key)
			c, err := scenarios.Coerce(key, v)
			if err != nil {
				r.bad(key, "%v", err)
				continue
			}
			overrides[key] = c
		}
	}
	if !sweepReps && !r.md.IsDefined("replicates") {
		s.Replicates = a.Replicates
	}
	for _, p := range []*sim.Params{a, b} {
		if err := scenarios.Apply(p, overrides); err != nil {
			r.bad("sweep.compare", "%s: %v", p.Name, err)
			return
		}
	}
	if a.Name == b.Name {
		r.bad("sweep.compare", "A and B are both %s: compare two scenarios", a.Name)
		return
	}
	a.Replicates = s.Replicates
	s.Base, s.B = a, b
}

// pairedB returns B with A's run settings (Pair): the run settings of a
// comparison sweep are A's, which the command line may have changed
// since the spec was read.
func (s *Spec) pairedB() (*sim.Params, error) {
	b := *s.B
	a := *s.Base
	if _, err := Pair([]*sim.Params{&a, &b}); err != nil {
		return nil, err
	}
	return &b, nil
}

// arms returns the scenarios of design point i: one for a sweep of runs,
// A and B (named as themselves, with the point's seed) for a comparison.
func (s *Spec) arms(i int) ([]*sim.Params, error) {
	if s.Kind == KindRuns {
		p, err := s.Params(i)
		return []*sim.Params{p}, err
	}
	b, err := s.pairedB()
	if err != nil {
		return nil, err
	}
	var out []*sim.Params
	for _, base := range []*sim.Params{s.Base, b} {
		p, err := Resolve(base, base.Name, s.Seed(i), s.Replicates, s.Keys, s.Point(i))
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// window returns the policy window of a comparison sweep.
func (s *Spec) window() (from, to sim.Month, err error) {
	b, err := s.pairedB()
	if err != nil {
		return 0, 0, err
	}
	from, to, _, err = PolicyWindow(s.Base, b, s.From, s.To)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: sweep.from/to: %w", s.File, err)
	}
	if _, err := results.Horizons(s.Base.Start, s.Base.Months, from, to); err != nil {
		return 0, 0, fmt.Errorf("%s: sweep.from/to: %w", s.File, err)
	}
	return from, to, nil
}

// checkPaired checks what a comparison sweep adds to a sweep: that A and B
// pair, the window, and for a posterior sweep, every particle a draw picks
// set on both.
func (s *Spec) checkPaired() error {
	if s.Base.Name == s.B.Name {
		return fmt.Errorf("%s: sweep.compare: A and B are both %s", s.File, s.Base.Name)
	}
	if _, _, err := s.window(); err != nil {
		return err
	}
	if s.Kind != KindPosterior {
		return nil
	}
	c, err := s.comparison()
	if err != nil {
		return err
	}
	return c.Check()
}

// header records a comparison sweep in the plan's header.
func (s *Spec) header(h *PlanHeader) error {
	from, to, err := s.window()
	if err != nil {
		return err
	}
	h.Kind, h.Compare, h.From, h.To = s.Kind, []string{s.Base.Name, s.B.Name}, from.String(), to.String()
	if s.Kind == KindPosterior {
		post, err := s.loadParticles()
		if err != nil {
			return err
		}
		h.Posterior, h.PosteriorHash, h.Draws = post.File, post.SHA256, s.Draws
	}
	return nil
}

// loadParticles reads the posterior of a posterior sweep, once; a relative
// path is taken from the working directory, as compare --posterior takes it.
func (s *Spec) loadParticles() (*calibrate.Particles, error) {
	if s.particles != nil {
		return s.particles, nil
	}
	path, err := filepath.Abs(s.Posterior)
	if err != nil {
		return nil, fmt.Errorf("%s: sweep.posterior: %w", s.File, err)
	}
	post, err := calibrate.ReadParticles(path)
	if err != nil {
		return nil, fmt.Errorf("%s: sweep.posterior: %w", s.File, err)
	}
	s.particles = post
	return post, nil
}

// comparison is the PosteriorComparison a posterior sweep splits into runs.
func (s *Spec) comparison() (*PosteriorComparison, error) {
	post, err := s.loadParticles()
	if err != nil {
		return nil, err
	}
	b, err := s.pairedB()
	if err != nil {
		return nil, err
	}
	from, to, err := s.window()
	if err != nil {
		return nil, err
	}
	return newPosteriorComparison(s.Base, b, post, s.Draws, from, to)
}

// newPosteriorComparison is the comparison of paired a and b over post that
// 'migrasim compare a b --posterior' runs: seeded with a's seed, over
// PosteriorMeasures and the horizons of the window from..to.
func newPosteriorComparison(a, b *sim.Params, post *calibrate.Particles, draws int, from, to sim.Month) (*PosteriorComparison, error) {
	horizons, err := results.Horizons(a.Start, a.Months, from, to)
	if err != nil {
		return nil, err
	}
	measures, err := MeasuresNamed(PosteriorMeasures)
	if err != nil {
		return nil, err
	}
	return &PosteriorComparison{Scenarios: []*sim.Params{a, b}, Particles: post, Draws: draws, Seed: a.Seed,
		Workers: 1, Measures: measures, Horizons: horizons}, nil
}

// planPosterior plans a posterior sweep: one run per draw, with the
// particle it picks and its seed.
func (s *Spec) planPosterior(spec string, command []string) (*PlanHeader, []PlanRun, error) {
	c, err := s.comparison()
	if err != nil {
		return nil, nil, err
	}
	post := c.Particles
	h := &PlanHeader{
		Sweep: s.Name, Spec: spec, Engine: sim.Version, Arch: runtime.GOARCH, DataHash: hex.EncodeToString(scenarios.DataHash()),
		Keys: post.Keys, Points: s.Draws, Replicates: s.Replicates, Runs: s.Draws, Seeds: s.Seeds, Command: command,
	}
	if err := s.header(h); err != nil {
		return nil, nil, err
	}
	width := max(2, len(fmt.Sprint(s.Draws-1)))
	var runs []PlanRun
	for d, pd := range c.plan() {
		var params ParamValues
		for j, k := range post.Keys {
			v, err := json.Marshal(post.Values[pd.particle][j])
			if err != nil {
				return nil, nil, fmt.Errorf("%s: particle on row %d: %s: %w", post.File, pd.particle+1, k, err)
			}
			params = append(params, ParamValue{Key: k, Value: v})
		}
		runs = append(runs, PlanRun{Run: d, Point: d, Scenario: fmt.Sprintf("%s-d%0*d", s.Name, width, d), Seed: pd.seed,
			Params: params, Particle: ptr(pd.particle)})
	}
	return h, runs, nil
}

// BText returns the text of b.toml, B's resolved scenario, for a
// comparison sweep (WritePlan), and nil for a sweep of runs.
func (s *Spec) BText() ([]byte, error) {
	if s.Kind == KindRuns {
		return nil, nil
	}
	b, err := s.pairedB()
	if err != nil {
		return nil, err
	}
	return []byte(scenarios.Format(b)), nil
}
