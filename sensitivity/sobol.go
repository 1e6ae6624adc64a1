package sensitivity

import (
	"fmt"
	"math"
)

// Index is an estimate with its percentile bootstrap interval.
type Index struct {
	Est, Lo, Hi float64
}

// Indices are the first-order index S1 and the total index ST of one key.
// A given-data estimate has no ST: its fields are NaN.
type Indices struct {
	S1, ST Index
}

// Sobol estimates the first-order and total Sobol indices of each of d keys
// from model values on a Saltelli design: fA and fB at the N rows of A and
// B, and fAB[i] at the N rows of AB[i] (A with column i from B). With V the
// variance of fA and fB together,
//
//	S1_i = mean(fB·(fAB_i − fA)) / V   (Saltelli et al. 2010)
//	ST_i = mean((fA − fAB_i)²) / 2V    (Jansen 1999)
//
// as in SALib's sobol.analyze. The intervals come from resampling the N base
// rows (a row of A, its row of B and its rows of every AB_i together) with
// replacement, V recomputed in each resample. They assume independent rows;
// on a quasi-random design the estimates are usually closer than that.
func Sobol(fA, fB []float64, fAB [][]float64, b Bootstrap) ([]Indices, error) {
	n := len(fA)
	if n < 2 || len(fB) != n {
		return nil, fmt.Errorf("sobol: %d values of A and %d of B, want the same number, at least 2", n, len(fB))
	}
	if len(fAB) == 0 {
		return nil, fmt.Errorf("sobol: no AB matrices (no keys)")
	}
	for i, f := range fAB {
		if len(f) != n {
			return nil, fmt.Errorf("sobol: %d values of AB[%d], want %d like A", len(f), i, n)
		}
	}
	if err := finite("A", fA); err != nil {
		return nil, err
	}
	if err := finite("B", fB); err != nil {
		return nil, err
	}
	for i, f := range fAB {
		if err := finite(fmt.Sprintf("AB[%d]", i), f); err != nil {
			return nil, err
		}
	}
	b, err := b.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("sobol: %w", err)
	}
	all := make([]int, n)
	for k := range all {
		all[k] = k
	}
	if v := variance(fA, fB, all); v == 0 {
		return nil, fmt.Errorf("sobol: the outcome is constant over A and B, so it has no variance to apportion")
	}
	d := len(fAB)
	out := make([]Indices, d)
	for i, f := range fAB {
		s1, st := saltelliJansen(fA, fB, f, all)
		out[i].S1.Est, out[i].ST.Est = s1, st
	}
	// Every key's interval comes from the same R resamples, as in SALib,
	// so the draws do not depend on the number or order of the keys.
	s1s, sts := make([][]float64, d), make([][]float64, d)
	for i := range d {
		s1s[i], sts[i] = make([]float64, b.Resamples), make([]float64, b.Resamples)
	}
	idx := make([]int, n)
	for r := range b.Resamples {
		b.resample(idx, n)
		for i, f := range fAB {
			s1s[i][r], sts[i][r] = saltelliJansen(fA, fB, f, idx)
		}
	}
	for i := range d {
		out[i].S1.Lo, out[i].S1.Hi = interval(s1s[i], b.Level)
		out[i].ST.Lo, out[i].ST.Hi = interval(sts[i], b.Level)
	}
	return out, nil
}

// saltelliJansen returns S1 and ST of one key over the base rows idx.
func saltelliJansen(fA, fB, fAB []float64, idx []int) (s1, st float64) {
	v := variance(fA, fB, idx)
	if v == 0 {
		return math.NaN(), math.NaN()
	}
	for _, k := range idx {
		d := fAB[k] - fA[k]
		s1 += fB[k] * d
		st += d * d
	}
	n := float64(len(idx))
	return s1 / n / v, st / (2 * n * v)
}

// variance is the population variance of fA and fB over the rows idx,
// together (2·len(idx) values), as SALib's np.var of r_[A, B].
func variance(fA, fB []float64, idx []int) float64 {
	var mean float64
	for _, k := range idx {
		mean += fA[k] + fB[k]
	}
	mean /= float64(2 * len(idx))
	var v float64
	for _, k := range idx {
		a, b := fA[k]-mean, fB[k]-mean
		v += a*a + b*b
	}
	return v / float64(2*len(idx))
}

// finite reports the first NaN or infinite value of f, named by what.
func finite(what string, f []float64) error {
	for k, x := range f {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("sobol: value %d of %s is %g; every run needs a finite outcome", k, what, x)
		}
	}
	return nil
}
