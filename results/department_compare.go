package results

import (
	"bufio"
	"fmt"
	"io"
	"strconv"

	"migrasim/sim"
)

// DepartmentDifference is a scenario against the reference for one
// department, metric and period, estimated as Compare does per country: the
// paired difference over replicates.
type DepartmentDifference struct {
	Scenario, Reference string
	Country             sim.Country
	Department          string
	Metric              sim.DepartmentMetric
	Period              Period
	Mean, RefMean       float64
	Diff                Estimate
	SameSign            float64 // as in Difference
}

// CompareDepartments pairs each scenario's replicates with the reference's
// (runs[0]) for every department and department metric. The runs must share
// start, months and replicates, and hold their department series.
func CompareDepartments(names []string, runs [][]sim.Series, periods []Period) ([]DepartmentDifference, error) {
	if len(runs) < 2 || len(names) != len(runs) {
		return nil, fmt.Errorf("compare by department: want two or more scenarios, got %d", len(runs))
	}
	ref := runs[0]
	for i, r := range runs {
		if err := checkDepartments(r); err != nil {
			return nil, fmt.Errorf("compare by department: %w", err)
		}
		if len(r) != len(ref) || r[0].Start != ref[0].Start || r[0].Months != ref[0].Months || r[0].Departments.Len() != ref[0].Departments.Len() {
			return nil, fmt.Errorf("compare by department: %s and %s do not share start, months, replicates and departments", names[0], names[i])
		}
	}
	n := len(ref)
	d0 := &ref[0].Departments
	var out []DepartmentDifference
	a, b, d := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := 1; i < len(runs); i++ {
		for r := range d0.Len() {
			for m := sim.DepartmentMetric(0); m < sim.NumDepartmentMetrics; m++ {
				for _, p := range periods {
					for k := range n {
						a[k] = AggregateDepartment(&runs[i][k], r, m, p)
						b[k] = AggregateDepartment(&ref[k], r, m, p)
						d[k] = a[k] - b[k]
					}
					e := EstimateOf(d)
					out = append(out, DepartmentDifference{Scenario: names[i], Reference: names[0], Country: d0.Countries[r],
						Department: d0.Names[r], Metric: m, Period: p, Mean: EstimateOf(a).Mean, RefMean: EstimateOf(b).Mean,
						Diff: e, SameSign: sameSign(d, e.Mean)})
				}
			}
		}
	}
	return out, nil
}

// DepartmentComparisonHeader is the column order of comparison_department.csv.
var DepartmentComparisonHeader = []string{"scenario", "reference", "country", "department", "metric", "period",
	"aggregate", "replicates", "mean", "reference_mean", "diff_mean", "diff_sd", "diff_ci_low", "diff_ci_high", "same_sign_share"}

// WriteDepartmentComparison writes department differences in tidy long format.
func WriteDepartmentComparison(w io.Writer, diffs []DepartmentDifference) error {
	bw := bufio.NewWriter(w)
	WriteRow(bw, DepartmentComparisonHeader)
	var buf []byte
	for _, d := range diffs {
		buf = buf[:0]
		for _, f := range []string{d.Scenario, d.Reference, d.Country.Code(), d.Department, d.Metric.Name(), d.Period.Label, aggregateName[d.Metric.Kind()]} {
			buf = AppendField(buf, f)
			buf = append(buf, ',')
		}
		buf = strconv.AppendInt(buf, int64(d.Diff.N), 10)
		for _, v := range []float64{d.Mean, d.RefMean, d.Diff.Mean, d.Diff.SD, d.Diff.Low, d.Diff.High, d.SameSign} {
			buf = append(buf, ',')
			buf = AppendValue(buf, v)
		}
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	return bw.Flush()
}
