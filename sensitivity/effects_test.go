package sensitivity

import (
	"fmt"
	"strings"
	"testing"

	"migrasim/results"
	"migrasim/sweep"
)

// A comparison sweep's runs.csv (effect_COUNTRY_metric columns) is read as
// effects: its outcomes are named effect_MEASURE, and PRIM with effect
// finds where the effect is above zero, here where the key is above 0.5.
func TestAnalyseEffects(t *testing.T) {
	head := sweep.EffectsHeader([]string{"k"})
	var b strings.Builder
	b.WriteString(strings.Join(head, ",") + "\n")
	nOut := len(head) - 6
	for i := range 40 {
		x := (float64(i) + 0.5) / 40
		row := []string{fmt.Sprint(i), fmt.Sprint(i), "p", "0", "1", fmt.Sprint(x)}
		for range nOut {
			row = append(row, fmt.Sprint(x-0.5))
		}
		b.WriteString(strings.Join(row, ",") + "\n")
	}
	rs, err := ReadRuns(strings.NewReader(b.String()), "runs.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !rs.Effect || rs.Outcomes[0] != "effect_SV_departures_uac" {
		t.Fatalf("Effect %v, outcomes %v", rs.Effect, rs.Outcomes[:2])
	}
	m, _ := results.MeasureNamed("departures_total")
	a, err := Analyse(rs, []results.Measure{m}, true, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.PRIM) != 3 || a.PRIM[0].Outcome != "effect_departures_total" || a.Sobol[0].Outcome != "effect_departures_total" {
		t.Fatalf("PRIM %d rows, outcome %q", len(a.PRIM), a.PRIM[0].Outcome)
	}
	box := a.PRIM[0].Trajectory.Box()
	if box.Density != 1 || box.Lo[0] < 0.5 {
		t.Errorf("box %+v: want k above 0.5 with density 1", box)
	}
}
