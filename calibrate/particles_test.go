package calibrate

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// particlesResult is a calibration result over two keys with the given
// accepted draws.
func particlesResult(accepted ...[]float64) *Result {
	spec := &Spec{Priors: []Prior{{Key: "decision.deterrence", Low: -20, High: 0}, {Key: "feedback.strength", Low: 0, High: 5}}}
	r := &Result{Config: Config{Spec: spec}, Best: []float64{-2.5, 1.8}}
	for _, x := range accepted {
		r.Accepted = append(r.Accepted, Sample{X: x})
	}
	return r
}

func TestParticlesRoundTrip(t *testing.T) {
	for _, tt := range []struct {
		name    string
		res     *Result
		want    string
		weights []float64
	}{
		{"abc", particlesResult([]float64{-1.0 / 3, 0.1}, []float64{-7, 2.25}, []float64{-12.125, 4}),
			"particle,weight,decision.deterrence,feedback.strength\n" +
				"1,0.3333333333333333,-0.3333333333333333,0.1\n2,0.3333333333333333,-7,2.25\n3,0.3333333333333333,-12.125,4\n",
			[]float64{1.0 / 3, 1.0 / 3, 1.0 / 3}},
		{"none", particlesResult(), "particle,weight,decision.deterrence,feedback.strength\n1,1,-2.5,1.8\n", []float64{1}},
	} {
		var buf bytes.Buffer
		if err := tt.res.WriteParticles(&buf); err != nil {
			t.Fatal(err)
		}
		if buf.String() != tt.want {
			t.Errorf("%s: wrote\n%s\nwant\n%s", tt.name, buf.String(), tt.want)
		}
		p, err := ParseParticles("particles.csv", buf.Bytes())
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if strings.Join(p.Keys, ",") != "decision.deterrence,feedback.strength" {
			t.Errorf("%s: keys %v", tt.name, p.Keys)
		}
		for i, w := range tt.weights {
			if math.Abs(p.Weights[i]-w) > 1e-15 {
				t.Errorf("%s: weight %d = %g, want %g", tt.name, i, p.Weights[i], w)
			}
		}
		points := [][]float64{tt.res.Best}
		if len(tt.res.Accepted) > 0 {
			points = nil
			for _, s := range tt.res.Accepted {
				points = append(points, s.X)
			}
		}
		for i, x := range points {
			for j := range x {
				if p.Values[i][j] != x[j] {
					t.Errorf("%s: particle %d key %d = %v, want %v exactly", tt.name, i, j, p.Values[i][j], x[j])
				}
			}
		}
	}
}

