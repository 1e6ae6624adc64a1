package results

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"migrasim/sim"
)

// Measure is a metric, or a sum of metrics of one kind, to compare.
type Measure struct {
	Name    string
	Metrics []sim.Metric
}

// Kind is how the measure aggregates over time (that of its metrics).
func (m Measure) Kind() sim.Kind { return m.Metrics[0].Kind() }

// Aggregate reduces the measure for country c over period p of one replicate.
func (m Measure) Aggregate(s *sim.Series, c sim.Country, p Period) float64 {
	var v float64
	for _, x := range m.Metrics {
		v += Aggregate(s, c, x, p)
	}
	return v
}

// At is the measure's monthly value.
func (m Measure) At(s *sim.Series, t int, c sim.Country) float64 {
	var v float64
	for _, x := range m.Metrics {
		v += s.At(t, c, x)
	}
	return v
}

func single(m sim.Metric) Measure { return Measure{Name: m.Name(), Metrics: []sim.Metric{m}} }

// CompareMeasures are the key measures of a policy comparison.
var CompareMeasures = []Measure{
	{"departures_total", []sim.Metric{sim.DeparturesUAC, sim.DeparturesFamily, sim.DeparturesAdult}},
	single(sim.DeparturesUAC), single(sim.DeparturesFamily), single(sim.DeparturesAdult),
	{"us_apprehensions_total", []sim.Metric{sim.USApprehensionsUAC, sim.USApprehensionsFamily, sim.USApprehensionsAdult}},
	single(sim.MXDeportations),
	{"us_removals_total", []sim.Metric{sim.USRemovalsBorder, sim.USRemovalsInterior}},
	single(sim.USRemovalsInterior),
	single(sim.Returnees), single(sim.ReturneesGang),
	single(sim.HomicideRate),
	single(sim.StockUndocumented),
	{"stock_us_total", []sim.Metric{sim.StockUndocumented, sim.StockPending, sim.StockTPS, sim.StockDACA, sim.StockProtected}},
}

// MeasureNamed returns the compare measure called name (one of
// CompareMeasures, such as departures_total) or else the metric of that name.
func MeasureNamed(name string) (Measure, bool) {
	for _, m := range CompareMeasures {
		if m.Name == name {
			return m, true
		}
	}
	if x, ok := sim.ParseMetric(name); ok {
		return single(x), true
	}
	return Measure{}, false
}

// AllMeasures is every compare measure, then every metric not among them.
func AllMeasures() []Measure {
	out := slices.Clone(CompareMeasures)
	for x := sim.Metric(0); x < sim.NumMetrics; x++ {
		if !slices.ContainsFunc(out, func(m Measure) bool { return m.Name == x.Name() }) {
			out = append(out, single(x))
		}
	}
	return out
}

// MeasureNames are the names MeasureNamed knows, compare measures first.
func MeasureNames() []string {
	var out []string
	for _, m := range AllMeasures() {
		out = append(out, m.Name)
	}
	return out
}

// Difference is a scenario against the reference for one country, measure
// and period: its mean, the reference's, and the paired difference over
// replicates (common random numbers make replicate r of both comparable).
type Difference struct {
	Scenario, Reference string
	Country             sim.Country
	Measure             Measure
	Period              Period
	Mean, RefMean       float64
	Diff                Estimate
	SameSign            float64 // share of replicates whose difference has the sign of the mean difference; NaN when every difference is exactly 0
}

// Compare pairs each scenario's replicates with the reference's (runs[0]).
// All runs must have the same start, months and number of replicates.
func Compare(names []string, runs [][]sim.Series, measures []Measure, periods []Period) ([]Difference, error) {
	if len(runs) < 2 || len(names) != len(runs) {
		return nil, fmt.Errorf("compare: want two or more scenarios, got %d", len(runs))
	}
	ref := runs[0]
	for i, r := range runs[1:] {
		if len(r) != len(ref) || r[0].Start != ref[0].Start || r[0].Months != ref[0].Months {
			return nil, fmt.Errorf("compare: %s and %s do not share start, months and replicates", names[0], names[i+1])
		}
	}
	n := len(ref)
	var out []Difference
	a, b, d := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := 1; i < len(runs); i++ {
		for c := sim.Country(0); c < sim.NumCountries; c++ {
			for _, m := range measures {
				for _, p := range periods {
					for r := range n {
						a[r] = m.Aggregate(&runs[i][r], c, p)
						b[r] = m.Aggregate(&ref[r], c, p)
					}
					mean, refMean, diff, same := paired(a, b, d)
					out = append(out, Difference{Scenario: names[i], Reference: names[0], Country: c, Measure: m,
						Period: p, Mean: mean, RefMean: refMean, Diff: diff, SameSign: same})
				}
			}
		}
	}
	return out, nil
}

