package sweep

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"migrasim/calibrate"
	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
)

// pairOf loads scenarios a and b and pairs them, with months from start.
func pairOf(t *testing.T, a, b string, months int) []*sim.Params {
	t.Helper()
	var ps []*sim.Params
	for _, name := range []string{a, b} {
		p, err := scenarios.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		p.Months = months
		ps = append(ps, p)
	}
	if _, err := Pair(ps); err != nil {
		t.Fatal(err)
	}
	return ps
}

// deterrence is a posterior over decision.deterrence alone.
func deterrence(values, weights []float64) *calibrate.Particles {
	p := &calibrate.Particles{Keys: []string{"decision.deterrence"}, Weights: weights, File: "test"}
	for _, v := range values {
		p.Values = append(p.Values, []float64{v})
	}
	return p
}

// stubRun is a simulation made up for tests: in El Salvador, children
// leave noise(seed, r) a month in A, and in B that plus
// e(deterrence) + r/2, where e(θ) = 0.375·θ + 1.75 (e(-2) = 1, e(-10) = -2).
// The noise cancels in B − A only if A and B share the seed. It records
// every run.
type stubRun struct {
	mu   sync.Mutex
	runs []string // "name seed deterrence"
}

func (s *stubRun) run(_ context.Context, p *sim.Params, _ sim.Options) ([]sim.Series, error) {
	theta, _ := scenarios.Value(p, "decision.deterrence")
	s.mu.Lock()
	s.runs = append(s.runs, fmt.Sprintf("%s %d %g", p.Name, p.Seed, theta))
	s.mu.Unlock()
	out := make([]sim.Series, p.Replicates)
	for r := range out {
		v := float64(p.Seed%1000) + 10*float64(r)
		if p.Name == "mass-deportation" {
			v += 0.375*theta + 1.75 + 0.5*float64(r)
		}
		s := sim.Series{Scenario: p.Name, Replicate: r, Start: p.Start, Months: p.Months,
			Values: make([]float64, p.Months*int(sim.NumCountries)*int(sim.NumMetrics))}
		for t := range p.Months {
			s.Values[(t*int(sim.NumCountries)+int(sim.SV))*int(sim.NumMetrics)+int(sim.DeparturesUAC)] = v
		}
		out[r] = s
	}
	return out, nil
}

// stubAnswer runs the comparison of baseline and mass-deportation (two
// replicates, 24 months, one horizon of 12 months) on the stub.
func stubAnswer(t *testing.T, post *calibrate.Particles, draws, workers int) (string, *stubRun) {
	t.Helper()
	ps := pairOf(t, "baseline", "mass-deportation", 24)
	ps[0].Replicates, ps[1].Replicates = 2, 2
	measures, _ := MeasuresNamed([]string{"departures_uac"})
	stub := &stubRun{}
	c := &PosteriorComparison{Scenarios: ps, Particles: post, Draws: draws, Seed: 7, Workers: workers,
		Measures: measures, Horizons: []results.Period{{Label: "2012-01..2012-12", From: 0, To: 12}}, Simulate: stub.run}
	effects, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	results.WriteAnswer(&buf, effects)
	lines := strings.Split(buf.String(), "\n")
	return lines[1], stub // El Salvador
}

// A two-point posterior, deterrence -2 (weight 1/4, effect +1 or +1.5 a
// month in the two replicates) and -10 (weight 3/4, effect -2 or -1.5):
// eight draws pick them 2 and 6 times, so over 12 months the pooled
// differences are 2×{12, 18} and 6×{-24, -18}, with mean (60 - 252)/16 =
// -12, 5% quantile (the 1st of 16) -24, 95% (the 16th) 18, and 2 draws of 8
// positive.
func TestPosteriorTwoPoint(t *testing.T) {
	got, stub := stubAnswer(t, deterrence([]float64{-2, -10}, []float64{0.25, 0.75}), 8, 2)
	if want := "baseline,mass-deportation,SV,departures_uac,2012-01..2012-12,-12,-24,18,0.25,8"; got != want {
		t.Errorf("answer:\n%s\nwant\n%s", got, want)
	}
	// Every draw runs A and B at one seed and particle; seeds differ
	// between draws.
	seeds := map[string][]string{}
	var thetas []string
	for _, r := range stub.runs {
		f := strings.Fields(r)
		seeds[f[1]] = append(seeds[f[1]], f[0]+" "+f[2])
	}
	if len(seeds) != 8 {
		t.Errorf("%d seeds over 8 draws: %v", len(seeds), stub.runs)
	}
	for seed, runs := range seeds {
		slices.Sort(runs)
		if len(runs) != 2 || runs[0][len("baseline "):] != runs[1][len("mass-deportation "):] {
			t.Errorf("seed %s: runs %v, want baseline and mass-deportation at one particle", seed, runs)
		}
		thetas = append(thetas, runs[0][len("baseline "):])
	}
	slices.Sort(thetas)
	if strings.Join(thetas, " ") != "-10 -10 -10 -10 -10 -10 -2 -2" {
		t.Errorf("particles run %v, want -2 twice and -10 six times", thetas)
	}
}

