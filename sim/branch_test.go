package sim_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"migrasim/scenarios"
	"migrasim/sim"
)

// branchOf writes a scenario that branches from historical in October 2017
// with extra, and loads it with short run settings.
func branchOf(t *testing.T, extra string) *sim.Params {
	t.Helper()
	path := filepath.Join(t.TempDir(), "branch.toml")
	text := "name = \"branch\"\nreference = \"historical\"\nbranch = \"2017-10\"\n" + extra
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := scenarios.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	short(p)
	return p
}

func short(p *sim.Params) {
	p.Start, p.Months, p.Scale, p.Replicates, p.Seed = sim.MonthOf(2016, 1), 60, 0.01, 2, 11
}

func run(t *testing.T, p *sim.Params) []sim.Series {
	t.Helper()
	s, err := sim.Run(context.Background(), p, sim.Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A branch is history month by month up to the branch, and differs after
// it where its own keys act; a branch that changes nothing is history
// throughout (its feedback is measured against history, so it is 0).
func TestBranchFollowsHistory(t *testing.T) {
	hist, err := scenarios.Load("historical")
	if err != nil {
		t.Fatal(err)
	}
	short(hist)
	want := run(t, hist)
	branchMonths := int(sim.MonthOf(2017, 10) - hist.Start)
	per := int(sim.NumCountries) * int(sim.NumMetrics)

	same := run(t, branchOf(t, ""))
	for r := range want {
		if !slices.Equal(same[r].Values, want[r].Values) {
			t.Errorf("replicate %d: a branch that changes nothing differs from history", r)
		}
	}

	got := run(t, branchOf(t, "[policy.interior_removals]\nfrom = \"2018-01\"\nrate_multiplier = 3\ngang_targeting = 0.5\n"))
	for r := range want {
		if got[r].Scenario != "branch" {
			t.Errorf("series named %q", got[r].Scenario)
		}
		if !slices.Equal(got[r].Values[:branchMonths*per], want[r].Values[:branchMonths*per]) {
			t.Errorf("replicate %d: the branch differs from history before October 2017", r)
		}
		after := int(sim.MonthOf(2019, 1) - hist.Start)
		var h, b float64
		for c := sim.Country(0); c < sim.NumCountries; c++ {
			h += want[r].Total(c, sim.USRemovalsInterior, after, hist.Months)
			b += got[r].Total(c, sim.USRemovalsInterior, after, hist.Months)
		}
		if b < 1.5*h {
			t.Errorf("replicate %d: tripled removals aimed half at gangs from 2018 give %.0f removals after 2018, history %.0f", r, b, h)
		}
		// The gang-tied returnees' feedback, measured against history.
		// (Removals aimed half at gangs: at this scale the gang-tied
		// returnees of untargeted removals are a handful of households a
		// quarter, and their feedback's sign is noise in one replicate.)
		if hb, hh := got[r].Total(sim.SV, sim.HomicideRate, after, hist.Months), want[r].Total(sim.SV, sim.HomicideRate, after, hist.Months); hb <= hh {
			t.Errorf("replicate %d: homicide in El Salvador after 2018 %.1f, history %.1f: no feedback from the extra returnees", r, hb, hh)
		}
	}
}

// A branch's keys are its reference's with its own on top, and the
// resolved text gives the same scenario back.
func TestBranchResolves(t *testing.T) {
	hist, err := scenarios.Load("historical")
	if err != nil {
		t.Fatal(err)
	}
	p := branchOf(t, "[decision]\ndeterrence = -2\n")
	if p.Decision.Deterrence != -2 || p.Policy.Mexico.ApprehensionMultiplier != hist.Policy.Mexico.ApprehensionMultiplier || p.ReferenceParams == nil || p.ReferenceParams.Name != "historical" {
		t.Fatalf("the branch did not start from historical's keys: deterrence %g, mexico %g", p.Decision.Deterrence, p.Policy.Mexico.ApprehensionMultiplier)
	}
	q, err := scenarios.Parse("branch.toml", []byte(scenarios.Format(p)))
	if err != nil {
		t.Fatal(err)
	}
	short(q)
	if !reflect.DeepEqual(p, q) {
		t.Error("Parse(Format(p)) differs from p for a branched scenario")
	}
}

// Bad branches are refused, naming the key.
func TestBranchRefused(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ text, want string }{
		{"reference = \"nosuch\"\nbranch = \"2017-10\"\n", "reference"},
		{"reference = \"policy-2017\"\nbranch = \"2017-10\"\n", "its own status quo"},
		{"reference = \"mass-deportation\"\nbranch = \"2018-10\"\n", "cannot branch"},
		{"branch = \"2017-10\"\n", "reference"},
	} {
		path := filepath.Join(dir, "b.toml")
		os.WriteFile(path, []byte(tt.text), 0o644)
		_, err := scenarios.Load(path)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want an error about %s", tt.text, err, tt.want)
		}
	}
}
