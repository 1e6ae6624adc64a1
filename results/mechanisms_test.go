package results

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"migrasim/sim"
)

// mechQuestion has one measure and one horizon: cells are the countries.
func mechQuestion() *Question {
	return &Question{ScenarioA: "a", ScenarioB: "b", Start: sim.MonthOf(2018, 1),
		Measures: []Measure{CompareMeasures[0]}, Horizons: []Period{{Label: "all", From: 0, To: 12}}}
}

// cells gives every country the same replicates' differences, except Honduras,
// whose are 0 in every arm (an effect of exactly nothing).
func cells(xs ...float64) Draw {
	return Draw{xs, make([]float64, len(xs)), xs}
}

// On made-up differences in whole numbers, where no arithmetic rounds, the
// decomposition is exact: in El Salvador two draws of two replicates have
// full effects 10, 20 | 30, 40 (mean 25); without m1 4, 6 | 10, 20 (mean
// 10, contribution 15, share 0.6); without m2 10, 20 | 30, 36 (mean 24,
// contribution 1, share 0.04); so the residual is 25 − 16 = 9, and the
// contributions and the residual add to the full effect exactly. In
// Honduras the full effect is 0, so every share is NA.
func TestMechanismsDecomposeExact(t *testing.T) {
	q := mechQuestion()
	full := []Draw{cells(10, 20), cells(30, 40)}
	without := [][]Draw{{cells(4, 6), cells(10, 20)}, {cells(10, 20), cells(30, 36)}}
	rows, err := q.Decompose([]string{"m1", "m2"}, []string{"k1=0", "k2=false"}, full, without, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3*3 {
		t.Fatalf("%d rows, want 9", len(rows))
	}
	sv := rows[:3]
	for i, want := range []struct {
		name                            string
		without, contrib, lo, hi, share float64
		shareLo, shareHi                float64
	}{
		// m1: contributions 6, 14 | 20, 20; draw shares 10/15, 20/35.
		{"m1", 10, 15, 6, 20, 0.6, 4.0 / 7, 2.0 / 3},
		// m2: contributions 0, 0 | 0, 4; draw shares 0, 2/35.
		{"m2", 24, 1, 0, 4, 0.04, 0, 2.0 / 35},
		// residual: 10−6−0, 20−14−0 | 30−20−0, 40−20−4 = 4, 6 | 10, 16; shares 5/15, 13/35.
		{Residual, math.NaN(), 9, 4, 16, 0.36, 1.0 / 3, 13.0 / 35},
	} {
		r := sv[i]
		if r.Mechanism != want.name || r.Full != 25 || !same(r.Without, want.without) || r.Contribution != want.contrib ||
			r.Lo90 != want.lo || r.Hi90 != want.hi || r.Share != want.share || r.ShareLo90 != want.shareLo || r.ShareHi90 != want.shareHi ||
			r.Draws != 2 || r.Replicates != 2 {
			t.Errorf("row %d: %+v, want %+v", i, r, want)
		}
	}
	for c := range 3 {
		rs := rows[3*c : 3*c+3]
		if sum := rs[0].Contribution + rs[1].Contribution + rs[2].Contribution; sum != rs[0].Full {
			t.Errorf("%s: contributions and residual add to %g, full effect %g", rs[0].Country.Code(), sum, rs[0].Full)
		}
	}
	for _, r := range rows[3:6] {
		if r.Full != 0 || !math.IsNaN(r.Share) || !math.IsNaN(r.ShareLo90) || !math.IsNaN(r.ShareHi90) {
			t.Errorf("HN %s: full %g, share %g [%g, %g]; want 0 and NA", r.Mechanism, r.Full, r.Share, r.ShareLo90, r.ShareHi90)
		}
	}
}

func same(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

// At fixed parameters the replicates are the units of the share interval,
// and draws is 0; a replicate whose full effect is 0 has no share.
func TestMechanismsDecomposeFixed(t *testing.T) {
	q := mechQuestion()
	rows, err := q.Decompose([]string{"m"}, []string{"k=0"}, []Draw{cells(0, 10, 20)}, [][]Draw{{cells(5, 5, 5)}}, true)
	if err != nil {
		t.Fatal(err)
	}
	// Shares 5/10 and 15/20; the first replicate's full effect is 0.
	if r := rows[0]; r.Draws != 0 || r.Replicates != 3 || r.ShareLo90 != 0.5 || r.ShareHi90 != 0.75 || r.Share != 5.0/10 {
		t.Errorf("%+v", r)
	}
	if _, err := q.Decompose([]string{"m"}, []string{"k=0"}, []Draw{cells(1), cells(2)}, [][]Draw{{cells(1), cells(2)}}, true); err == nil {
		t.Error("two draws at fixed parameters: no error")
	}
	if _, err := q.Decompose([]string{"m"}, []string{"k=0"}, []Draw{cells(1, 2)}, [][]Draw{{cells(1)}}, false); err == nil {
		t.Error("a mechanism with fewer replicates: no error")
	}
}

// mechanisms.csv has exactly these columns, and NA where a value is not
// defined.
func TestWriteMechanisms(t *testing.T) {
	q := mechQuestion()
	rows, err := q.Decompose([]string{"feedback"}, []string{"feedback.strength=0"}, []Draw{cells(10, 20)}, [][]Draw{{cells(4, 6)}}, false)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteMechanisms(&buf, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	want := []string{
		"scenario_a,scenario_b,country,metric,horizon,mechanism,overrides,full,without,contribution,contribution_lo90,contribution_hi90,share,share_lo90,share_hi90,draws,replicates",
		"a,b,SV,departures_total,all,feedback,feedback.strength=0,15,5,10,6,14,0.667,0.667,0.667,1,2",
		"a,b,SV,departures_total,all,residual,,15,NA,5,4,6,0.333,0.333,0.333,1,2",
		"a,b,HN,departures_total,all,feedback,feedback.strength=0,0,0,0,0,0,NA,NA,NA,1,2",
	}
	if len(lines) != 1+3*2+1 || strings.Join(lines[:4], "\n") != strings.Join(want, "\n") {
		t.Errorf("mechanisms.csv:\n%s\nwant it to start\n%s", buf.String(), strings.Join(want, "\n"))
	}
	var table bytes.Buffer
	if err := WriteMechanismTable(&table, rows, "departures_total", "all"); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"El Salvador (SV): full effect +15", "+10 [+6, +14]", "67% [67%, 67%]", "Honduras (HN): full effect 0", "NA"} {
		if !strings.Contains(table.String(), s) {
			t.Errorf("table has no %q:\n%s", s, table.String())
		}
	}
}
