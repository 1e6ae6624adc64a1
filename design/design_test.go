package design

import (
	"math"
	"reflect"
	"testing"
)

// The unshifted sequence starts with the points every Sobol implementation
// that uses Joe–Kuo numbers in Gray-code order gives.
func TestSobolFirstPoints(t *testing.T) {
	v := [][33]uint32{directions(0), directions(1), directions(2)}
	got := sobolPoints(8, v, make([]uint32, 3))
	want := [][]float64{
		{0, 0, 0},
		{0.5, 0.5, 0.5},
		{0.75, 0.25, 0.25},
		{0.25, 0.75, 0.75},
		{0.375, 0.375, 0.625},
		{0.875, 0.875, 0.125},
		{0.625, 0.125, 0.875},
		{0.125, 0.625, 0.375},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("first Sobol points:\ngot  %v\nwant %v", got, want)
	}
}

// stratified reports whether each of the n equal strata of [0, 1) holds
// exactly one of xs.
func stratified(xs []float64) bool {
	n := len(xs)
	seen := make([]bool, n)
	for _, x := range xs {
		if x < 0 || x >= 1 {
			return false
		}
		k := int(x * float64(n))
		if seen[k] {
			return false
		}
		seen[k] = true
	}
	return true
}

func column(pts [][]float64, j int) []float64 {
	out := make([]float64, len(pts))
	for i, p := range pts {
		out[i] = p[j]
	}
	return out
}

// Design properties: Latin hypercubes are stratified in every dimension for
// any n; Sobol samples are for powers of two, in every dimension, and their
// first two dimensions form a (0, m, 2)-net (each of the 2^m elementary
// boxes of area 2^-m, of every shape, holds exactly one point).
func TestDesignProperties(t *testing.T) {
	tests := []struct {
		name   string
		n, d   int
		seed   uint64
		sample func(n, d int, seed uint64) ([][]float64, error)
	}{
		{"lhs n=1", 1, 3, 1, lhs},
		{"lhs n=7", 7, 2, 1, lhs},
		{"lhs n=100", 100, 5, 42, lhs},
		{"sobol n=1", 1, 2, 3, Sobol},
		{"sobol n=16", 16, 4, 3, Sobol},
		{"sobol n=256 d=32", 256, sobolDims, 9, Sobol},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pts, err := tt.sample(tt.n, tt.d, tt.seed)
			if err != nil {
				t.Fatal(err)
			}
			if len(pts) != tt.n {
				t.Fatalf("%d points, want %d", len(pts), tt.n)
			}
			for j := range tt.d {
				if !stratified(column(pts, j)) {
					t.Errorf("dimension %d is not stratified: %v", j, column(pts, j))
				}
			}
			again, _ := tt.sample(tt.n, tt.d, tt.seed)
			if !reflect.DeepEqual(pts, again) {
				t.Error("same seed, different design")
			}
			if tt.n > 1 {
				other, _ := tt.sample(tt.n, tt.d, tt.seed+1)
				if reflect.DeepEqual(pts, other) {
					t.Error("the design does not depend on its seed")
				}
			}
		})
	}
}

func lhs(n, d int, seed uint64) ([][]float64, error) { return LatinHypercube(n, d, seed), nil }

func TestSobolNet(t *testing.T) {
	const m = 6
	pts, _ := Sobol(1<<m, 2, 11)
	for a := 0; a <= m; a++ { // boxes 2^-a wide and 2^-(m-a) high
		seen := map[[2]int]int{}
		for _, p := range pts {
			seen[[2]int{int(p[0] * float64(int(1)<<a)), int(p[1] * float64(int(1)<<(m-a)))}]++
		}
		if len(seen) != 1<<m {
			t.Errorf("boxes of %d x %d: %d occupied, want %d", 1<<a, 1<<(m-a), len(seen), 1<<m)
		}
	}
}

// A Sobol sample's mean converges faster than a random one's: for the
// integral of x*y*z over the unit cube (1/8) 1024 points are within 1e-3.
func TestSobolIntegrates(t *testing.T) {
	pts, _ := Sobol(1024, 3, 5)
	var sum float64
	for _, p := range pts {
		sum += p[0] * p[1] * p[2]
	}
	if got := sum / 1024; math.Abs(got-0.125) > 1e-3 {
		t.Errorf("mean of xyz = %g, want 0.125 within 1e-3", got)
	}
	if _, err := Sobol(4, sobolDims+1, 1); err == nil {
		t.Errorf("no error for %d dimensions", sobolDims+1)
	}
}
