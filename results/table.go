package results

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"migrasim/sim"
)

// TableMetrics are the metrics of the end-of-run table.
var TableMetrics = []sim.Metric{
	sim.DeparturesUAC, sim.DeparturesFamily, sim.DeparturesAdult,
	sim.USApprehensionsUAC, sim.USApprehensionsFamily, sim.USApprehensionsAdult,
	sim.MXDeportations, sim.USRemovalsBorder, sim.USRemovalsInterior, sim.Returnees,
	sim.StockUndocumented, sim.HomicideRate,
}

// WriteTable prints, per country, each table metric over the whole run (flows
// summed, stocks at the end, rates averaged) as the mean over replicates with
// its 95% confidence interval.
func WriteTable(w io.Writer, series []sim.Series) error {
	if len(series) == 0 {
		return nil
	}
	s0 := &series[0]
	all := Period{Label: "all", From: 0, To: s0.Months}
	fmt.Fprintf(w, "%s: %s to %s, %d replicate(s); mean [95%% CI] over replicates\n",
		s0.Scenario, s0.Start, s0.Start.Add(s0.Months-1), len(series))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"metric", "aggregate"}
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		head = append(head, c.Code())
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	xs := make([]float64, len(series))
	for _, m := range TableMetrics {
		row := []string{m.Name(), aggregateName[m.Kind()]}
		for c := sim.Country(0); c < sim.NumCountries; c++ {
			for i := range series {
				xs[i] = Aggregate(&series[i], c, m, all)
			}
			row = append(row, FormatEstimate(EstimateOf(xs)))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	return tw.Flush()
}

// FormatEstimate prints "mean [low, high]" with magnitudes people read easily.
func FormatEstimate(e Estimate) string {
	if math.IsNaN(e.Low) {
		return Human(e.Mean)
	}
	return fmt.Sprintf("%s [%s, %s]", Human(e.Mean), Human(e.Low), Human(e.High))
}

// Human formats a number with at most four significant figures, with k or M
// for thousands and millions.
func Human(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v):
		return "NA"
	case a >= 1e6:
		return fmt.Sprintf("%.3g", v/1e6) + "M"
	case a >= 1e4:
		return fmt.Sprintf("%.3g", v/1e3) + "k"
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.3g", v)
}
