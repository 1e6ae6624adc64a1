package sensitivity

import (
	"math"
	"math/rand/v2"
	"testing"
)

// planted returns n uniform points of [0, 1)^d whose outcome holds with
// probability 0.9 inside [0.2, 0.5]×[0.6, 0.9] on keys 0 and 1, else 0.05.
func planted(n, d int, seed uint64) ([][]float64, []bool) {
	r := rand.New(rand.NewPCG(seed, 99))
	X, y := make([][]float64, n), make([]bool, n)
	for k := range X {
		X[k] = make([]float64, d)
		for j := range X[k] {
			X[k][j] = r.Float64()
		}
		p := 0.05
		if X[k][0] >= 0.2 && X[k][0] <= 0.5 && X[k][1] >= 0.6 && X[k][1] <= 0.9 {
			p = 0.9
		}
		y[k] = r.Float64() < p
	}
	return X, y
}

// PRIM recovers a planted box: its bounds on keys 0 and 1 within 0.05, keys
// 2 and 3 nearly unrestricted, density above 0.8, and coverage at least 0.9
// of the planted box's own. (The planted box itself covers only about 0.64
// of the hits: 405 expected inside against 228 among the 4550 points
// outside, so a fixed floor of 0.7 could not be met.)
func TestFindBoxPlanted(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		X, y := planted(5000, 4, seed)
		tr, err := FindBox(X, y, PRIM{Threshold: 0.85})
		if err != nil {
			t.Fatal(err)
		}
		b := tr.Box()
		t.Logf("seed %d: step %d of %d: x0 [%.3f, %.3f] x1 [%.3f, %.3f] x2 [%.3f, %.3f] x3 [%.3f, %.3f]; coverage %.3f density %.3f mass %.3f",
			seed, tr.Chosen, len(tr.Steps)-1, b.Lo[0], b.Hi[0], b.Lo[1], b.Hi[1], b.Lo[2], b.Hi[2], b.Lo[3], b.Hi[3], b.Coverage, b.Density, b.Mass)
		want := [][2]float64{{0.2, 0.5}, {0.6, 0.9}}
		for j, w := range want {
			if math.Abs(b.Lo[j]-w[0]) > 0.05 || math.Abs(b.Hi[j]-w[1]) > 0.05 {
				t.Errorf("seed %d key %d: [%.3f, %.3f], want [%.2f, %.2f] within 0.05", seed, j, b.Lo[j], b.Hi[j], w[0], w[1])
			}
		}
		for j := 2; j < 4; j++ {
			if b.Lo[j] > 0.1 || b.Hi[j] < 0.9 {
				t.Errorf("seed %d key %d: [%.3f, %.3f], want nearly unrestricted (within [0.1, 0.9])", seed, j, b.Lo[j], b.Hi[j])
			}
		}
		var hits, inside int
		for k, x := range X {
			if y[k] {
				hits++
				if x[0] >= 0.2 && x[0] <= 0.5 && x[1] >= 0.6 && x[1] <= 0.9 {
					inside++
				}
			}
		}
		own := float64(inside) / float64(hits)
		if b.Density <= 0.8 || b.Coverage < 0.9*own {
			t.Errorf("seed %d: density %.3f coverage %.3f, want > 0.8 and at least 0.9 × the planted box's %.3f", seed, b.Density, b.Coverage, own)
		}
		// The trajectory starts from every point and only shrinks.
		if s := tr.Steps[0]; s.Mass != 1 || s.Coverage != 1 {
			t.Errorf("seed %d: step 0 has mass %g coverage %g, want 1 and 1", seed, s.Mass, s.Coverage)
		}
		for i := 1; i < len(tr.Steps); i++ {
			if tr.Steps[i].Points >= tr.Steps[i-1].Points {
				t.Errorf("seed %d: step %d holds %d points, step %d %d", seed, i, tr.Steps[i].Points, i-1, tr.Steps[i-1].Points)
			}
		}
		if last := tr.Steps[len(tr.Steps)-1]; last.Mass < 0.05 {
			t.Errorf("seed %d: the last box has mass %.3f, below MinMass 0.05", seed, last.Mass)
		}
	}
}

func TestFindBoxErrors(t *testing.T) {
	X := [][]float64{{0}, {1}, {2}}
	for _, c := range []struct {
		name string
		X    [][]float64
		y    []bool
		p    PRIM
	}{
		{"lengths", X, []bool{true}, PRIM{}},
		{"no hits", X, []bool{false, false, false}, PRIM{}},
		{"alpha", X, []bool{true, false, true}, PRIM{Alpha: 0.5}},
		{"mass", X, []bool{true, false, true}, PRIM{MinMass: 1}},
		{"threshold", X, []bool{true, false, true}, PRIM{Threshold: 2}},
		{"NaN", [][]float64{{0}, {math.NaN()}}, []bool{true, false}, PRIM{}},
		{"ragged", [][]float64{{0}, {1, 2}}, []bool{true, false}, PRIM{}},
	} {
		if _, err := FindBox(c.X, c.y, c.p); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

// On twenty points 0…19 with the outcome below 10, the first peels take the
// upper face to the 90% quantile (17, then 16), the bound itself kept in.
func TestFindBoxSteps(t *testing.T) {
	X, y := make([][]float64, 20), make([]bool, 20)
	for k := range X {
		X[k], y[k] = []float64{float64(k)}, k < 10
	}
	tr, err := FindBox(X, y, PRIM{Alpha: 0.1, MinMass: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []Box{
		{Lo: []float64{0}, Hi: []float64{19}, Points: 20, Coverage: 1, Density: 0.5, Mass: 1},
		{Lo: []float64{0}, Hi: []float64{17}, Points: 18, Coverage: 1, Density: 10.0 / 18, Mass: 0.9},
		{Lo: []float64{0}, Hi: []float64{16}, Points: 17, Coverage: 1, Density: 10.0 / 17, Mass: 0.85},
	} {
		got := tr.Steps[i]
		if got.Lo[0] != want.Lo[0] || got.Hi[0] != want.Hi[0] || got.Points != want.Points ||
			math.Abs(got.Coverage-want.Coverage) > 1e-12 || math.Abs(got.Density-want.Density) > 1e-12 || math.Abs(got.Mass-want.Mass) > 1e-12 {
			t.Errorf("step %d: %+v, want %+v", i, got, want)
		}
	}
	if last := tr.Steps[len(tr.Steps)-1]; last.Points < 10 || tr.Chosen != len(tr.Steps)-1 {
		t.Errorf("last step %+v (chosen %d of %d), want at least MinMass 0.5 of the points and chosen", last, tr.Chosen, len(tr.Steps))
	}
}
