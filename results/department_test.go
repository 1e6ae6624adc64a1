package results

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"slices"
	"strings"
	"testing"

	"migrasim/scenarios"
	"migrasim/sim"
)

// departmentParams is the baseline at scale 0.005 for 14 months from 2014
// with three replicates.
func departmentParams(t *testing.T) *sim.Params {
	t.Helper()
	p, err := scenarios.Load("status-quo")
	if err != nil {
		t.Fatal(err)
	}
	p.Start, p.Months, p.Scale, p.Replicates = sim.MonthOf(2014, 1), 14, 0.005, 3
	return p
}

// departmentRuns runs two scenarios paired, recording departments: a (the
// baseline), and b with tripled interior removals.
func departmentRuns(t *testing.T) ([]string, [][]sim.Series) {
	t.Helper()
	a := departmentParams(t)
	a.Name = "a"
	b := *a
	b.Name = "b"
	b.Policy.InteriorRemovals = sim.InteriorRemovals{Window: sim.Window{From: a.Start.Add(2)}, RateMultiplier: 3}
	runs, err := sim.RunPaired(context.Background(), []*sim.Params{a, &b}, sim.Options{Workers: 2, ByDepartment: true})
	if err != nil {
		t.Fatal(err)
	}
	return []string{a.Name, b.Name}, runs
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestDepartmentCSVHeaders pins the column order of the three department files.
func TestDepartmentCSVHeaders(t *testing.T) {
	names, runs := departmentRuns(t)
	diffs, err := CompareDepartments(names, runs, Years(runs[0][0].Start, runs[0][0].Months))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer) error
		want  string
	}{
		{"series", func(b *bytes.Buffer) error { return WriteDepartmentSeries(b, runs[0]) },
			"scenario,replicate,month,country,department,metric,value"},
		{"summary", func(b *bytes.Buffer) error { return WriteDepartmentSummary(b, runs[0]) },
			"scenario,country,department,metric,period,aggregate,replicates,mean,sd,ci_low,ci_high"},
		{"comparison", func(b *bytes.Buffer) error { return WriteDepartmentComparison(b, diffs) },
			"scenario,reference,country,department,metric,period,aggregate,replicates,mean,reference_mean,diff_mean,diff_sd,diff_ci_low,diff_ci_high,same_sign_share"},
	} {
		var b bytes.Buffer
		if err := tc.write(&b); err != nil {
			t.Fatal(err)
		}
		if head, _, _ := strings.Cut(b.String(), "\n"); head != tc.want {
			t.Errorf("%s header:\n got %s\nwant %s", tc.name, head, tc.want)
		}
	}
}

// TestDepartmentSeriesRows: one row per replicate, month, department and
// metric, naming the geography's departments, with the values recorded.
func TestDepartmentSeriesRows(t *testing.T) {
	_, runs := departmentRuns(t)
	s := runs[0]
	var b bytes.Buffer
	if err := WriteDepartmentSeries(&b, s); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, b.Bytes())[1:]
	d := &s[0].Departments
	if want := len(s) * s[0].Months * d.Len() * int(sim.NumDepartmentMetrics); len(rows) != want {
		t.Fatalf("%d rows, want %d", len(rows), want)
	}
	for _, row := range rows {
		if !slices.Contains(d.Names, row[4]) {
			t.Fatalf("department %q is not in the geography", row[4])
		}
	}
	// Row of replicate 1, month 5, department 3, metric departures_adult.
	i := ((1*s[0].Months+5)*d.Len()+3)*int(sim.NumDepartmentMetrics) + int(sim.DeptDeparturesAdult)
	want := string(AppendValue(nil, s[1].Departments.At(5, 3, sim.DeptDeparturesAdult)))
	if row := rows[i]; row[1] != "1" || row[2] != s[0].Start.Add(5).String() || row[3] != d.Countries[3].Code() || row[4] != d.Names[3] || row[5] != "departures_adult" || row[6] != want {
		t.Errorf("row %d = %v, want replicate 1, %s, %s, %s, departures_adult, %s", i, row, s[0].Start.Add(5), d.Countries[3].Code(), d.Names[3], want)
	}
}

// TestDepartmentCompareEstimator: the department comparison uses the
// national estimator: summed over a country's departments, the paired
// differences of a flow are the national ones.
func TestDepartmentCompareEstimator(t *testing.T) {
	names, runs := departmentRuns(t)
	all := []Period{{Label: "all", From: 0, To: runs[0][0].Months}}
	diffs, err := CompareDepartments(names, runs, all)
	if err != nil {
		t.Fatal(err)
	}
	nat, err := Compare(names, runs, []Measure{single(sim.USRemovalsInterior)}, all)
	if err != nil {
		t.Fatal(err)
	}
	moved := false
	for _, n := range nat {
		var sum, ref float64
		for _, d := range diffs {
			if d.Country == n.Country && d.Metric == sim.DeptUSRemovalsInterior {
				sum += d.Diff.Mean
				ref += d.RefMean
			}
		}
		if math.Abs(sum-n.Diff.Mean) > 1e-6*math.Max(1, math.Abs(n.Diff.Mean)) || math.Abs(ref-n.RefMean) > 1e-6*math.Max(1, n.RefMean) {
			t.Errorf("%s: departments' differences sum to %g (reference %g), national %g (%g)", n.Country.Code(), sum, ref, n.Diff.Mean, n.RefMean)
		}
		moved = moved || n.Diff.Mean > 0
	}
	if !moved {
		t.Error("tripled removals removed no more people: the test does not see a difference")
	}
	if len(diffs) != runs[0][0].Departments.Len()*int(sim.NumDepartmentMetrics) {
		t.Errorf("%d differences, want one per department and metric", len(diffs))
	}
}

// TestDepartmentNotRecorded: writing department files from a run that did
// not record them is an error that says what to do.
func TestDepartmentNotRecorded(t *testing.T) {
	p := departmentParams(t)
	s, err := sim.Run(context.Background(), p, sim.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteDepartmentSeries(&b, s); err == nil || !strings.Contains(err.Error(), "ByDepartment") {
		t.Errorf("got %v, want an error naming ByDepartment", err)
	}
}
