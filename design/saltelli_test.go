package design

import (
	"math"
	"testing"
)

// ishigami is the Ishigami function with a = 7, b = 0.1, on [-π, π]^3.
func ishigami(u []float64) float64 {
	x := make([]float64, 3)
	for i := range x {
		x[i] = -math.Pi + 2*math.Pi*u[i]
	}
	return math.Sin(x[0]) + 7*math.Pow(math.Sin(x[1]), 2) + 0.1*math.Pow(x[2], 4)*math.Sin(x[0])
}

// The design's matrices give the Ishigami function's analytic first-order
// indices (0.314, 0.442, 0) with Saltelli's 2010 estimator, and its total
// indices (0.558, 0.442, 0.244) with Jansen's: a wrong column swap in AB, or
// A and B drawn from the same coordinates, breaks them.
func TestSaltelliIshigami(t *testing.T) {
	const n, d = 1 << 13, 3
	s, err := NewSaltelli(n, d, 42)
	if err != nil {
		t.Fatal(err)
	}
	fA, fB := make([]float64, n), make([]float64, n)
	var mean, sq float64
	for k := range n {
		fA[k], fB[k] = ishigami(s.A[k]), ishigami(s.B[k])
		mean += fA[k] + fB[k]
		sq += fA[k]*fA[k] + fB[k]*fB[k]
	}
	mean /= 2 * n
	v := sq/(2*n) - mean*mean
	wantS1, wantST := []float64{0.3139, 0.4424, 0}, []float64{0.5576, 0.4424, 0.2437}
	for i := range d {
		var s1, st float64
		for k := range n {
			fAB := ishigami(s.AB[i][k])
			s1 += fB[k] * (fAB - fA[k])
			st += (fA[k] - fAB) * (fA[k] - fAB)
		}
		s1 /= n * v
		st /= 2 * n * v
		if math.Abs(s1-wantS1[i]) > 0.03 || math.Abs(st-wantST[i]) > 0.03 {
			t.Errorf("factor %d: S1 %.3f ST %.3f, want %.3f and %.3f within 0.03", i, s1, st, wantS1[i], wantST[i])
		}
	}
	if got := len(s.Rows()); got != n*(d+2) {
		t.Errorf("%d rows, want N(d+2) = %d", got, n*(d+2))
	}
}

func TestSaltelliLimits(t *testing.T) {
	if _, err := NewSaltelli(8, 17, 1); err == nil {
		t.Error("no error for 17 factors")
	}
	if _, err := NewSaltelli(0, 2, 1); err == nil {
		t.Error("no error for 0 points")
	}
}
