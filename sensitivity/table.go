package sensitivity

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// SobolHeader is the header of sobol.csv.
var SobolHeader = []string{"outcome", "country", "key", "S1", "S1_lo", "S1_hi", "ST", "ST_lo", "ST_hi"}

// SobolRow is one row of sobol.csv: the indices of one key for one outcome
// in one country.
type SobolRow struct {
	Outcome, Country, Key string
	Indices
}

// WriteSobol writes rows as sobol.csv, indices with four decimals and a
// missing one (the ST of a given-data estimate) as NA.
func WriteSobol(w io.Writer, rows []SobolRow) error {
	cw := csv.NewWriter(w)
	cw.Write(SobolHeader)
	for _, r := range rows {
		cw.Write([]string{r.Outcome, r.Country, r.Key,
			cell(r.S1.Est), cell(r.S1.Lo), cell(r.S1.Hi), cell(r.ST.Est), cell(r.ST.Lo), cell(r.ST.Hi)})
	}
	cw.Flush()
	return cw.Error()
}

// PRIMHeader is the header of prim.csv.
var PRIMHeader = []string{"outcome", "country", "step", "chosen", "key", "lo", "hi", "coverage", "density", "mass", "points"}

// PRIMRow is the peeling trajectory of one outcome in one country, with the
// names of its keys in the order of the columns of X.
type PRIMRow struct {
	Outcome, Country string
	Keys             []string
	Trajectory       *Trajectory
}

// WritePRIM writes rows as prim.csv, in long form: one line per step of each
// trajectory and key, with the key's bounds in that step's box and the box's
// coverage, density, mass and number of points repeated on each of its
// lines; chosen is true on the lines of the chosen box. Bounds keep every
// digit (they are data values); shares have four decimals.
func WritePRIM(w io.Writer, rows []PRIMRow) error {
	cw := csv.NewWriter(w)
	cw.Write(PRIMHeader)
	for _, r := range rows {
		for i, b := range r.Trajectory.Steps {
			for j, key := range r.Keys {
				cw.Write([]string{r.Outcome, r.Country, strconv.Itoa(i), strconv.FormatBool(i == r.Trajectory.Chosen), key,
					strconv.FormatFloat(b.Lo[j], 'g', -1, 64), strconv.FormatFloat(b.Hi[j], 'g', -1, 64),
					cell(b.Coverage), cell(b.Density), cell(b.Mass), strconv.Itoa(b.Points)})
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// cell formats a share or an index with four decimals, NaN as NA.
func cell(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "NA"
	}
	s := strconv.FormatFloat(v, 'f', 4, 64)
	if s == "-0.0000" {
		return "0.0000"
	}
	return s
}

// WriteSobolTable prints the indices as a table, for people: the
// first-order ones, and the totals too when any row has one (a Saltelli
// design).
func WriteSobolTable(w io.Writer, rows []SobolRow) {
	width, totals := len("key"), false
	for _, r := range rows {
		width = max(width, len(r.Key))
		totals = totals || !math.IsNaN(r.ST.Est)
	}
	fmt.Fprintf(w, "%-20s %-7s %-*s %8s %18s", "outcome", "country", width, "key", "S1", "90% interval")
	if totals {
		fmt.Fprintf(w, " %8s %18s", "ST", "90% interval")
	}
	fmt.Fprintln(w)
	for _, r := range rows {
		fmt.Fprintf(w, "%-20s %-7s %-*s %8.3f   [%6.3f, %6.3f]", r.Outcome, r.Country, width, r.Key, r.S1.Est, r.S1.Lo, r.S1.Hi)
		if totals {
			fmt.Fprintf(w, " %8.3f   [%6.3f, %6.3f]", r.ST.Est, r.ST.Lo, r.ST.Hi)
		}
		fmt.Fprintln(w)
	}
}

// WritePRIMTable prints each chosen PRIM box, for people: the keys whose
// range the peeling narrowed, with their bounds (the others span the
// design), and the box's density, coverage and mass. what says what the
// box holds, such as "outcome > 0".
func WritePRIMTable(w io.Writer, rows []PRIMRow, what string) {
	for _, r := range rows {
		b, all := r.Trajectory.Box(), r.Trajectory.Steps[0]
		var bounds []string
		for j, key := range r.Keys {
			if b.Lo[j] != all.Lo[j] || b.Hi[j] != all.Hi[j] {
				bounds = append(bounds, fmt.Sprintf("%s in [%.4g, %.4g]", key, b.Lo[j], b.Hi[j]))
			}
		}
		box := strings.Join(bounds, ", ")
		if box == "" {
			box = "the whole design (no peel raised the density)"
		}
		fmt.Fprintf(w, "%s %s, %s: %s; density %.2f (%.2f in the whole design), coverage %.2f, mass %.2f (%d points)\n",
			r.Outcome, r.Country, what, box, b.Density, all.Density, b.Coverage, b.Mass, b.Points)
	}
}
