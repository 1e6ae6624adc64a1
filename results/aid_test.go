package results

import (
	"bytes"
	"strings"
	"testing"

	"migrasim/sim"
)

// An effect per million dollars is the effect over the dollars, its
// interval scaled alike (and turned round for a cut); scenarios that spend
// as much as their reference, and other measures or periods, have none.
func TestPerMillion(t *testing.T) {
	dep := Measure{Name: "departures_total"}
	all := Period{Label: "all"}
	diffs := []Difference{
		{Scenario: "aid", Reference: "a", Country: sim.SV, Measure: dep, Period: all, Diff: Estimate{Mean: -200, Low: -300, High: -100}},
		{Scenario: "cut", Reference: "a", Country: sim.SV, Measure: dep, Period: all, Diff: Estimate{Mean: 100, Low: 50, High: 150}},
		{Scenario: "aid", Reference: "a", Country: sim.HN, Measure: dep, Period: all, Diff: Estimate{Mean: -50}},
		{Scenario: "aid", Reference: "a", Country: sim.SV, Measure: Measure{Name: "returnees"}, Period: all},
		{Scenario: "aid", Reference: "a", Country: sim.SV, Measure: dep, Period: Period{Label: "2018"}},
	}
	extra := map[string][sim.NumCountries]float64{"aid": {4, 0, 0}, "cut": {-2, 0, 0}}
	rows := PerMillionOfDifferences(diffs, "all", extra)
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2: %+v", len(rows), rows)
	}
	if r := rows[0]; r.Mean != -50 || r.Lo != -75 || r.Hi != -25 {
		t.Errorf("aid: %+v, want -50 [-75, -25] per million", r)
	}
	if r := rows[1]; r.Mean != -50 || r.Lo != -75 || r.Hi != -25 || r.Dollars != -2 {
		t.Errorf("cut: %+v, want -50 [-75, -25] per million cut (more departures per dollar cut)", r)
	}
	var b bytes.Buffer
	if err := WritePerMillionTable(&b, rows); err != nil || !strings.Contains(b.String(), "cut vs a, SV: -50 [-75, -25] per $1M (cut $2.0M less aid)") {
		t.Errorf("table: %v\n%s", err, b.String())
	}
}
