package sim_test

import (
	"context"
	"slices"
	"testing"

	"migrasim/scenarios"
	"migrasim/sim"
)

// TestRunPairedEqualsRun runs every library scenario paired with the
// baseline, and with the baseline and mass deportation together, and
// requires each scenario's series to equal, bit for bit, what it gives
// alone, world by world with New and Step (worldByWorld): sharing the
// months before the scenarios part, forking the world there and sharing
// the status-quo twin must not change a single number.
func TestRunPairedEqualsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every library scenario twice")
	}
	infos, err := scenarios.List()
	if err != nil {
		t.Fatal(err)
	}
	load := func(name string) *sim.Params {
		t.Helper()
		p, err := scenarios.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		// Several shards, both sides of the 2018 policies, two replicates.
		p.Start, p.Months, p.Scale, p.Replicates, p.Seed = sim.MonthOf(2014, 1), 72, 0.012, 2, 7
		return p
	}
	alone := map[string][]sim.Series{}
	runAlone := func(p *sim.Params) []sim.Series {
		t.Helper()
		if s, ok := alone[p.Name]; ok {
			return s
		}
		s := worldByWorld(t, p)
		alone[p.Name] = s
		return s
	}
	sets := [][]string{{"baseline", "mass-deportation", "gang-deportations"}}
	for _, info := range infos {
		if info.Name != "baseline" {
			sets = append(sets, []string{"baseline", info.Name})
		}
	}
	for _, set := range sets {
		ps := make([]*sim.Params, len(set))
		for i, name := range set {
			ps[i] = load(name)
		}
		paired, err := sim.RunPaired(context.Background(), ps, sim.Options{Workers: 2})
		if err != nil {
			t.Fatalf("%v: %v", set, err)
		}
		for i, p := range ps {
			want := runAlone(load(p.Name))
			for r := range want {
				got := paired[i][r]
				if got.Scenario != want[r].Scenario || got.Replicate != want[r].Replicate || !slices.Equal(got.Values, want[r].Values) {
					t.Errorf("%v: %s replicate %d: paired run differs from the run alone", set, p.Name, r)
				}
			}
		}
	}
}

// TestRunPairedSharesMonths checks that the saving is real: the baseline and
// mass deportation from 2018 simulate the months before 2018 once, and mass
// deportation's twin is the baseline itself.
func TestRunPairedSharesMonths(t *testing.T) {
	a, err := scenarios.Load("baseline")
	if err != nil {
		t.Fatal(err)
	}
	b, err := scenarios.Load("mass-deportation")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []*sim.Params{a, b} {
		p.Scale, p.Replicates = 0.002, 1
	}
	part, ok := sim.PartMonth(a, b)
	if !ok || part.Year() != 2018 {
		t.Fatalf("PartMonth = %v, %v: want a month of 2018", part, ok)
	}
	var total int
	_, err = sim.RunPaired(context.Background(), []*sim.Params{a, b}, sim.Options{Workers: 1, Progress: func(_, n int) { total = n }})
	if err != nil {
		t.Fatal(err)
	}
	// Alone: the baseline once, mass deportation and its twin: 3 × (12 + months).
	steps := 12 + a.Months
	shared := steps + (steps - (int(part-a.Start) + 12))
	if total != shared {
		t.Errorf("paired run simulated %d world-months, want %d (alone: %d)", total, shared, 3*steps)
	}
}

// worldByWorld runs every replicate of p with New and Step, one world and
// its own status-quo twin from the start: the reference RunPaired (and so
// Run) must equal. A branch, which New refuses, runs with Run alone, a plan
// of its own (its reference and itself).
func worldByWorld(t *testing.T, p *sim.Params) []sim.Series {
	t.Helper()
	if p.ReferenceParams != nil {
		s, err := sim.Run(context.Background(), p, sim.Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	out := make([]sim.Series, p.Replicates)
	for r := range out {
		w, err := sim.New(p, r, sim.Serial)
		if err != nil {
			t.Fatal(err)
		}
		for !w.Done() {
			w.Step(sim.Serial)
		}
		out[r] = *w.Series()
	}
	return out
}
