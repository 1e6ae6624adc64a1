package calibrate

import (
	"math"
	"sort"
	"strconv"

	"gonum.org/v1/gonum/stat"
)

// PosteriorSummary describes a sample of one parameter.
type PosteriorSummary struct {
	Mean, SD, Q05, Q50, Q95 float64
}

// Posterior summarises accepted draws of one parameter: mean, standard
// deviation and the 5%, 50% and 95% quantiles.
func Posterior(xs []float64) PosteriorSummary {
	if len(xs) == 0 {
		n := math.NaN()
		return PosteriorSummary{n, n, n, n, n}
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	q := func(p float64) float64 { return stat.Quantile(p, stat.LinInterp, s, nil) }
	sd := math.NaN()
	if len(s) > 1 {
		sd = stat.StdDev(s, nil)
	}
	return PosteriorSummary{Mean: stat.Mean(s, nil), SD: sd, Q05: q(0.05), Q50: q(0.5), Q95: q(0.95)}
}

// AppendValue6 formats a parameter value with six significant figures (NA
// for NaN): parameters can be small, so AppendValue's three decimals are
// too few.
func AppendValue6(buf []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(buf, "NA"...)
	}
	return strconv.AppendFloat(buf, v, 'g', 6, 64)
}
