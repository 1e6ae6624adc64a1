package scenarios

import (
	"slices"
	"testing"

	"migrasim/sim"
)

// Every policy lever names the metrics it touches, and a comparison of the
// library's scenarios touches what they are about.
func TestTouched(t *testing.T) {
	for _, f := range fieldsOf(policyType) {
		if len(LeverMetrics[f.name]) == 0 {
			t.Errorf("LeverMetrics lacks policy.%s", f.name)
		}
	}
	load := func(name string) *sim.Params {
		p, err := Load(name)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	base := load("baseline")
	for _, tt := range []struct {
		others []string
		want   []sim.Metric
	}{
		{[]string{"cam-cancellation", "tps-termination"}, []sim.Metric{sim.CAMArrivals, sim.StockTPS}},
		{[]string{"daca-rescission"}, []sim.Metric{sim.StockDACA}},
		{[]string{"aid-initiative"}, []sim.Metric{sim.UnemploymentRate}},
		{[]string{"aid-cut"}, []sim.Metric{sim.UnemploymentRate}},
		{[]string{"gang-deportations"}, []sim.Metric{sim.USRemovalsCriminal}},
	} {
		var others []*sim.Params
		for _, n := range tt.others {
			others = append(others, load(n))
		}
		got := Touched(base, others...)
		for _, m := range tt.want {
			if !slices.Contains(got, m) {
				t.Errorf("baseline vs %v: touched %v lacks %s", tt.others, got, m)
			}
		}
	}
	if got := Touched(base, load("baseline")); len(got) != 0 {
		t.Errorf("baseline vs itself touches %v", got)
	}
}
