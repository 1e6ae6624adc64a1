package results

import (
	"bufio"
	"fmt"
	"io"
	"strconv"

	"migrasim/sim"
)

// Outputs by department: series_department.csv, summary_department.csv and
// comparison_department.csv hold the department metrics (sim.DepartmentMetric)
// in the layout of their national counterparts, with a department column
// after the country. Their size is fixed by the run: the series has
// departments × metrics × months × replicates rows (54 × 13 × 120 × 10 =
// 842,400 rows, about 45 MB, for the baseline's 120 months and 10
// replicates); the summary and the comparison have departments × metrics ×
// periods rows per scenario (54 × 13 × 11 = 7,722 for ten calendar years).

// DepartmentSeriesHeader is the column order of series_department.csv.
var DepartmentSeriesHeader = []string{"scenario", "replicate", "month", "country", "department", "metric", "value"}

// checkDepartments reports a series that did not record its departments.
func checkDepartments(series []sim.Series) error {
	for _, s := range series {
		if s.Departments.Values == nil {
			return fmt.Errorf("%s replicate %d: no department series (run with sim.Options.ByDepartment)", s.Scenario, s.Replicate)
		}
	}
	return nil
}

// WriteDepartmentSeries writes the department series in tidy long format:
// one row per scenario, replicate, month, department (in geography order,
// grouped by country) and metric, in that nesting order.
func WriteDepartmentSeries(w io.Writer, series []sim.Series) error {
	if err := checkDepartments(series); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	WriteRow(bw, DepartmentSeriesHeader)
	buf := make([]byte, 0, 160)
	for _, s := range series {
		d := &s.Departments
		for t := range s.Months {
			month := s.Start.Add(t).String()
			for r := range d.Len() {
				for m := sim.DepartmentMetric(0); m < sim.NumDepartmentMetrics; m++ {
					buf = buf[:0]
					buf = AppendField(buf, s.Scenario)
					buf = append(buf, ',')
					buf = strconv.AppendInt(buf, int64(s.Replicate), 10)
					buf = append(buf, ',')
					buf = append(buf, month...)
					buf = append(buf, ',')
					buf = append(buf, d.Countries[r].Code()...)
					buf = append(buf, ',')
					buf = AppendField(buf, d.Names[r])
					buf = append(buf, ',')
					buf = append(buf, m.Name()...)
					buf = append(buf, ',')
					buf = AppendValue(buf, d.At(t, r, m))
					buf = append(buf, '\n')
					bw.Write(buf)
				}
			}
		}
	}
	return bw.Flush()
}

// AggregateDepartment reduces metric m of department r over a period of
// one replicate, as Aggregate does for a country: a flow sums, a stock
// takes the last month, a rate averages.
func AggregateDepartment(s *sim.Series, r int, m sim.DepartmentMetric, p Period) float64 {
	d := &s.Departments
	switch m.Kind() {
	case sim.Stock:
		return d.At(p.To-1, r, m)
	case sim.Rate:
		return d.Total(r, m, p.From, p.To) / float64(p.To-p.From)
	}
	return d.Total(r, m, p.From, p.To)
}

// DepartmentSummaryHeader is the column order of summary_department.csv.
var DepartmentSummaryHeader = []string{"scenario", "country", "department", "metric", "period", "aggregate", "replicates", "mean", "sd", "ci_low", "ci_high"}

// WriteDepartmentSummary writes, for each department, metric and period
// (each calendar year, then "all"), the mean over replicates, the standard
// deviation and the Student-t 95% interval, as WriteSummary does per
// country. All series must come from one scenario.
func WriteDepartmentSummary(w io.Writer, series []sim.Series) error {
	if err := checkDepartments(series); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	WriteRow(bw, DepartmentSummaryHeader)
	if len(series) == 0 {
		return bw.Flush()
	}
	s0 := &series[0]
	d := &s0.Departments
	xs := make([]float64, len(series))
	var buf []byte
	for r := range d.Len() {
		for m := sim.DepartmentMetric(0); m < sim.NumDepartmentMetrics; m++ {
			for _, p := range Years(s0.Start, s0.Months) {
				for i := range series {
					xs[i] = AggregateDepartment(&series[i], r, m, p)
				}
				e := EstimateOf(xs)
				buf = buf[:0]
				for _, f := range []string{s0.Scenario, d.Countries[r].Code(), d.Names[r], m.Name(), p.Label, aggregateName[m.Kind()]} {
					buf = AppendField(buf, f)
					buf = append(buf, ',')
				}
				buf = strconv.AppendInt(buf, int64(e.N), 10)
				for _, v := range []float64{e.Mean, e.SD, e.Low, e.High} {
					buf = append(buf, ',')
					buf = AppendValue(buf, v)
				}
				buf = append(buf, '\n')
				bw.Write(buf)
			}
		}
	}
	return bw.Flush()
}
