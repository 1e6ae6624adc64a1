package sensitivity

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// PRIM configures the patient rule induction method of Friedman and Fisher
// (1999, "Bump hunting in high-dimensional data", Stat. Comput. 9), as used
// for scenario discovery by RAND's sdtoolkit and the EMA workbench.
type PRIM struct {
	// Alpha is the share of the box's points one peel removes, in
	// (0, 0.5); zero means 0.05.
	Alpha float64
	// MinMass is the smallest share of all points a box may hold, in
	// (0, 1); zero means 0.05.
	MinMass float64
	// Threshold is the density at which the box is chosen: the first step
	// of the trajectory whose density reaches it. Zero, or a density never
	// reached, means the last step.
	Threshold float64
}

// MaxPoints bounds the number of points FindBox accepts.
const MaxPoints = 10_000_000

// Box is a step of the peeling trajectory: the bounds Lo[j] ≤ x[j] ≤ Hi[j]
// on every key j, and what it holds.
type Box struct {
	Lo, Hi   []float64
	Points   int     // points inside the box
	Coverage float64 // share of all points with y inside the box
	Density  float64 // share of the box's points with y
	Mass     float64 // share of all points inside the box
}

// Trajectory is the sequence of boxes FindBox peeled, from the box of all
// points (step 0), and the step it chose.
type Trajectory struct {
	Steps  []Box
	Chosen int
}

// Box returns the chosen box.
func (t *Trajectory) Box() Box { return t.Steps[t.Chosen] }

// FindBox peels a box around the points X (n×d) where y holds. It starts
// from the smallest box holding every point and, at each step, considers
// for every key a peel of its lower face to the Alpha quantile of the box's
// values and of its upper face to the 1−Alpha quantile, and takes the peel
// that leaves the highest density (the original objective of Friedman and
// Fisher; the EMA workbench's default instead divides the gain in density
// by the mass removed). Ties go to the lower key, lower face first. A peel
// that would remove no point (ties at the quantile) or leave less than
// MinMass is not considered; peeling stops when no peel is left. There is
// no pasting.
func FindBox(X [][]float64, y []bool, p PRIM) (*Trajectory, error) {
	p, err := p.withDefaults()
	if err != nil {
		return nil, err
	}
	n := len(X)
	if n < 2 || len(y) != n || n > MaxPoints {
		return nil, fmt.Errorf("prim: %d points and %d outcomes, want the same number, 2 to %d", n, len(y), MaxPoints)
	}
	d := len(X[0])
	if d == 0 {
		return nil, errors.New("prim: the points have no keys")
	}
	total := 0
	for k, row := range X {
		if len(row) != d {
			return nil, fmt.Errorf("prim: point %d has %d keys, want %d like point 0", k, len(row), d)
		}
		for j, x := range row {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("prim: key %d of point %d is %g, want a finite value", j, k, x)
			}
		}
		if y[k] {
			total++
		}
	}
	if total == 0 {
		return nil, errors.New("prim: the outcome holds at no point, so there is nothing to find")
	}
	in := make([]int, n)
	for k := range in {
		in[k] = k
	}
	lo, hi := make([]float64, d), make([]float64, d)
	for j := range d {
		lo[j], hi[j] = math.Inf(1), math.Inf(-1)
		for _, row := range X {
			lo[j], hi[j] = min(lo[j], row[j]), max(hi[j], row[j])
		}
	}
	t := &Trajectory{}
	record := func(in []int) {
		hits := 0
		for _, k := range in {
			if y[k] {
				hits++
			}
		}
		t.Steps = append(t.Steps, Box{
			Lo: slices.Clone(lo), Hi: slices.Clone(hi), Points: len(in),
			Coverage: float64(hits) / float64(total),
			Density:  float64(hits) / float64(len(in)),
			Mass:     float64(len(in)) / float64(n),
		})
	}
	record(in)
	minPoints := int(math.Ceil(p.MinMass * float64(n)))
	sorted := make([]int, n)
	for {
		best := peel{density: -1}
		for j := range d {
			sorted = append(sorted[:0], in...)
			slices.SortStableFunc(sorted, func(a, b int) int { return cmpFloat(X[a][j], X[b][j]) })
			for _, c := range faces(X, y, sorted, j, p.Alpha) {
				if len(sorted)-c.removed < max(minPoints, 1) {
					continue
				}
				if c.density > best.density {
					best = c
				}
			}
		}
		if best.density < 0 {
			break
		}
		kept := in[:0]
		for _, k := range in {
			if x := X[k][best.key]; (best.upper && x <= best.bound) || (!best.upper && x >= best.bound) {
				kept = append(kept, k)
			}
		}
		in = kept
		if best.upper {
			hi[best.key] = best.bound
		} else {
			lo[best.key] = best.bound
		}
		record(in)
	}
	t.Chosen = len(t.Steps) - 1
	if p.Threshold > 0 {
		for i, s := range t.Steps {
			if s.Density >= p.Threshold {
				t.Chosen = i
				break
			}
		}
	}
	return t, nil
}

// peel is a candidate peel of one face of the box.
type peel struct {
	key     int
	upper   bool    // the upper face, else the lower
	bound   float64 // the face's new value, kept inside the box
	removed int     // points it removes
	density float64 // of the box left
}

// faces returns the peels of the lower and upper faces of key j, given the
// box's points sorted on it; a face whose quantile value is shared by every
// point beyond it gives no peel.
func faces(X [][]float64, y []bool, sorted []int, j int, alpha float64) []peel {
	m := len(sorted)
	hits := 0
	for _, k := range sorted {
		if y[k] {
			hits++
		}
	}
	var out []peel
	// Lower face: keep x ≥ the value at rank ⌊αm⌋, so remove the points
	// below it.
	v := X[sorted[int(alpha*float64(m))]][j]
	r, gone := 0, 0
	for r < m && X[sorted[r]][j] < v {
		if y[sorted[r]] {
			gone++
		}
		r++
	}
	if r > 0 && r < m {
		out = append(out, peel{key: j, bound: v, removed: r, density: float64(hits-gone) / float64(m-r)})
	}
	// Upper face: keep x ≤ the value at rank ⌈(1−α)m⌉ − 1.
	v = X[sorted[int(math.Ceil((1-alpha)*float64(m)))-1]][j]
	r, gone = 0, 0
	for r < m && X[sorted[m-1-r]][j] > v {
		if y[sorted[m-1-r]] {
			gone++
		}
		r++
	}
	if r > 0 && r < m {
		out = append(out, peel{key: j, upper: true, bound: v, removed: r, density: float64(hits-gone) / float64(m-r)})
	}
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// withDefaults returns p with its zero fields filled, or an error naming
// every bad field.
func (p PRIM) withDefaults() (PRIM, error) {
	if p.Alpha == 0 {
		p.Alpha = 0.05
	}
	if p.MinMass == 0 {
		p.MinMass = 0.05
	}
	var errs []error
	if !(p.Alpha > 0 && p.Alpha < 0.5) {
		errs = append(errs, fmt.Errorf("prim: Alpha is %g, want a share in (0, 0.5)", p.Alpha))
	}
	if !(p.MinMass > 0 && p.MinMass < 1) {
		errs = append(errs, fmt.Errorf("prim: MinMass is %g, want a share in (0, 1)", p.MinMass))
	}
	if !(p.Threshold >= 0 && p.Threshold <= 1) {
		errs = append(errs, fmt.Errorf("prim: Threshold is %g, want a density in [0, 1]", p.Threshold))
	}
	return p, errors.Join(errs...)
}
