package calibrate

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"migrasim/scenarios"
)

// Limits on a particles file, checked before and while it is read.
const (
	// MaxParticlesFile is the largest particles file ReadParticles reads, in
	// bytes: 64 MiB, room for 100,000 particles of 31 keys at full precision.
	MaxParticlesFile = 64 << 20
	// MaxParticles is the most particles (rows) a file may hold.
	MaxParticles = 1_000_000
	// maxProblems is how many problems a refused file lists before it
	// says how many more there are.
	maxProblems = 20
)

// Particles are a posterior as weighted points in the space of the fitted
// keys: what 'migrasim calibrate' writes to particles.csv and 'migrasim
// compare --posterior' reads.
type Particles struct {
	// Keys are the scenario keys (number keys), in the file's column order.
	Keys []string
	// Weights are the particles' weights, each at least 0, summing to 1.
	Weights []float64
	// Values[i][j] is particle i's value of Keys[j].
	Values [][]float64
	// File names where the particles were read from, for messages.
	File string
	// SHA256 is the hex SHA-256 of the file's bytes, for manifests.
	SHA256 string
}

// ParticlesHeader is the start of particles.csv's header: the fitted keys
// follow.
var ParticlesHeader = []string{"particle", "weight"}

// Len is the number of particles.
func (p *Particles) Len() int { return len(p.Weights) }

// Overrides are particle i's values as scenario overrides
// (scenarios.Apply).
func (p *Particles) Overrides(i int) map[string]any {
	m := make(map[string]any, len(p.Keys))
	for j, k := range p.Keys {
		m[k] = p.Values[i][j]
	}
	return m
}

// Draw picks n particles by weight and returns their indices. It resamples
// systematically (one uniform from rng places n equally spaced points on the
// weights' cumulative distribution), so that particle i is picked n·w_i
// times rounded down or up, and each pick on its own has probability w_i;
// the picks are then shuffled with rng, so that any leading share of them
// is a sample of the posterior too. Particles of weight 0 are never picked.
func (p *Particles) Draw(n int, rng *rand.Rand) []int {
	out := make([]int, 0, n)
	u0 := rng.Float64()
	i, cum := 0, p.Weights[0]
	for k := range n {
		u := (float64(k) + u0) / float64(n)
		for u >= cum && i < len(p.Weights)-1 {
			i++
			cum += p.Weights[i]
		}
		j := i
		for p.Weights[j] == 0 && j > 0 { // rounding past the last positive weight
			j--
		}
		out = append(out, j)
	}
	rng.Shuffle(len(out), func(a, b int) { out[a], out[b] = out[b], out[a] })
	return out
}

// ReadParticles reads a particles file (particles.csv of 'migrasim
// calibrate'): a header particle,weight,KEY1,KEY2,... and one row per
// particle. Every key must be a number scenario key, given once; every value
// a finite number in the key's range; every weight a finite number at least
// 0, not all 0. Weights are normalised to sum to 1. Errors give
// file:line: column: message for every problem at once.
func ReadParticles(path string) (*Particles, error) {
	b, err := scenarios.ReadFile(path, MaxParticlesFile)
	if err != nil {
		return nil, fmt.Errorf("posterior %s: %w", path, err)
	}
	return ParseParticles(path, b)
}

