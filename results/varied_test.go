package results

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"migrasim/sim"
)

// variedSets builds a comparison of b and c against a at every point of a
// grid (the first key slowest), with a difference that is the sum of the
// point's values, for every country.
func variedSets(keys []string, values [][]string) []VariedDifferences {
	m := measureNamed("departures_total")
	points := [][]string{nil}
	for _, vs := range values {
		var next [][]string
		for _, p := range points {
			for _, v := range vs {
				next = append(next, append(append([]string(nil), p...), v))
			}
		}
		points = next
	}
	var sets []VariedDifferences
	for _, p := range points {
		var sum float64
		for _, v := range p {
			var x float64
			fmt.Sscan(v, &x)
			sum += x
		}
		set := VariedDifferences{Keys: keys, Values: p}
		for _, s := range []string{"b", "c"} {
			for c := sim.Country(0); c < sim.NumCountries; c++ {
				set.Diffs = append(set.Diffs, Difference{Scenario: s, Reference: "a", Country: c, Measure: m,
					Period: Period{Label: "all"}, Mean: 10 + sum, RefMean: 10, Diff: Estimate{N: 2, Mean: sum, Low: sum - 1, High: sum + 1}, SameSign: 1})
			}
		}
		sets = append(sets, set)
	}
	return sets
}

// comparison.csv keeps vary_key, vary_value for none or one key and adds a
// key and a value column for each further key; the table names every key's
// value; sets of different keys are refused.
func TestComparisonVaryColumns(t *testing.T) {
	for _, tt := range []struct {
		keys   []string
		values [][]string
		header string
		row    string
		table  string
	}{
		{nil, nil, strings.Join(ComparisonHeader, ","), "\n,,b,a,SV,departures_total,all,sum,2,10,10,0,", ""},
		{[]string{"feedback.strength"}, [][]string{{"0", "2"}}, strings.Join(ComparisonHeader, ","),
			"\nfeedback.strength,2,b,a,SV,departures_total,all,sum,2,12,10,2,", "\nwith feedback.strength = 0\n"},
		{[]string{"decision.deterrence", "feedback.strength"}, [][]string{{"0", "-3"}, {"0", "2.2"}},
			"vary_key,vary_value,vary_key_2,vary_value_2," + strings.Join(ComparisonHeader[2:], ","),
			"\ndecision.deterrence,-3,feedback.strength,2.2,b,a,SV,departures_total,all,sum,2,9.2,10,-0.8,", "\nwith decision.deterrence = 0, feedback.strength = 0\n"},
	} {
		sets := variedSets(tt.keys, tt.values)
		var csv, table bytes.Buffer
		if err := WriteComparison(&csv, sets); err != nil {
			t.Fatal(err)
		}
		if head, _, _ := strings.Cut(csv.String(), "\n"); head != tt.header {
			t.Errorf("%v: header\n%s\nwant\n%s", tt.keys, head, tt.header)
		}
		if !strings.Contains(csv.String(), tt.row) {
			t.Errorf("%v: comparison.csv lacks %q:\n%s", tt.keys, tt.row, csv.String())
		}
		if err := WriteComparisonTable(&table, sets[0], "all"); err != nil {
			t.Fatal(err)
		}
		if tt.table == "" && strings.Contains(table.String(), "\nwith ") || !strings.HasPrefix(table.String(), tt.table) {
			t.Errorf("%v: the table begins\n%.80s\nwant %q", tt.keys, table.String(), tt.table)
		}
	}
	sets := append(variedSets([]string{"x"}, [][]string{{"1"}}), variedSets([]string{"x", "y"}, [][]string{{"1"}, {"2"}})...)
	if err := WriteComparison(&bytes.Buffer{}, sets); err == nil {
		t.Error("sets of one and of two keys written as one file")
	}
}

// One varied key plots against its value, two plot against the first with
// a line per scenario and value of the second, more plot nothing and say so.
func TestPlotVaryKeys(t *testing.T) {
	for _, tt := range []struct {
		keys   []string
		values [][]string
		plots  int
		legend []string
	}{
		{[]string{"feedback.strength"}, [][]string{{"0", "2", "5"}}, 2 * len(PlotMeasures), []string{"b − a", "c − a"}},
		{[]string{"decision.deterrence", "feedback.strength"}, [][]string{{"0", "-3"}, {"0", "2.2", "5"}}, 2 * len(PlotMeasures),
			[]string{"b − a, feedback.strength = 0", "c − a, feedback.strength = 0", "b − a, feedback.strength = 2.2",
				"c − a, feedback.strength = 2.2", "b − a, feedback.strength = 5", "c − a, feedback.strength = 5"}},
		{[]string{"decision.deterrence", "feedback.strength", "remigration.border"}, [][]string{{"0", "-3"}, {"0", "2"}, {"1", "2"}}, 0, nil},
	} {
		sets := variedSets(tt.keys, tt.values)
		outs, err := ComparisonPlots(context.Background(), []string{"a", "b", "c"}, nil, sets, "all")
		if err != nil || len(outs) != tt.plots {
			t.Errorf("%v: %d plots, %v; want %d", tt.keys, len(outs), err, tt.plots)
		}
		if note := VariedPlotsNote(sets); (note != "") != (tt.plots == 0) {
			t.Errorf("%v: note %q with %d plots", tt.keys, note, len(outs))
		}
		if tt.legend == nil {
			continue
		}
		f, err := PlotVaried(sets, measureNamed("departures_total"), "all")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range f.legend {
			got = append(got, l.name)
		}
		if strings.Join(got, "; ") != strings.Join(tt.legend, "; ") {
			t.Errorf("%v: legend %q, want %q", tt.keys, got, tt.legend)
		}
		if len(tt.keys) == 2 && !strings.Contains(f.title, "against decision.deterrence, by feedback.strength") {
			t.Errorf("title %q", f.title)
		}
		if err := f.Write(&bytes.Buffer{}, "svg"); err != nil {
			t.Error(err)
		}
	}
}
