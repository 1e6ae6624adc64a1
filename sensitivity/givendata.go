package sensitivity

import (
	"fmt"
	"math"
	"slices"
)

// MaxBins bounds the number of bins of GivenData.
const MaxBins = 10_000

// GivenData estimates the first-order Sobol index of each key from any
// sample: rows X (n×d) and outcomes y (n). For each key it sorts the rows by
// the key, cuts them into bins of equal count (equal values stay in one
// bin), and takes the variance of the bin means of y, weighted by the bins'
// counts, over the variance of y. bins is the number of bins; zero means
// round(√n).
//
// The noise of the bin means would add about (1 − S1)·bins/n to the
// estimate; GivenData takes it away as the ANOVA estimate of a variance
// component does, so a key without effect gets an estimate near zero, which
// can be negative. It is less efficient than Sobol on a Saltelli design, and
// still biased downwards where a bin is too wide to resolve the key's effect. It gives no
// total index (ST is NaN). The intervals resample the rows with
// replacement, the bins held fixed, and are shifted by the resamples' mean
// bias (the noise that resampling itself adds to the bin means).
func GivenData(X [][]float64, y []float64, bins int, b Bootstrap) ([]Indices, error) {
	n := len(y)
	if n < 4 || len(X) != n {
		return nil, fmt.Errorf("given-data sensitivity: %d rows and %d outcomes, want the same number, at least 4", len(X), n)
	}
	d := len(X[0])
	if d == 0 {
		return nil, fmt.Errorf("given-data sensitivity: the rows have no keys")
	}
	for k, row := range X {
		if len(row) != d {
			return nil, fmt.Errorf("given-data sensitivity: row %d has %d keys, want %d like row 0", k, len(row), d)
		}
	}
	if err := finite("y", y); err != nil {
		return nil, fmt.Errorf("given-data sensitivity: %w", err)
	}
	if bins == 0 {
		bins = int(math.Round(math.Sqrt(float64(n))))
	}
	if bins < 2 || bins > min(n/2, MaxBins) {
		return nil, fmt.Errorf("given-data sensitivity: %d bins for %d rows, want 2 to %d (at least 2 rows a bin)", bins, n, min(n/2, MaxBins))
	}
	b, err := b.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("given-data sensitivity: %w", err)
	}
	bin := make([][]int, d)
	for i := range d {
		bin[i] = binByRank(X, i, bins)
	}
	all := make([]int, n)
	for k := range all {
		all[k] = k
	}
	out := make([]Indices, d)
	s1s := make([][]float64, d)
	for i := range d {
		out[i].S1.Est = binVariance(y, bin[i], bins, all)
		out[i].ST = Index{math.NaN(), math.NaN(), math.NaN()}
		s1s[i] = make([]float64, b.Resamples)
	}
	if math.IsNaN(out[0].S1.Est) {
		return nil, fmt.Errorf("given-data sensitivity: the outcome is constant, so it has no variance to apportion")
	}
	idx := make([]int, n)
	for r := range b.Resamples {
		b.resample(idx, n)
		for i := range d {
			s1s[i][r] = binVariance(y, bin[i], bins, idx)
		}
	}
	for i := range d {
		// A resample repeats rows, so its bin means carry the sample's noise
		// and the resampling's: the correction takes away only one of them.
		// Centre the interval on the estimate by the resamples' mean shift.
		var shift float64
		for _, s := range s1s[i] {
			shift += s
		}
		shift = shift/float64(b.Resamples) - out[i].S1.Est
		lo, hi := interval(s1s[i], b.Level)
		out[i].S1.Lo, out[i].S1.Hi = lo-shift, hi-shift
	}
	return out, nil
}

// binByRank returns each row's bin by its rank on key i: bins of equal
// count, rows with equal values in the bin of the first of them.
func binByRank(X [][]float64, i, bins int) []int {
	n := len(X)
	order := make([]int, n)
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case X[a][i] < X[b][i]:
			return -1
		case X[a][i] > X[b][i]:
			return 1
		}
		return 0
	})
	bin := make([]int, n)
	for r, k := range order {
		bin[k] = r * bins / n
		if r > 0 && X[k][i] == X[order[r-1]][i] {
			bin[k] = bin[order[r-1]]
		}
	}
	return bin
}

// binVariance is the count-weighted variance of the bin means of y over the
// rows idx, divided by the variance of y over them, or NaN if y is constant.
func binVariance(y []float64, bin []int, bins int, idx []int) float64 {
	sum, count := make([]float64, bins), make([]float64, bins)
	var mean, sq float64
	for _, k := range idx {
		sum[bin[k]] += y[k]
		count[bin[k]]++
		mean += y[k]
		sq += y[k] * y[k]
	}
	n := float64(len(idx))
	mean /= n
	v := sq/n - mean*mean
	if v <= 0 {
		return math.NaN()
	}
	var between float64
	used := 0
	for j := range bins {
		if count[j] > 0 {
			m := sum[j]/count[j] - mean
			between += count[j] * m * m
			used++
		}
	}
	// The noise of the bin means adds (bins − 1) times the within-bin mean
	// square to the between-bin sum of squares; take it away, as the
	// ANOVA estimate of the between-bin variance component does.
	total := n * v
	within := (total - between) / (n - float64(used))
	return (between - float64(used-1)*within) / total
}