// ParseParticles parses the text of a particles file; file names it in
// errors. See ReadParticles.
func ParseParticles(file string, text []byte) (*Particles, error) {
	sum := sha256.Sum256(text)
	p := &Particles{File: file, SHA256: hex.EncodeToString(sum[:])}
	r := csv.NewReader(bytes.NewReader(text))
	r.FieldsPerRecord = -1
	var problems []string
	bad := func(line int, column, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("%s:%d: %s: %s", file, line, column, fmt.Sprintf(format, args...)))
	}
	header, err := r.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty: want a header particle,weight,KEY1,KEY2,... and a row per particle", file)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	p.Keys = particleKeys(header, func(column, format string, args ...any) { bad(1, column, format, args...) })
	if len(problems) > 0 {
		return nil, particlesError(problems)
	}
	ranges := make([][2]float64, len(p.Keys))
	for j, k := range p.Keys {
		key, _ := scenarios.Lookup(k)
		lo, hi, ok := key.Range()
		if !ok {
			lo, hi = math.Inf(-1), math.Inf(1)
		}
		ranges[j] = [2]float64{lo, hi}
	}
	ids := map[int64]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				bad(pe.Line, "row", "%v", pe.Err)
			} else {
				problems = append(problems, fmt.Sprintf("%s: %v", file, err))
			}
			break
		}
		line, _ := r.FieldPos(0)
		if len(p.Weights) == MaxParticles {
			bad(line, "row", "more than %d particles: give a smaller sample", MaxParticles)
			break
		}
		if len(rec) != len(header) {
			bad(line, "row", "%d fields, want %d (particle, weight and %d keys)", len(rec), len(header), len(p.Keys))
			continue
		}
		id, err := strconv.ParseInt(strings.TrimSpace(rec[0]), 10, 64)
		if err != nil {
			bad(line, "particle", "%q: want a whole number", rec[0])
		} else if first, ok := ids[id]; ok {
			bad(line, "particle", "%d is given twice (first on line %d)", id, first)
		} else {
			ids[id] = line
		}
		w, err := strconv.ParseFloat(strings.TrimSpace(rec[1]), 64)
		if err != nil || math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
			bad(line, "weight", "%q: want a finite number, at least 0", rec[1])
		}
		x := make([]float64, len(p.Keys))
		for j, k := range p.Keys {
			v, err := strconv.ParseFloat(strings.TrimSpace(rec[2+j]), 64)
			switch {
			case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
				bad(line, k, "%q: want a finite number", rec[2+j])
			case v < ranges[j][0] || v > ranges[j][1]:
				bad(line, k, "%g is outside the key's range [%g, %g]", v, ranges[j][0], ranges[j][1])
			}
			x[j] = v
		}
		p.Weights = append(p.Weights, w)
		p.Values = append(p.Values, x)
	}
	if len(problems) > 0 {
		return nil, particlesError(problems)
	}
	if len(p.Weights) == 0 {
		return nil, fmt.Errorf("%s:1: row: no particles after the header", file)
	}
	total := 0.0
	for _, w := range p.Weights {
		total += w
	}
	if !(total > 0) || math.IsInf(total, 0) {
		return nil, fmt.Errorf("%s:1: weight: the weights sum to %g: want a positive, finite sum", file, total)
	}
	for i := range p.Weights {
		p.Weights[i] /= total
	}
	return p, nil
}

// particleKeys checks a particles header and returns its keys.
func particleKeys(header []string, bad func(column, format string, args ...any)) []string {
	if len(header) < 3 || strings.TrimSpace(header[0]) != ParticlesHeader[0] || strings.TrimSpace(header[1]) != ParticlesHeader[1] {
		bad("header", "want particle,weight,KEY1,KEY2,... (at least one key), got %q", strings.Join(header, ","))
		return nil
	}
	var keys []string
	for _, h := range header[2:] {
		k := strings.TrimSpace(h)
		key, ok := scenarios.Lookup(k)
		switch {
		case !ok:
			msg := "not a scenario key (see 'migrasim keys')"
			if c := scenarios.ClosestKey(k); c != "" {
				msg = fmt.Sprintf("not a scenario key (did you mean %q?)", c)
			}
			bad(k, "%s", msg)
		case key.Type != "number":
			bad(k, "a %s key: a posterior holds number keys only", key.Type)
		case slices.Contains(keys, k):
			bad(k, "given twice")
		}
		keys = append(keys, k)
	}
	return keys
}

// particlesError joins the problems of a refused file, at most maxProblems.
func particlesError(problems []string) error {
	if len(problems) > maxProblems {
		n := len(problems) - maxProblems
		problems = append(problems[:maxProblems], fmt.Sprintf("and %d more problems", n))
	}
	return errors.New(strings.Join(problems, "\n"))
}
