package sweep

import (
	"context"
	"strings"
	"testing"

	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
)

func smallPair(t *testing.T) []*sim.Params {
	t.Helper()
	var ps []*sim.Params
	for _, name := range []string{"baseline", "mass-deportation"} {
		p, err := scenarios.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	ps[0].Scale, ps[0].Months, ps[0].Replicates = 0.002, 84, 2
	if _, err := Pair(ps); err != nil {
		t.Fatal(err)
	}
	return ps
}

// A comparison counts its progress to the months it simulates, warm-up
// included, and ends exactly at the total; a varied key repeats every run.
func TestComparisonProgress(t *testing.T) {
	ps := smallPair(t)
	last, total := 0, 0
	c := &Comparison{Scenarios: ps, Grid: scenarios.Grid{{Key: "feedback.strength", Values: []any{0.0, 3.0}}}, Measures: results.CompareMeasures,
		Periods: results.Years(ps[0].Start, ps[0].Months), Workers: 2,
		Progress: func(done, n int) {
			if done < last {
				t.Errorf("progress went back from %d to %d", last, done)
			}
			last, total = done, n
		}}
	sets, first, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	paired, err := sim.PairedSteps(ps)
	if err != nil {
		t.Fatal(err)
	}
	if want := 2 * paired; total != want || last != total {
		t.Errorf("progress ended at %d of %d, want %d of %d", last, total, want, want)
	}
	// The months before mass deportation starts are simulated once, and its
	// status-quo twin is the baseline: fewer than the three runs alone.
	if alone := 2 * 3 * ps[0].Steps(); 2*paired >= alone*2/3 {
		t.Errorf("the paired comparison simulates %d world-months, alone %d: the months are not shared", 2*paired, alone)
	}
	if len(sets) != 2 || sets[0].Label() != "feedback.strength = 0" || sets[1].Label() != "feedback.strength = 3" || len(first) != 2 {
		t.Fatalf("%d sets, %d first runs", len(sets), len(first))
	}
}

// Pairing gives every scenario the first one's settings, so a scenario
// compared with itself differs by exactly nothing (common random numbers),
// and mass deportation's removals differ from the baseline's.
func TestComparisonPaired(t *testing.T) {
	ps := smallPair(t)
	ps[1].Seed, ps[1].Months = 99, 12
	changed, err := Pair(ps)
	if err != nil || len(changed) != 1 || ps[1].Seed != ps[0].Seed || ps[1].Months != ps[0].Months {
		t.Fatalf("Pair: %v, %v; seed %d months %d", changed, err, ps[1].Seed, ps[1].Months)
	}
	same := *ps[0]
	same.Name = "baseline-again"
	c := &Comparison{Scenarios: []*sim.Params{ps[0], &same, ps[1]}, Measures: results.CompareMeasures,
		Periods: []results.Period{{Label: "all", From: 0, To: ps[0].Months}}, Workers: 2}
	sets, _, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	moved := false
	for _, d := range sets[0].Diffs {
		if d.Scenario == "baseline-again" && d.Diff.Mean != 0 {
			t.Errorf("%s %s: a scenario differs from itself by %g", d.Country, d.Measure.Name, d.Diff.Mean)
		}
		if d.Scenario == ps[1].Name && d.Measure.Name == "us_removals_total" && d.Diff.Mean > 0 {
			moved = true
		}
	}
	if !moved {
		t.Error("mass deportation removes no more people than the baseline")
	}
}

// Check lists every value --vary cannot take, and refuses a value given
// twice and workers beyond the limit (issue 14).
func TestComparisonCheckAll(t *testing.T) {
	a, _ := scenarios.Load("teach-baseline")
	b, _ := scenarios.Load("teach-removals")
	c := &Comparison{Scenarios: []*sim.Params{a, b}, Grid: scenarios.Grid{{Key: "country.SV.tie_share", Values: []any{0.9, 0.2, 0.95, 0.2}}}, Workers: 1}
	err := c.Check()
	for _, want := range []string{"--vary country.SV.tie_share=0.9:", "--vary country.SV.tie_share=0.95:", "--vary country.SV.tie_share: 0.2 is given twice"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	c = &Comparison{Scenarios: []*sim.Params{a, b}, Workers: 1 << 30}
	if err := c.Check(); err == nil || !strings.Contains(err.Error(), "workers") {
		t.Errorf("%d workers: %v", c.Workers, err)
	}
}

// With two keys, Check tries every combination on every scenario, names
// both keys' values in each problem, and refuses a key given twice and a
// grid past scenarios.MaxVaryPoints; Run returns a set per point in the
// grid's order, the first key slowest.
func TestComparisonVaryGrid(t *testing.T) {
	a, _ := scenarios.Load("teach-baseline")
	b, _ := scenarios.Load("teach-removals")
	c := &Comparison{Scenarios: []*sim.Params{a, b}, Workers: 1, Grid: scenarios.Grid{
		{Key: "country.SV.tie_share", Values: []any{0.2, 0.9}},
		{Key: "feedback.strength", Values: []any{0.0, 2.2}},
	}}
	err := c.Check()
	for _, want := range []string{"--vary country.SV.tie_share=0.9, feedback.strength=0: teach-baseline:", "--vary country.SV.tie_share=0.9, feedback.strength=2.2: teach-baseline:"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if err != nil && strings.Contains(err.Error(), "tie_share=0.2,") {
		t.Errorf("a good combination refused:\n%v", err)
	}
	c.Grid = append(c.Grid, scenarios.Vary{Key: "feedback.strength", Values: []any{1.0}})
	if err := c.Check(); err == nil || !strings.Contains(err.Error(), "--vary feedback.strength: the key is given twice") {
		t.Errorf("a key given twice: %v", err)
	}
	var many []any
	for i := range 9 {
		many = append(many, float64(i))
	}
	c.Grid = scenarios.Grid{{Key: "feedback.strength", Values: many}, {Key: "decision.deterrence", Values: many}}
	if err := c.Check(); err == nil || !strings.Contains(err.Error(), "9 x 9 = 81 grid points, more than 64") {
		t.Errorf("81 points: %v", err)
	}

	ps := smallPair(t)
	ps[0].Months, ps[0].Replicates = 2, 1
	if _, err := Pair(ps); err != nil {
		t.Fatal(err)
	}
	c = &Comparison{Scenarios: ps, Measures: results.CompareMeasures[:1], Periods: []results.Period{{Label: "all", From: 0, To: 2}}, Workers: 2,
		Grid: scenarios.Grid{{Key: "decision.deterrence", Values: []any{0.0, -3.0}}, {Key: "feedback.strength", Values: []any{0.0, 2.2, 5.0}}}}
	sets, _, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range sets {
		got = append(got, s.Label())
	}
	want := []string{
		"decision.deterrence = 0, feedback.strength = 0", "decision.deterrence = 0, feedback.strength = 2.2", "decision.deterrence = 0, feedback.strength = 5",
		"decision.deterrence = -3, feedback.strength = 0", "decision.deterrence = -3, feedback.strength = 2.2", "decision.deterrence = -3, feedback.strength = 5",
	}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("sets\n%q\nwant\n%q", got, want)
	}
}
