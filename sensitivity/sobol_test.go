package sensitivity

import (
	"math"
	"math/rand/v2"
	"testing"

	"migrasim/design"
)

// ishigami is the Ishigami function with a = 7, b = 0.1, on [-π, π]^3 mapped
// from the unit cube.
func ishigami(u []float64) float64 {
	x0, x1, x2 := -math.Pi+2*math.Pi*u[0], -math.Pi+2*math.Pi*u[1], -math.Pi+2*math.Pi*u[2]
	s1 := math.Sin(x1)
	return math.Sin(x0) + 7*s1*s1 + 0.1*x2*x2*x2*x2*math.Sin(x0)
}

// Analytic indices of the Ishigami function with a = 7, b = 0.1.
var (
	ishigamiS1 = []float64{0.3139, 0.4424, 0}
	ishigamiST = []float64{0.5576, 0.4424, 0.2437}
)

// ishigamiSaltelli evaluates the Ishigami function on a Saltelli design.
func ishigamiSaltelli(t testing.TB, n int, seed uint64) (fA, fB []float64, fAB [][]float64) {
	s, err := design.NewSaltelli(n, 3, seed)
	if err != nil {
		t.Fatal(err)
	}
	eval := func(rows [][]float64) []float64 {
		f := make([]float64, len(rows))
		for k, r := range rows {
			f[k] = ishigami(r)
		}
		return f
	}
	fA, fB = eval(s.A), eval(s.B)
	for _, ab := range s.AB {
		fAB = append(fAB, eval(ab))
	}
	return fA, fB, fAB
}

// The analytic Ishigami indices lie inside the 90% bootstrap intervals, and
// the intervals are narrower than 0.1 at N = 4096. Six intervals at 90%:
// the seeds are fixed, and the test was checked to fail when S1 uses fA in
// place of fB or ST loses its factor 1/2.
func TestSobolIshigami(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		fA, fB, fAB := ishigamiSaltelli(t, 4096, seed)
		got, err := Sobol(fA, fB, fAB, Bootstrap{Src: rand.New(rand.NewPCG(seed, 7))})
		if err != nil {
			t.Fatal(err)
		}
		for i, ix := range got {
			for _, c := range []struct {
				name string
				x    Index
				want float64
			}{{"S1", ix.S1, ishigamiS1[i]}, {"ST", ix.ST, ishigamiST[i]}} {
				t.Logf("seed %d key %d %s %.4f [%.4f, %.4f], analytic %.4f", seed, i, c.name, c.x.Est, c.x.Lo, c.x.Hi, c.want)
				if !(c.x.Lo <= c.want && c.want <= c.x.Hi) {
					t.Errorf("seed %d key %d: %s %.4f [%.4f, %.4f] misses the analytic %.4f", seed, i, c.name, c.x.Est, c.x.Lo, c.x.Hi, c.want)
				}
				if w := c.x.Hi - c.x.Lo; w >= 0.1 {
					t.Errorf("seed %d key %d: %s interval %.4f wide, want < 0.1", seed, i, c.name, w)
				}
				if !(c.x.Lo <= c.x.Est && c.x.Est <= c.x.Hi) {
					t.Errorf("seed %d key %d: %s estimate %.4f outside its interval [%.4f, %.4f]", seed, i, c.name, c.x.Est, c.x.Lo, c.x.Hi)
				}
			}
		}
	}
}

// The same seed gives the same intervals.
func TestSobolDeterministic(t *testing.T) {
	fA, fB, fAB := ishigamiSaltelli(t, 256, 5)
	a, err := Sobol(fA, fB, fAB, Bootstrap{Resamples: 50, Src: rand.New(rand.NewPCG(1, 2))})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Sobol(fA, fB, fAB, Bootstrap{Resamples: 50, Src: rand.New(rand.NewPCG(1, 2))})
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("key %d: %v then %v from the same seed", i, a[i], b[i])
		}
	}
}

func TestSobolErrors(t *testing.T) {
	src := rand.New(rand.NewPCG(1, 2))
	one := []float64{1, 2, 3}
	for _, c := range []struct {
		name   string
		fA, fB []float64
		fAB    [][]float64
		b      Bootstrap
	}{
		{"lengths", one, one[:2], [][]float64{one}, Bootstrap{Src: src}},
		{"no keys", one, one, nil, Bootstrap{Src: src}},
		{"AB length", one, one, [][]float64{one[:1]}, Bootstrap{Src: src}},
		{"constant", []float64{1, 1}, []float64{1, 1}, [][]float64{{1, 1}}, Bootstrap{Src: src}},
		{"NaN", []float64{1, math.NaN()}, []float64{1, 2}, [][]float64{{1, 1}}, Bootstrap{Src: src}},
		{"no source", one, one, [][]float64{one}, Bootstrap{}},
		{"level", one, one, [][]float64{one}, Bootstrap{Src: src, Level: 1}},
		{"resamples", one, one, [][]float64{one}, Bootstrap{Src: src, Resamples: MaxResamples + 1}},
	} {
		if _, err := Sobol(c.fA, c.fB, c.fAB, c.b); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}
