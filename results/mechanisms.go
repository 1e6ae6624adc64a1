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

// A decomposition by mechanism asks how much of B's effect against A comes
// from each mechanism: A and B are run again, paired, with one mechanism
// switched off in both arms, and the effect that goes away is its
// contribution. Decompose summarises the paired differences, so the
// accounting can be checked on differences made up by hand.

// Residual is the name of the row that holds what the contributions leave
// over: full − Σ contributions.
const Residual = "residual"

// MechanismRow is one row of mechanisms.csv: for one country, measure and
// horizon, B's effect against A with every mechanism on, the effect with
// one mechanism off in both arms, and the difference, its contribution.
// Means are over every draw and replicate; intervals are the 5% and 95%
// quantiles as in Effect.
type MechanismRow struct {
	ScenarioA, ScenarioB string
	Country              sim.Country
	Measure              Measure
	Horizon              Period
	// Mechanism is the mechanism's name, or Residual.
	Mechanism string
	// Overrides are the scenario keys that switch the mechanism off, as
	// "key=value" joined by ";"; empty for Residual.
	Overrides string
	// Full is the mean effect B − A with every mechanism on (the mean of
	// answer.csv at the same draws).
	Full float64
	// Without is the mean effect with the mechanism off in both arms; NaN
	// for Residual.
	Without float64
	// Contribution is Full − Without; for Residual, Full less the sum of
	// the mechanisms' contributions.
	Contribution float64
	// Lo90 and Hi90 bound the contribution's 90% interval: the 5% and 95%
	// quantiles of the pooled draw × replicate contributions (each replicate
	// paired across all the runs of its draw).
	Lo90, Hi90 float64
	// Share is Contribution / Full; NaN when Full is 0.
	Share float64
	// ShareLo90 and ShareHi90 are the 5% and 95% quantiles of the units'
	// shares: each draw's mean contribution over its mean full effect (at
	// fixed parameters each replicate's), leaving out units whose full
	// effect is 0; NaN when every unit's is. A ratio of means is not a mean
	// of ratios: where some units' full effects are near 0 the interval
	// need not hold Share.
	ShareLo90, ShareHi90 float64
	// Draws is the number of posterior draws; 0 at the scenarios' fixed
	// parameters.
	Draws int
	// Replicates is the number of paired replicates in each draw.
	Replicates int
}