// paired estimates the paired comparison of a scenario's replicates a with
// the reference's b: their means, the paired differences (written into d)
// with their mean and 95% interval, and the share with the mean's sign.
func paired(a, b, d []float64) (mean, refMean float64, diff Estimate, same float64) {
	for k := range d {
		d[k] = a[k] - b[k]
	}
	diff = EstimateOf(d)
	return EstimateOf(a).Mean, EstimateOf(b).Mean, diff, sameSign(d, diff.Mean)
}

// appendPaired appends the numeric columns of a comparison row, each after
// a comma: replicates, mean, reference_mean, diff_mean, diff_sd,
// diff_ci_low, diff_ci_high and same_sign_share.
func appendPaired(buf []byte, mean, refMean float64, diff Estimate, same float64) []byte {
	buf = append(buf, ',')
	buf = strconv.AppendInt(buf, int64(diff.N), 10)
	for _, v := range []float64{mean, refMean, diff.Mean, diff.SD, diff.Low, diff.High, same} {
		buf = append(buf, ',')
		buf = AppendValue(buf, v)
	}
	return buf
}

// sameSign is the share of d with the sign of mean. It is NaN when every
// difference is exactly 0: the scenarios did not differ there, and a share
// of 1 would read as a consistent effect.
func sameSign(d []float64, mean float64) float64 {
	if !slices.ContainsFunc(d, func(x float64) bool { return x != 0 }) {
		return math.NaN()
	}
	same := 0
	for _, x := range d {
		if (x > 0 && mean > 0) || (x < 0 && mean < 0) || (x == 0 && mean == 0) {
			same++
		}
	}
	return float64(same) / float64(len(d))
}

// ComparisonHeader is the column order of comparison.csv with at most one
// varied key. Each further key adds the pair vary_key_N, vary_value_N
// (N = 2, 3, ...) after vary_value; see ComparisonColumns.
var ComparisonHeader = []string{"vary_key", "vary_value", "scenario", "reference", "country", "metric", "period",
	"aggregate", "replicates", "mean", "reference_mean", "diff_mean", "diff_sd", "diff_ci_low", "diff_ci_high", "same_sign_share"}

// ComparisonColumns is the header of comparison.csv when the given number
// of keys vary: ComparisonHeader for none or one, and for more a key column
// and a value column per key, in the grid's order, so that a file of one
// key reads as it always has.
func ComparisonColumns(keys int) []string {
	out := []string{"vary_key", "vary_value"}
	for k := 2; k <= keys; k++ {
		out = append(out, fmt.Sprintf("vary_key_%d", k), fmt.Sprintf("vary_value_%d", k))
	}
	return append(out, ComparisonHeader[2:]...)
}

// VariedDifferences are the differences of one comparison, at one point of
// the varied keys' grid: Keys and Values in the grid's order, both empty
// when nothing varies.
type VariedDifferences struct {
	Keys, Values []string
	Diffs        []Difference
}

// Label names the point: "k1 = v1, k2 = v2", or "" when nothing varies.
func (v VariedDifferences) Label() string {
	parts := make([]string, len(v.Keys))
	for i, k := range v.Keys {
		parts[i] = k + " = " + v.Values[i]
	}
	return strings.Join(parts, ", ")
}

