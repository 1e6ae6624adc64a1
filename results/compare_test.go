package results

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"migrasim/sim"
)

// The same-sign share is NA, not 1, where the scenarios do not differ in any
// replicate: a share of 100% would read as a consistent effect.
func TestCompareSameSignOfNoDifference(t *testing.T) {
	start := sim.MonthOf(2017, 1)
	ps, err := Horizons(start, 12, start, sim.MonthOf(2017, 12))
	if err != nil {
		t.Fatal(err)
	}
	var a, b []sim.Series
	for r := range 3 {
		// B's SV child departures exceed A's by r+1 a month; HN is 0 in both.
		a = append(a, svSeries(start, 12, func(int) float64 { return 1 }, sim.DeparturesUAC))
		b = append(b, svSeries(start, 12, func(int) float64 { return float64(r + 2) }, sim.DeparturesUAC))
	}
	ds, err := Compare([]string{"a", "b"}, [][]sim.Series{a, b}, []Measure{measureNamed("departures_uac")}, ps[:1])
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		switch d.Country {
		case sim.SV:
			if d.SameSign != 1 {
				t.Errorf("SV: same_sign_share %g, want 1", d.SameSign)
			}
		default:
			if !math.IsNaN(d.SameSign) {
				t.Errorf("%s: same_sign_share %g for differences that are all 0, want NaN", d.Country.Code(), d.SameSign)
			}
		}
	}
	set := VariedDifferences{Diffs: ds}
	var csv, table bytes.Buffer
	if err := WriteComparison(&csv, []VariedDifferences{set}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csv.String(), ",HN,departures_uac,") || !strings.Contains(csv.String(), ",0,0,0,0,0,0,NA\n") {
		t.Errorf("comparison.csv has no NA share for HN:\n%s", csv.String())
	}
	if err := WriteComparisonTable(&table, set, ps[0].Label); err != nil {
		t.Fatal(err)
	}
	hn := table.String()[strings.Index(table.String(), "(HN)"):]
	if !strings.Contains(hn, "–") || strings.Contains(hn, "100%") {
		t.Errorf("the table prints a share for no difference:\n%s", hn)
	}
	if !strings.Contains(table.String(), "100%") {
		t.Errorf("the table lacks SV's share:\n%s", table.String())
	}
}