// Decompose summarises a decomposition. full[u] is unit u's paired
// differences B − A with every mechanism on; without[m][u] the same unit's
// with mechanism m off in both arms, run with the same seeds; names and
// overrides name the mechanisms, in the order of without. A unit is a
// posterior draw; with fixed true there is one unit, the scenarios' fixed
// parameters, and its replicates become the units of the share interval.
func (q *Question) Decompose(names, overrides []string, full []Draw, without [][]Draw, fixed bool) ([]MechanismRow, error) {
	if len(names) != len(without) || len(overrides) != len(without) {
		return nil, fmt.Errorf("mechanisms: %d names and %d overrides for %d mechanisms", len(names), len(overrides), len(without))
	}
	if len(full) == 0 {
		return nil, fmt.Errorf("mechanisms: no draws")
	}
	if fixed && len(full) != 1 {
		return nil, fmt.Errorf("mechanisms: %d draws at fixed parameters, want 1", len(full))
	}
	reps := 0
	check := func(what string, ds []Draw) error {
		if len(ds) != len(full) {
			return fmt.Errorf("mechanisms: %s has %d draws, want %d", what, len(ds), len(full))
		}
		for i, d := range ds {
			if len(d) != q.Cells() {
				return fmt.Errorf("mechanisms: %s: draw %d has %d cells, want %d", what, i, len(d), q.Cells())
			}
			for _, xs := range d {
				if reps == 0 {
					reps = len(xs)
				}
				if len(xs) != reps || reps == 0 {
					return fmt.Errorf("mechanisms: %s: draw %d has %d replicates in a cell, want %d in every cell", what, i, len(xs), reps)
				}
			}
		}
		return nil
	}
	if err := check("every mechanism on", full); err != nil {
		return nil, err
	}
	for m, ds := range without {
		if err := check(names[m]+" off", ds); err != nil {
			return nil, err
		}
	}
	draws := len(full)
	if fixed {
		draws = 0
	}
	var out []MechanismRow
	n := len(full) * reps
	f := make([]float64, n)            // full effects, pooled
	e := make([][]float64, len(names)) // effects without each mechanism, pooled
	for m := range e {
		e[m] = make([]float64, n)
	}
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		for mi, ms := range q.Measures {
			for h, hz := range q.Horizons {
				cell := q.Cell(c, mi, h)
				for u, d := range full {
					copy(f[u*reps:], d[cell])
					for m := range without {
						copy(e[m][u*reps:], without[m][u][cell])
					}
				}
				row := MechanismRow{ScenarioA: q.ScenarioA, ScenarioB: q.ScenarioB, Country: c, Measure: ms,
					Horizon: hz, Full: mean(f), Draws: draws, Replicates: reps}
				// rest[i] is the pooled full effect less every contribution so far.
				rest := slices.Clone(f)
				sum := 0.0
				for m := range without {
					r := row
					r.Mechanism, r.Overrides = names[m], overrides[m]
					r.Without = mean(e[m])
					r.Contribution = r.Full - r.Without
					sum += r.Contribution
					contrib := make([]float64, n)
					for i := range contrib {
						contrib[i] = f[i] - e[m][i]
						rest[i] -= contrib[i]
					}
					r.Share = ratio(r.Contribution, r.Full)
					r.ShareLo90, r.ShareHi90 = interval(shares(f, contrib, reps, fixed))
					r.Lo90, r.Hi90 = interval(contrib) // sorts contrib: last
					out = append(out, r)
				}
				r := row
				r.Mechanism, r.Without = Residual, math.NaN()
				r.Contribution = r.Full - sum
				r.Share = ratio(r.Contribution, r.Full)
				r.ShareLo90, r.ShareHi90 = interval(shares(f, rest, reps, fixed))
				r.Lo90, r.Hi90 = interval(rest)
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// mean is the mean of xs.
func mean(xs []float64) float64 {
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// ratio is a / b, NaN when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

// shares are each unit's share of the full effect: per draw (reps values
// each) the mean part over the mean full effect, or with fixed per
// replicate; units whose full effect is 0 are left out.
func shares(full, part []float64, reps int, fixed bool) []float64 {
	size := reps
	if fixed {
		size = 1
	}
	var out []float64
	for i := 0; i < len(full); i += size {
		if s := ratio(mean(part[i:i+size]), mean(full[i:i+size])); !math.IsNaN(s) {
			out = append(out, s)
		}
	}
	return out
}

// interval is the 5% and 95% quantiles of xs (as in Effect), which it
// sorts; NaN for none.
func interval(xs []float64) (lo, hi float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	slices.Sort(xs)
	return twentieth(xs, 1), twentieth(xs, 19)
}

// MechanismsHeader is the column order of mechanisms.csv.
var MechanismsHeader = []string{"scenario_a", "scenario_b", "country", "metric", "horizon", "mechanism", "overrides",
	"full", "without", "contribution", "contribution_lo90", "contribution_hi90", "share", "share_lo90", "share_hi90",
	"draws", "replicates"}

// WriteMechanisms writes mechanisms.csv: one row per country, measure,
// horizon and mechanism (then the residual), in tidy long format; NA where
// a value is not defined.
func WriteMechanisms(w io.Writer, rows []MechanismRow) error {
	bw := bufio.NewWriter(w)
	WriteRow(bw, MechanismsHeader)
	var buf []byte
	for _, r := range rows {
		buf = buf[:0]
		for _, f := range []string{r.ScenarioA, r.ScenarioB, r.Country.Code(), r.Measure.Name, r.Horizon.Label, r.Mechanism, r.Overrides} {
			buf = AppendField(buf, f)
			buf = append(buf, ',')
		}
		for _, v := range []float64{r.Full, r.Without, r.Contribution, r.Lo90, r.Hi90, r.Share, r.ShareLo90, r.ShareHi90} {
			buf = AppendValue(buf, v)
			buf = append(buf, ',')
		}
		buf = strconv.AppendInt(buf, int64(r.Draws), 10)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(r.Replicates), 10)
		buf = append(buf, '\n')
		bw.Write(buf)
	}
	return bw.Flush()
}

// WriteMechanismTable prints, per country, the decomposition of the named
// measure over one horizon: the full effect, then per mechanism the effect
// without it, its contribution and its share of the full effect, each with
// its 90% interval.
func WriteMechanismTable(w io.Writer, rows []MechanismRow, measure, horizon string) error {
	var sel []MechanismRow
	for _, r := range rows {
		if r.Measure.Name == measure && r.Horizon.Label == horizon {
			sel = append(sel, r)
		}
	}
	if len(sel) == 0 {
		return fmt.Errorf("mechanisms: no measure %q over horizon %q", measure, horizon)
	}
	over := fmt.Sprintf("%d paired replicates at the scenarios' parameters (intervals: Monte Carlo noise only)", sel[0].Replicates)
	if sel[0].Draws > 0 {
		over = fmt.Sprintf("%d posterior draws of %d paired replicates", sel[0].Draws, sel[0].Replicates)
	}
	fmt.Fprintf(w, "%s, %s - %s, horizon %s: contribution of each mechanism = full effect - effect with it off in both arms; mean [90%% interval] over %s; %d intervals\n",
		measure, sel[0].ScenarioB, sel[0].ScenarioA, horizon, over, 2*len(sel))
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		var cr []MechanismRow
		for _, r := range sel {
			if r.Country == c {
				cr = append(cr, r)
			}
		}
		if len(cr) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s (%s): full effect %s\n", c.Name(), c.Code(), signedValue(cr[0].Full))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, strings.Join([]string{"mechanism", "without it", "contribution [90%]", "share [90%]"}, "\t")+"\t")
		for _, r := range cr {
			row := []string{r.Mechanism, signedValue(r.Without),
				signed(Estimate{Mean: r.Contribution, Low: r.Lo90, High: r.Hi90}), percent(r.Share, r.ShareLo90, r.ShareHi90)}
			if r.Mechanism == Residual {
				row[1] = ""
			}
			fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// signedValue prints a value with its sign.
func signedValue(v float64) string { return signed(Estimate{Mean: v, Low: math.NaN()}) }

// percent prints a share and its interval as percentages, NA where a value
// is not defined.
func percent(v, lo, hi float64) string {
	p := func(x float64) string {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "NA"
		}
		pc := math.Round(100 * x)
		if pc == 0 {
			pc = 0 // no "-0%"
		}
		return fmt.Sprintf("%.0f%%", pc)
	}
	if math.IsNaN(lo) {
		return p(v)
	}
	return fmt.Sprintf("%s [%s, %s]", p(v), p(lo), p(hi))
}
