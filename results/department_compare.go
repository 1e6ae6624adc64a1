package results

import (
	"bufio"
	"fmt"
	"io"

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
					}
					mean, refMean, diff, same := paired(a, b, d)
					out = append(out, DepartmentDifference{Scenario: names[i], Reference: names[0], Country: d0.Countries[r],
						Department: d0.Names[r], Metric: m, Period: p, Mean: mean, RefMean: refMean, Diff: diff, SameSign: same})
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
		for j, f := range []string{d.Scenario, d.Reference, d.Country.Code(), d.Department, d.Metric.Name(), d.Period.Label, aggregateName[d.Metric.Kind()]} {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = AppendField(buf, f)
		}
		buf = appendPaired(buf, d.Mean, d.RefMean, d.Diff, d.SameSign)
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	return bw.Flush()
}