// P(effect > 0) is 1 when every particle raises the measure, 0 when every
// one lowers it, whatever the spread of replicates.
func TestPosteriorProbability(t *testing.T) {
	for _, tt := range []struct {
		values []float64
		want   string
	}{
		{[]float64{-1, -3}, ",1,5"},  // effects +1.375 and +0.625 a month
		{[]float64{-8, -12}, ",0,5"}, // effects -1.25 and -2.75 a month
	} {
		got, _ := stubAnswer(t, deterrence(tt.values, []float64{0.5, 0.5}), 5, 1)
		if !strings.HasSuffix(got, tt.want) {
			t.Errorf("deterrence %v: %s, want P(increase) and draws %s", tt.values, got, tt.want)
		}
	}
}

// The same seed gives the same answer.csv whatever the worker count, on the
// real model: 2 draws of 1 replicate, 24 months at scale 0.01, with the
// policy moved to the second year: history's 2017 removal window
// (policy.interior_removals[1], ×1.3) from January 2013 in the
// mass-deportation side's history. (At scale 0.002 El Salvador's total
// removals, border removals included, fell in the draw with deterrence −10
// by noise at engine 0.9.0's defaults.)
func TestPosteriorDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the model")
	}
	ps := pairOf(t, "baseline", "mass-deportation", 24)
	for _, p := range ps {
		p.Scale, p.Replicates = 0.01, 1
	}
	if err := scenarios.Apply(ps[1], map[string]any{"policy.interior_removals[1].from": "2013-01", "policy.interior_removals[1].ramp_months": int64(0)}); err != nil {
		t.Fatal(err)
	}
	from, ok := PolicyStart(ps[0], ps[1])
	if !ok || from != sim.MonthOf(2013, 1) {
		t.Fatalf("policy start %s, %v; want 2013-01", from, ok)
	}
	horizons, err := results.Horizons(ps[0].Start, ps[0].Months, from, ps[0].Start.Add(ps[0].Months-1))
	if err != nil {
		t.Fatal(err)
	}
	measures, _ := MeasuresNamed(PosteriorMeasures)
	post := deterrence([]float64{-2, -10}, []float64{0.5, 0.5})
	var answers []string
	for _, workers := range []int{1, 2, 3} {
		c := &PosteriorComparison{Scenarios: ps, Particles: post, Draws: 2, Seed: ps[0].Seed, Workers: workers,
			Measures: measures, Horizons: horizons}
		effects, err := c.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		results.WriteAnswer(&buf, effects)
		answers = append(answers, buf.String())
	}
	if answers[1] != answers[0] || answers[2] != answers[0] {
		t.Errorf("answer.csv differs with the worker count:\n1 worker:\n%s\n2 workers:\n%s\n3 workers:\n%s", answers[0], answers[1], answers[2])
	}
	// Tripled removals remove more people in every draw.
	row := "\nbaseline,mass-deportation,SV,us_removals_total,all,"
	i := strings.Index(answers[0], row)
	if i < 0 || !strings.HasSuffix(strings.SplitN(answers[0][i+1:], "\n", 2)[0], ",1,2") {
		t.Errorf("answer.csv does not show removals rising in both draws:\n%s", answers[0])
	}
}

