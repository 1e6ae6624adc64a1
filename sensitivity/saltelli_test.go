package sensitivity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"migrasim/design"
	"migrasim/results"
	"migrasim/sweep"
)

// saltelliRunsCSV writes the runs.csv of a Saltelli sweep of n base points
// over three keys in [-π, π], two replicates a point, whose outcome
// SV_departures_uac is the Ishigami function plus ±0.5 (so only the
// replicate mean is Ishigami's), and every other outcome is zero.
func saltelliRunsCSV(t testing.TB, n int, seed uint64) string {
	s, err := design.NewSaltelli(n, 3, seed)
	if err != nil {
		t.Fatal(err)
	}
	keys := []string{"x.one", "x.two", "x.three"}
	head := sweep.RunsHeader(keys)
	col := slices.Index(head, "SV_departures_uac")
	var b strings.Builder
	b.WriteString(strings.Join(head, ",") + "\n")
	run := 0
	for p, u := range s.Rows() {
		for r, noise := range []float64{0.5, -0.5} {
			row := make([]string, len(head))
			for j := range row {
				row[j] = "0"
			}
			row[0], row[1], row[2], row[3], row[4] = strconv.Itoa(run), strconv.Itoa(p), fmt.Sprintf("s-p%d", p), strconv.Itoa(r), "1"
			for j, x := range u {
				row[5+j] = strconv.FormatFloat(-math.Pi+2*math.Pi*x, 'g', -1, 64)
			}
			row[col] = strconv.FormatFloat(ishigami(u)+noise, 'g', -1, 64)
			b.WriteString(strings.Join(row, ",") + "\n")
			run++
		}
	}
	return b.String()
}

// A Saltelli sweep's runs.csv of the Ishigami function gives its analytic
// indices within the 90% bootstrap intervals, through SaltelliFromRuns and
// Sobol and through AnalyseSaltelli. Six intervals at 90%, fixed seeds;
// checked to fail when SaltelliFromRuns swaps A and B.
func TestSaltelliFromRunsIshigami(t *testing.T) {
	const n = 2048
	rs, err := ReadRuns(strings.NewReader(saltelliRunsCSV(t, n, 1)), "runs.csv")
	if err != nil {
		t.Fatal(err)
	}
	y, err := rs.Outcome("SV_departures_uac")
	if err != nil {
		t.Fatal(err)
	}
	fA, fB, fAB, err := SaltelliFromRuns(rs, n, y)
	if err != nil {
		t.Fatal(err)
	}
	direct, err := Sobol(fA, fB, fAB, Bootstrap{Src: rand.New(rand.NewPCG(1, 0))})
	if err != nil {
		t.Fatal(err)
	}
	m, ok := results.MeasureNamed("departures_uac")
	if !ok {
		t.Fatal("no measure departures_uac")
	}
	a, err := AnalyseSaltelli(rs, n, []results.Measure{m}, false, 1)
	if err != nil {
		t.Fatal(err)
	}
	var viaAnalyse []Indices
	for _, row := range a.Sobol {
		if row.Country == "SV" {
			viaAnalyse = append(viaAnalyse, row.Indices)
		}
	}
	if !slices.Equal(viaAnalyse, direct) {
		t.Errorf("AnalyseSaltelli gives %v, SaltelliFromRuns and Sobol %v", viaAnalyse, direct)
	}
	for i, ix := range direct {
		for _, c := range []struct {
			name string
			x    Index
			want float64
		}{{"S1", ix.S1, ishigamiS1[i]}, {"ST", ix.ST, ishigamiST[i]}} {
			t.Logf("key %d %s %.4f [%.4f, %.4f], analytic %.4f", i, c.name, c.x.Est, c.x.Lo, c.x.Hi, c.want)
			if !(c.x.Lo <= c.want && c.want <= c.x.Hi) {
				t.Errorf("key %d: %s %.4f [%.4f, %.4f] misses the analytic %.4f", i, c.name, c.x.Est, c.x.Lo, c.x.Hi, c.want)
			}
		}
	}
}

// Runs that are not the Saltelli sample the caller says they are are refused.
func TestSaltelliFromRunsRefuses(t *testing.T) {
	rs, err := ReadRuns(strings.NewReader(saltelliRunsCSV(t, 8, 1)), "runs.csv")
	if err != nil {
		t.Fatal(err)
	}
	y, _ := rs.Outcome("SV_departures_uac")
	for _, c := range []struct {
		name string
		n    int
		want string
	}{
		{"wrong n", 4, "design points, want 20"},
		{"one base point", 1, "at least 2"},
	} {
		if _, _, _, err := SaltelliFromRuns(rs, c.n, y); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error with %q", c.name, err, c.want)
		}
	}
	// Swap two points' keys: row 0 of AB_0 no longer matches A.
	for k := range rs.Point {
		switch rs.Point[k] {
		case 16:
			rs.Point[k] = 17
		case 17:
			rs.Point[k] = 16
		}
	}
	if _, _, _, err := SaltelliFromRuns(rs, 8, y); err == nil || !strings.Contains(err.Error(), "not a Saltelli sample") {
		t.Errorf("shuffled AB rows: got %v", err)
	}
	y[3] = math.NaN()
	if _, _, _, err := SaltelliFromRuns(rs, 8, y); err == nil || !strings.Contains(err.Error(), "NA outcome") {
		t.Errorf("NA outcome: got %v", err)
	}
}