// WriteComparison writes comparisons in tidy long format. Every set must
// vary the same number of keys.
func WriteComparison(w io.Writer, sets []VariedDifferences) error {
	keys := 0
	if len(sets) > 0 {
		keys = len(sets[0].Keys)
	}
	for _, set := range sets {
		if len(set.Keys) != keys || len(set.Values) != keys {
			return fmt.Errorf("comparison.csv: a set of %d keys and %d values among sets of %d keys", len(set.Keys), len(set.Values), keys)
		}
	}
	bw := bufio.NewWriter(w)
	WriteRow(bw, ComparisonColumns(keys))
	var buf []byte
	for _, set := range sets {
		vary := []string{"", ""}
		if keys > 0 {
			vary = vary[:0]
			for i, k := range set.Keys {
				vary = append(vary, k, set.Values[i])
			}
		}
		for _, d := range set.Diffs {
			buf = buf[:0]
			for _, f := range vary {
				buf = AppendField(buf, f)
				buf = append(buf, ',')
			}
			for j, f := range []string{d.Scenario, d.Reference, d.Country.Code(), d.Measure.Name, d.Period.Label, aggregateName[d.Measure.Kind()]} {
				if j > 0 {
					buf = append(buf, ',')
				}
				buf = AppendField(buf, f)
			}
			buf = appendPaired(buf, d.Mean, d.RefMean, d.Diff, d.SameSign)
			buf = append(buf, '\n')
			bw.Write(buf)
		}
	}
	return bw.Flush()
}

// WriteComparisonTable prints, for the given period, one table per country
// (after a line naming the values of the varied keys, if any):
// each measure's mean per scenario, and each scenario's paired difference to
// the reference with its 95% CI and the share of replicates with the same sign.
func WriteComparisonTable(w io.Writer, set VariedDifferences, period string) error {
	if label := set.Label(); label != "" {
		fmt.Fprintf(w, "\nwith %s\n", label)
	}
	type key struct {
		c sim.Country
		m string
	}
	var scenarios []string
	rows := map[key][]Difference{}
	var order []key
	for _, d := range set.Diffs {
		if d.Period.Label != period {
			continue
		}
		k := key{d.Country, d.Measure.Name}
		if _, ok := rows[k]; !ok {
			order = append(order, k)
		}
		rows[k] = append(rows[k], d)
		if !slices.Contains(scenarios, d.Scenario) {
			scenarios = append(scenarios, d.Scenario)
		}
	}
	if len(order) == 0 {
		return fmt.Errorf("compare: no period %q", period)
	}
	ref := rows[order[0]][0].Reference
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		fmt.Fprintf(w, "\n%s (%s), %s:\n", c.Name(), c.Code(), period)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		head := []string{"metric", "aggregate", ref}
		for _, s := range scenarios {
			head = append(head, s, s+" - "+ref+" [95% CI]", "reps with this sign")
		}
		fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
		for _, k := range order {
			if k.c != c {
				continue
			}
			ds := rows[k]
			row := []string{k.m, aggregateName[ds[0].Measure.Kind()], Human(ds[0].RefMean)}
			for _, d := range ds {
				row = append(row, Human(d.Mean), signed(d.Diff), share(d.SameSign))
			}
			fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// share prints a same-sign share as a percentage, or "–" when it is NaN
// (no replicate differed).
func share(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", 100*v)
}

// signed prints a difference with its sign and interval.
func signed(e Estimate) string {
	s := func(v float64) string {
		if v > 0 {
			return "+" + Human(v)
		}
		return Human(v)
	}
	if math.IsNaN(e.Low) {
		return s(e.Mean)
	}
	return fmt.Sprintf("%s [%s, %s]", s(e.Mean), s(e.Low), s(e.High))
}

// IntervalsNote says what the intervals of the printed tables cover, and
// how many there are: at 95%, about 1 in 20 look significant by chance.
func IntervalsNote(sets []VariedDifferences, window string) string {
	n := 0
	for _, set := range sets {
		for _, d := range set.Diffs {
			if d.Period.Label == window && !math.IsNaN(d.Diff.Low) {
				n++
			}
		}
	}
	if n == 0 {
		return "note: with one replicate there are no intervals: each difference below is one paired run at the scenarios' fixed parameters; --posterior FILE gives intervals over the calibrated parameters"
	}
	return fmt.Sprintf("note: the tables below hold %d intervals (95%%) that cover Monte Carlo noise only, at the scenarios' fixed parameters: about 1 in 20 (%.3g) look significant by chance alone; --posterior FILE gives intervals over the calibrated parameters",
		n, float64(n)/20)
}