func TestPolicyStart(t *testing.T) {
	load := func(name string, overrides map[string]any) *sim.Params {
		p, err := scenarios.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := scenarios.Apply(p, overrides); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tt := range []struct {
		name string
		a, b *sim.Params
		want string
	}{
		// Branches from history in October 2017, against history continued.
		{"mass deportation", load("baseline", nil), load("mass-deportation", nil), "2018-01"},
		{"gang deportations", load("baseline", nil), load("gang-deportations", nil), "2018-01"},
		{"the same policies", load("baseline", nil), load("mass-deportation", map[string]any{"policy.interior_removals[2].from": ""}), "none"},
		// Counterfactual histories against the status quo from 2012.
		// Removals and the border from 2017-02; CAM (open in both) closes 2017-08.
		{"the 2017 decisions", load("status-quo", nil), load("policy-2017", nil), "2017-02"},
		{"CAM closes", load("status-quo", nil), load("status-quo", map[string]any{"policy.cam.close": "2017-08"}), "2017-08"},
		{"CAM's share changes", load("status-quo", nil), load("status-quo", map[string]any{"policy.cam.apply_share": 0.1}), "2014-12"},
		{"a lever that never acts", load("status-quo", nil), load("status-quo", map[string]any{"policy.interior_removals.rate_multiplier": 3.0}), "none"},
		{"a parameter", load("status-quo", nil), load("status-quo", map[string]any{"feedback.strength": 0.5}), "2012-01"},
		{"history against the status quo", load("status-quo", nil), load("baseline", nil), "2014-07"},
	} {
		m, ok := PolicyStart(tt.a, tt.b)
		got := m.String()
		if !ok {
			got = "none"
		}
		if got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestPosteriorRefused(t *testing.T) {
	ps := pairOf(t, "baseline", "mass-deportation", 24)
	measures, _ := MeasuresNamed([]string{"departures_total"})
	horizons := []results.Period{{Label: "all", From: 0, To: 24}}
	post := deterrence([]float64{-2}, []float64{1})
	for _, tt := range []struct {
		name string
		edit func(c *PosteriorComparison)
		want string
	}{
		{"no draws", func(c *PosteriorComparison) { c.Draws = 0 }, "--draws 0: want 1 to 100000"},
		{"too many draws", func(c *PosteriorComparison) { c.Draws = MaxDraws + 1 }, "--draws 100001"},
		{"three scenarios", func(c *PosteriorComparison) { c.Scenarios = append(c.Scenarios, ps[0]) }, "want two scenarios"},
		{"no workers", func(c *PosteriorComparison) { c.Workers = 0 }, "0 workers"},
		{"a key the scenarios refuse", func(c *PosteriorComparison) {
			c.Particles = &calibrate.Particles{Keys: []string{"decision.deterrence"}, Weights: []float64{1}, Values: [][]float64{{5}}, File: "p.csv"}
		}, "posterior p.csv: particle on row 1: baseline:"},
	} {
		c := &PosteriorComparison{Scenarios: ps, Particles: post, Draws: 4, Workers: 1, Measures: measures, Horizons: horizons,
			Simulate: func(context.Context, *sim.Params, sim.Options) ([]sim.Series, error) {
				t.Fatal("ran")
				return nil, nil
			}}
		tt.edit(c)
		if _, err := c.Run(context.Background()); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
}

// A prior key is drawn for each draw within its range, the same on both
// scenarios and on every call, from the draw's seed; history (a branch's
// reference) takes it too; a calibrated key or a bad range is refused.
func TestPosteriorPriors(t *testing.T) {
	ps := pairOf(t, "baseline", "mass-deportation", 24)
	measures, _ := MeasuresNamed([]string{"departures_total"})
	c := &PosteriorComparison{Scenarios: ps, Particles: deterrence([]float64{-2, -4}, []float64{1, 1}), Draws: 30,
		Seed: 3, Workers: 1, Measures: measures, Horizons: []results.Period{{Label: "all", From: 0, To: 24}},
		Priors: []Prior{{Key: "feedback.strength", Lo: 1, Hi: 3}}}
	if err := c.Check(); err != nil {
		t.Fatal(err)
	}
	seen := map[float64]bool{}
	for _, d := range c.plan() {
		v1, err := c.variants(d.particle, d.seed)
		if err != nil {
			t.Fatal(err)
		}
		v2, _ := c.variants(d.particle, d.seed)
		x := v1[0].Feedback.Strength
		if x < 1 || x > 3 || v1[1].Feedback.Strength != x || v2[0].Feedback.Strength != x || v1[0].ReferenceParams.Feedback.Strength != x {
			t.Fatalf("draw seed %d: strengths %g, %g (again %g, history %g), want one value in [1, 3]",
				d.seed, x, v1[1].Feedback.Strength, v2[0].Feedback.Strength, v1[0].ReferenceParams.Feedback.Strength)
		}
		seen[x] = true
	}
	if len(seen) < 25 {
		t.Errorf("%d distinct values over 30 draws: the prior is not drawn per draw", len(seen))
	}
	for _, bad := range [][]Prior{
		{{Key: "decision.deterrence", Lo: -3, Hi: 0}},
		{{Key: "feedback.strength", Lo: 3, Hi: 1}},
		{{Key: "feedback.strength", Lo: 0, Hi: 99}},
		{{Key: "feedback.strength", Lo: 0, Hi: 1}, {Key: "feedback.strength", Lo: 0, Hi: 2}},
	} {
		c.Priors = bad
		if err := c.Check(); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
	if _, err := ParsePrior("feedback.strength=0,x"); err == nil {
		t.Error("ParsePrior of a bad number: no error")
	}
	if _, err := ParsePrior("name=0,1"); err == nil {
		t.Error("ParsePrior of a text key: no error")
	}
}

// A particle's calibrated policy keys are sizes of history's windows: they
// change history and a branch's copy of the window, but a scenario that
// writes its own windows from the start keeps them (policy-2017's removals
// stay ×1.5), while every scenario takes the particle's other keys.
func TestPosteriorPolicyKeysFollowHistory(t *testing.T) {
	post := &calibrate.Particles{Keys: []string{"decision.deterrence", "policy.interior_removals.rate_multiplier"},
		Weights: []float64{1}, Values: [][]float64{{-4, 0.5}}, File: "test"}
	for _, tt := range []struct {
		a, b   string
		branch bool
	}{{"baseline", "mass-deportation", true}, {"status-quo", "policy-2017", false}} {
		ps := pairOf(t, tt.a, tt.b, 24)
		c := &PosteriorComparison{Scenarios: ps, Particles: post, Draws: 1, Seed: 1}
		vs, err := c.variants(0, 1)
		if err != nil {
			t.Fatal(err)
		}
		for j, v := range vs {
			if v.Decision.Deterrence != -4 {
				t.Errorf("%s: deterrence %g, want the particle's -4", v.Name, v.Decision.Deterrence)
			}
			got, own := v.Policy.InteriorRemovals.RateMultiplier, ps[j].Policy.InteriorRemovals.RateMultiplier
			switch {
			case tt.branch && (got != 0.5 || v.ReferenceParams.Policy.InteriorRemovals.RateMultiplier != 0.5):
				t.Errorf("%s: history's first removal window ×%g (its reference ×%g), want the particle's ×0.5",
					v.Name, got, v.ReferenceParams.Policy.InteriorRemovals.RateMultiplier)
			case !tt.branch && got != own:
				t.Errorf("%s: its own removal window ×%g, want its file's ×%g", v.Name, got, own)
			}
		}
		if tt.branch {
			if more := vs[1].Policy.InteriorRemovals.More; len(more) != 2 || more[1].RateMultiplier != 2.7 {
				t.Errorf("mass-deportation's own 2018 window changed: %+v", more)
			}
		}
	}
}

// KeptWindows names the scenarios without a reference when the posterior
// has policy keys, and nothing otherwise.
func TestKeptWindows(t *testing.T) {
	branch := pairOf(t, "baseline", "mass-deportation", 24)
	own := pairOf(t, "status-quo", "policy-2017", 24)
	keys := []string{"decision.deterrence", "policy.mexico.adapt_months"}
	if names, policy := KeptWindows(branch, keys); names != nil || policy != nil {
		t.Errorf("branches: %v %v, want nothing", names, policy)
	}
	if names, policy := KeptWindows(own, []string{"decision.deterrence"}); names != nil || policy != nil {
		t.Errorf("no policy keys: %v %v, want nothing", names, policy)
	}
	names, policy := KeptWindows(own, keys)
	if !slices.Equal(names, []string{"status-quo", "policy-2017"}) || !slices.Equal(policy, []string{"policy.mexico.adapt_months"}) {
		t.Errorf("status-quo and policy-2017: %v %v", names, policy)
	}
}
