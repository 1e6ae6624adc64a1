package sim

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// ulps is the distance between a and b in units in the last place.
func ulps(a, b float64) uint64 {
	ia, ib := int64(math.Float64bits(a)), int64(math.Float64bits(b))
	if ia < 0 {
		ia = math.MinInt64 - ia
	}
	if ib < 0 {
		ib = math.MinInt64 - ib
	}
	if ia > ib {
		return uint64(ia - ib)
	}
	return uint64(ib - ia)
}

// The portable functions agree with the math package to two ulps over the
// ranges the engine uses, and exactly on the special values.
func TestPortableMathAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		x := (r.Float64()*2 - 1) * 700
		if d := ulps(exp(x), math.Exp(x)); d > 2 {
			t.Fatalf("exp(%v) = %v, math.Exp %v: %d ulps", x, exp(x), math.Exp(x), d)
		}
		y := math.Ldexp(r.Float64()+0.5, r.IntN(200)-100)
		if d := ulps(log(y), math.Log(y)); d > 2 {
			t.Fatalf("log(%v) = %v, math.Log %v: %d ulps", y, log(y), math.Log(y), d)
		}
		b, n := r.Float64(), r.IntN(300)
		if got, want := powInt(b, n), math.Pow(b, float64(n)); math.Abs(got-want) > 1e-12*want+1e-300 {
			t.Fatalf("powInt(%v, %d) = %v, math.Pow %v", b, n, got, want)
		}
	}
	for _, tt := range []struct{ got, want float64 }{
		{exp(0), 1}, {exp(math.Inf(-1)), 0}, {exp(1000), math.Inf(1)}, {exp(-1000), 0},
		{log(1), 0}, {log(0), math.Inf(-1)}, {log(math.Inf(1)), math.Inf(1)}, {powInt(3, 0), 1}, {powInt(2, 10), 1024},
	} {
		if tt.got != tt.want {
			t.Errorf("got %v, want %v", tt.got, tt.want)
		}
	}
	if !math.IsNaN(log(-1)) || !math.IsNaN(exp(math.NaN())) {
		t.Error("NaN cases")
	}
}

// The bits of the portable functions are pinned: a change in their
// arithmetic (a product no longer rounded, a constant changed) changes every
// result of the engine and must come with a Version bump.
func TestPortableMathPinned(t *testing.T) {
	h := sha256.New()
	r := rand.New(rand.NewPCG(3, 4))
	var b [8]byte
	for range 10000 {
		x := (r.Float64()*2 - 1) * 50
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(exp(x)))
		h.Write(b[:])
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(log(math.Abs(x)+1e-3)))
		h.Write(b[:])
	}
	const want = "51bf16ac0c400497"
	if got := fmt.Sprintf("%x", h.Sum(nil))[:16]; got != want {
		t.Errorf("portable math hash %s, want %s", got, want)
	}
}