// Weights are normalised: written weights need not sum to 1.
func TestParticlesNormalised(t *testing.T) {
	p, err := ParseParticles("p.csv", []byte("particle,weight,feedback.strength\n1,3,1\n2,1,2\n3,0,3\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Weights[0] != 0.75 || p.Weights[1] != 0.25 || p.Weights[2] != 0 {
		t.Errorf("weights %v, want [0.75 0.25 0]", p.Weights)
	}
}

func TestParticlesRefused(t *testing.T) {
	const head = "particle,weight,decision.deterrence,feedback.strength\n"
	for _, tt := range []struct {
		name, text, want string
	}{
		{"empty", "", "p.csv: empty"},
		{"header only", head, "p.csv:1: row: no particles"},
		{"bad header", "id,weight,feedback.strength\n1,1,1\n", "p.csv:1: header: want particle,weight,KEY1"},
		{"no keys", "particle,weight\n1,1\n", "p.csv:1: header: want particle,weight,KEY1"},
		{"unknown key", "particle,weight,feedback.strenght\n1,1,1\n", `p.csv:1: feedback.strenght: not a scenario key (did you mean "feedback.strength"?)`},
		{"month key", "particle,weight,policy.cam.close\n1,1,1\n", "p.csv:1: policy.cam.close: a month key"},
		{"key twice", "particle,weight,feedback.strength,feedback.strength\n1,1,1,1\n", "p.csv:1: feedback.strength: given twice"},
		{"NaN weight", head + "1,1,-2,1\n2,NaN,-2,1\n", `p.csv:3: weight: "NaN": want a finite number, at least 0`},
		{"negative weight", head + "1,-0.5,-2,1\n", `p.csv:2: weight: "-0.5": want a finite number, at least 0`},
		{"infinite weight", head + "1,+Inf,-2,1\n", `p.csv:2: weight: "+Inf"`},
		{"zero weights", head + "1,0,-2,1\n2,0,-3,1\n", "p.csv:1: weight: the weights sum to 0"},
		{"NaN value", head + "1,1,NaN,1\n", `p.csv:2: decision.deterrence: "NaN": want a finite number`},
		{"text value", head + "1,1,-2,strong\n", `p.csv:2: feedback.strength: "strong": want a finite number`},
		{"out of range", head + "1,1,-2,1\n2,1,-2,1e9\n", "p.csv:3: feedback.strength: 1e+09 is outside the key's range"},
		{"short row", head + "1,1,-2\n", "p.csv:2: row: 3 fields, want 4 (particle, weight and 2 keys)"},
		{"particle twice", head + "1,1,-2,1\n1,1,-3,1\n", "p.csv:3: particle: 1 is given twice (first on line 2)"},
		{"particle not whole", head + "1.5,1,-2,1\n", `p.csv:2: particle: "1.5": want a whole number`},
		{"bad quote", head + "1,1,-2,\"1\n", "p.csv:2: row:"},
	} {
		_, err := ParseParticles("p.csv", []byte(tt.text))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
}

// Every problem is reported at once, each at its line.
func TestParticlesAllProblems(t *testing.T) {
	_, err := ParseParticles("p.csv", []byte("particle,weight,feedback.strength\n1,-1,1\n2,1,x\n"))
	if err == nil || !strings.Contains(err.Error(), "p.csv:2: weight:") || !strings.Contains(err.Error(), "p.csv:3: feedback.strength:") {
		t.Errorf("got %v, want both problems", err)
	}
}

func TestReadParticlesBounded(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.csv")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(MaxParticlesFile + 1) // sparse: nothing is written
	f.Close()
	if _, err := ReadParticles(big); err == nil || !strings.Contains(err.Error(), "more than the limit") {
		t.Errorf("a file over the limit: got %v", err)
	}
	if _, err := ReadParticles(dir); err == nil || !strings.Contains(err.Error(), "a folder") {
		t.Errorf("a folder: got %v", err)
	}
	if _, err := ReadParticles(filepath.Join(dir, "missing.csv")); err == nil || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("a missing file: got %v", err)
	}
}

// Draw picks each particle n·w times rounded down or up, never one of
// weight 0, and the same particles for the same seed.
func TestParticlesDraw(t *testing.T) {
	p := &Particles{Weights: []float64{0.25, 0, 0.6, 0.15}}
	for seed := range uint64(20) {
		got := p.Draw(20, rand.New(rand.NewPCG(seed, 1)))
		counts := make([]int, len(p.Weights))
		for _, i := range got {
			counts[i]++
		}
		if counts[0] != 5 || counts[1] != 0 || counts[2] != 12 || counts[3] != 3 {
			t.Errorf("seed %d: counts %v, want [5 0 12 3]", seed, counts)
		}
		again := p.Draw(20, rand.New(rand.NewPCG(seed, 1)))
		if !slices.Equal(got, again) {
			t.Errorf("seed %d: %v then %v", seed, got, again)
		}
	}
	q := &Particles{Weights: []float64{0.5, 0.5, 0}}
	for seed := range uint64(50) {
		for _, i := range q.Draw(7, rand.New(rand.NewPCG(seed, 2))) {
			if i == 2 {
				t.Fatalf("seed %d: picked a particle of weight 0", seed)
			}
		}
	}
}
