package sweep

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"migrasim/design"
	"migrasim/scenarios"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// head is the scenario part of the test specs.
const head = `name = "s"
months = 12
scale = 0.001
replicates = 3
seed = 7
`

// Expansion: keys in column order, the number of points, and the points in
// order (cases slowest, then the grid keys as written, then the sample).
func TestSweepExpansion(t *testing.T) {
	tests := []struct {
		name       string
		spec       string
		keys       []string
		replicates int
		points     [][]any // all points, or the first ones
	}{
		{"no sweep table: one point", "", nil, 3, [][]any{{}}},
		{"grid", `
[sweep]
replicates = 2
[sweep.grid]
feedback.strength = [0.0, 0.4, 1]
"policy.interior_removals.rate_multiplier" = [1.0, 3.0]
`, []string{"feedback.strength", "policy.interior_removals.rate_multiplier"}, 2,
			[][]any{{0.0, 1.0}, {0.0, 3.0}, {0.4, 1.0}, {0.4, 3.0}, {1.0, 1.0}, {1.0, 3.0}}},
		{"grid of months and whole numbers", `
[sweep.grid]
policy.interior_removals.from = ["2016-01", "2018-01"]
feedback.lag_months = [0, 12]
`, []string{"policy.interior_removals.from", "feedback.lag_months"}, 3,
			[][]any{{"2016-01", int64(0)}, {"2016-01", int64(12)}, {"2018-01", int64(0)}, {"2018-01", int64(12)}}},
		{"grid under a table header", `
[sweep.grid.feedback]
strength = [0.2, 0.3]
`, []string{"feedback.strength"}, 3, [][]any{{0.2}, {0.3}}},
		{"cases then grid", `
[sweep.cases]
keys = ["policy.interior_removals.rate_multiplier", "policy.interior_removals.gang_targeting"]
values = [
  [1.0, 0.0],
  [3, 0.5],
]
[sweep.grid]
feedback.strength = [0.0, 0.8]
`, []string{"policy.interior_removals.rate_multiplier", "policy.interior_removals.gang_targeting", "feedback.strength"}, 3,
			[][]any{{1.0, 0.0, 0.0}, {1.0, 0.0, 0.8}, {3.0, 0.5, 0.0}, {3.0, 0.5, 0.8}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("s.toml", []byte(head+tt.spec))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(s.Keys, tt.keys) {
				t.Errorf("keys = %v, want %v", s.Keys, tt.keys)
			}
			if s.Replicates != tt.replicates {
				t.Errorf("replicates = %d, want %d", s.Replicates, tt.replicates)
			}
			if s.Points() != len(tt.points) {
				t.Errorf("points = %d, want %d", s.Points(), len(tt.points))
			}
			for i, want := range tt.points {
				if got := s.Point(i); !reflect.DeepEqual(got, want) {
					t.Errorf("point %d = %#v, want %#v", i, got, want)
				}
			}
			if err := s.Check(context.Background()); err != nil {
				t.Error(err)
			}
			_, runs, err := s.Plan(context.Background(), "s.toml", nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(runs) != s.Points()*s.Replicates || len(runs) != s.Runs() {
				t.Fatalf("%d runs for %d points x %d replicates", len(runs), s.Points(), s.Replicates)
			}
			for i, r := range runs {
				if r.Run != i || r.Point != i/s.Replicates || r.Replicate != i%s.Replicates || r.Seed != 7 || r.Scenario != s.PointName(r.Point) {
					t.Errorf("run %d = %+v", i, r)
				}
			}
		})
	}
}

// Resolved points carry their values, name, seed and replicates, and leave
// the base untouched.
func TestSweepParams(t *testing.T) {
	s, err := Parse("s.toml", []byte(head+`
[sweep]
seeds = "independent"
[sweep.grid]
feedback.strength = [0.0, 1.25]
policy.interior_removals.from = ["2018-01"]
`))
	if err != nil {
		t.Fatal(err)
	}
	baseStrength := s.Base.Feedback.Strength
	p, err := s.Params(1)
	if err != nil {
		t.Fatal(err)
	}
	if p.Feedback.Strength != 1.25 || p.Policy.InteriorRemovals.From.String() != "2018-01" || p.Name != "s-p01" || p.Replicates != 3 {
		t.Errorf("point 1: strength %g, from %s, name %s, replicates %d", p.Feedback.Strength, p.Policy.InteriorRemovals.From, p.Name, p.Replicates)
	}
	if s.Base.Feedback.Strength != baseStrength || s.Base.Policy.InteriorRemovals.From.IsSet() {
		t.Error("resolving a point changed the base")
	}
	if s.Seed(0) == s.Seed(1) || s.Seed(0) == 7 {
		t.Errorf("independent seeds: %d, %d", s.Seed(0), s.Seed(1))
	}
	// A plan's JSON gives the same parameters.
	var v any
	dec := json.NewDecoder(strings.NewReader("1.25"))
	dec.UseNumber()
	dec.Decode(&v)
	q, err := Resolve(s.Base, p.Name, p.Seed, 3, s.Keys, []any{v, "2018-01"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, q) {
		t.Error("Resolve from JSON values differs from Params")
	}
}

// Samples: the values lie in their ranges, stratified like the unit design,
// whole-number keys get whole numbers, and the design seed decides.
func TestSweepSample(t *testing.T) {
	for _, method := range []string{"lhs", "sobol"} {
		t.Run(method, func(t *testing.T) {
			spec := func(seed int) string {
				return head + fmt.Sprintf(`
[sweep.sample]
method = %q
n = 32
design_seed = %d
[sweep.sample.ranges]
feedback.strength = [0.5, 2.5]
feedback.lag_months = [3, 10]
`, method, seed)
			}
			s, err := Parse("s.toml", []byte(spec(4)))
			if err != nil {
				t.Fatal(err)
			}
			if s.Points() != 32 {
				t.Fatalf("%d points", s.Points())
			}
			var xs []float64
			lags := map[int64]int{}
			for i := range s.Points() {
				pt := s.Point(i)
				x, lag := pt[0].(float64), pt[1].(int64)
				if x < 0.5 || x >= 2.5 || lag < 3 || lag > 10 {
					t.Fatalf("point %d = %v out of range", i, pt)
				}
				xs = append(xs, (x-0.5)/2)
				lags[lag]++
			}
			if !stratified(xs) {
				t.Errorf("feedback.strength not stratified: %v", xs)
			}
			for lag := int64(3); lag <= 10; lag++ { // 32 points over 8 values: 4 each
				if lags[lag] != 4 {
					t.Errorf("lag %d drawn %d times, want 4 (%v)", lag, lags[lag], lags)
				}
			}
			other, _ := Parse("s.toml", []byte(spec(5)))
			if reflect.DeepEqual(s.Point(0), other.Point(0)) {
				t.Error("design_seed does not change the sample")
			}
		})
	}
}

// Bad specs: every problem named with file, line and key, all at once.
func TestBadSweep(t *testing.T) {
	tests := []struct {
		name string
		spec string
		want []string
	}{
		{"unknown sweep key", "[sweep]\ngird = 1\n",
			[]string{`s.toml:7: sweep.gird: unknown key (did you mean "grid"?)`}},
		{"unknown scenario key", "[sweep.grid]\nfeedback.strenght = [1.0]\n",
			[]string{`s.toml:7: sweep.grid.feedback.strenght: feedback.strenght is not a scenario key a sweep can set (did you mean "feedback.strength"?)`}},
		{"value out of range, on its own line", "[sweep.grid]\nfeedback.strength = [\n  0.1,\n  12.0,\n]\n",
			[]string{`s.toml:9: sweep.grid.feedback.strength[1]: feedback.strength: 12 is out of range [0, 10]`}},
		{"wrong type", "[sweep.grid]\nfeedback.lag_months = [1, 2.5]\n",
			[]string{`s.toml:7: sweep.grid.feedback.lag_months[1]: feedback.lag_months: want a whole number (months), got the number 2.5`}},
		{"bad month", "[sweep.grid]\npolicy.cam.close = [\"2017-13\"]\n",
			[]string{`s.toml:7: sweep.grid.policy.cam.close[0]: policy.cam.close:`}},
		{"not a list", "[sweep.grid]\nfeedback.strength = 0.4\n",
			[]string{`s.toml:7: sweep.grid.feedback.strength: want a non-empty list of values`}},
		{"repeated value", "[sweep.grid]\nfeedback.strength = [0.4, 0.4]\n",
			[]string{`s.toml:7: sweep.grid.feedback.strength[1]: repeats sweep.grid.feedback.strength[0]`}},
		{"not sweepable", "[sweep.grid]\nseed = [1, 2]\n",
			[]string{`s.toml:7: sweep.grid.seed: seed cannot be swept`}},
		{"short case row", "[sweep.cases]\nkeys = [\"feedback.strength\", \"feedback.lag_months\"]\nvalues = [\n  [0.1, 2],\n  [0.2],\n]\n",
			[]string{`s.toml:10: sweep.cases.values[1]: want a row of 2 values (feedback.strength, feedback.lag_months)`}},
		{"bad case value", "[sweep.cases]\nkeys = [\"feedback.strength\"]\nvalues = [[-1.0]]\n",
			[]string{`s.toml:8: sweep.cases.values[0]: feedback.strength: -1 is out of range`}},
		{"key swept twice", "[sweep.cases]\nkeys = [\"feedback.strength\"]\nvalues = [[1.0]]\n[sweep.grid]\nfeedback.strength = [2.0]\n",
			[]string{`s.toml:10: sweep.grid.feedback.strength: feedback.strength is already swept by sweep.cases.keys[0]`}},
		{"sample without n, bad method", "[sweep.sample]\nmethod = \"random\"\n[sweep.sample.ranges]\nfeedback.strength = [0.0, 1.0]\n",
			[]string{`s.toml:7: sweep.sample.method: want "lhs" (Latin hypercube), "sobol" or "saltelli"`, `s.toml:6: sweep.sample: n is missing`}},
		{"Saltelli beside a grid", "[sweep.grid]\nfeedback.lag_months = [3, 6]\n[sweep.sample]\nmethod = \"saltelli\"\nn = 4\n[sweep.sample.ranges]\nfeedback.strength = [0.0, 1.0]\n",
			[]string{`s.toml:9: sweep.sample.method: a Saltelli sample must be the sweep's only design`}},
		{"empty range", "[sweep.sample]\nmethod = \"lhs\"\nn = 4\n[sweep.sample.ranges]\nfeedback.strength = [1.0, 1.0]\n",
			[]string{`s.toml:10: sweep.sample.ranges.feedback.strength: low 1 is not below high 1`}},
		{"sampled month", "[sweep.sample]\nmethod = \"lhs\"\nn = 4\n[sweep.sample.ranges]\npolicy.cam.close = [\"2015-01\", \"2018-01\"]\n",
			[]string{`s.toml:10: sweep.sample.ranges.policy.cam.close: policy.cam.close is not a number`}},
		{"two problems at once", "[sweep]\nreplicates = 0\nseeds = \"shared\"\n",
			[]string{`s.toml:7: sweep.replicates: want a whole number from 1 to 100000`, `s.toml:8: sweep.seeds: want "common"`}},
		{"empty grid", "[sweep]\nreplicates = 2\n\n[sweep.grid]\n",
			[]string{`s.toml:9: sweep.grid: no keys to vary`}},
		{"NaN in the grid", "[sweep.grid]\nfeedback.strength = [0.1, nan]\n",
			[]string{`s.toml:7: sweep.grid.feedback.strength[1]: feedback.strength: NaN is out of range`}},
		{"infinite sample range", "[sweep.sample]\nmethod = \"lhs\"\nn = 4\n[sweep.sample.ranges]\nfeedback.strength = [0.0, inf]\n",
			[]string{`s.toml:10: sweep.sample.ranges.feedback.strength: feedback.strength: +Inf is out of range`}},
		{"nested too deep", "[sweep.grid]\nfeedback.strength = " + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "\n",
			[]string{`s.toml:7: arrays and inline tables nested more than 16 deep`}},
		{"scenario error after the sweep keeps its line", "[sweep.grid]\nfeedback.strength = [0.1]\n\n[feedback]\nlag_months = 100\n",
			[]string{`s.toml:10: feedback.lag_months: 100 is out of range [0, 60]`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("s.toml", []byte(head+tt.spec))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

// Points that break a cross-field rule are named, with their values.
func TestSweepCheck(t *testing.T) {
	s, err := Parse("s.toml", []byte(head+`
[sweep]
[sweep.grid]
country.SV.poor_share = [0.3, 0.95]
`))
	if err != nil {
		t.Fatal(err)
	}
	err = s.Check(context.Background())
	want := "s.toml:7: sweep: design point 1 (country.SV.poor_share = 0.95): country.SV.poor_share: poor_share + extreme_poor_share"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Check() = %v, want %q", err, want)
	}
	if strings.Contains(err.Error(), "design point 0") {
		t.Errorf("point 0 is fine: %v", err)
	}
}

// The sweep's lines come out of the scenario part, however it is written.
func TestSweepSplit(t *testing.T) {
	specs := map[string]string{
		"table first": `[sweep]
replicates = 2
[sweep.grid]
feedback.strength = [
  0.1, # a comment with a ] bracket
  0.2,
]
[feedback]
lag_months = 3
`,
		"dotted at the top": `sweep.replicates = 2
sweep.grid.feedback.strength = [0.1, 0.2]
[feedback]
lag_months = 3
`,
		"inline": `sweep = { replicates = 2, grid = { "feedback.strength" = [0.1, 0.2] } }
[feedback]
lag_months = 3
`,
		"multi-line string in the scenario": `description = """
[sweep] is not a table here
"""
[sweep]
replicates = 2
[sweep.grid]
feedback.strength = [0.1, 0.2]
[feedback]
lag_months = 3
`,
	}
	for name, spec := range specs {
		t.Run(name, func(t *testing.T) {
			text := strings.Replace(head, "replicates = 3\n", "", 1) + spec
			s, err := Parse("s.toml", []byte(text))
			if err != nil {
				t.Fatal(err)
			}
			if s.Replicates != 2 || s.Points() != 2 || s.Base.Feedback.LagMonths != 3 {
				t.Errorf("replicates %d, points %d, lag %d", s.Replicates, s.Points(), s.Base.Feedback.LagMonths)
			}
		})
	}
}

// Every shipped sweep loads and every point of it resolves.
func TestShippedSweeps(t *testing.T) {
	infos, err := scenarios.Sweeps()
	if err != nil || len(infos) == 0 {
		t.Fatalf("Sweeps() = %v, %v", infos, err)
	}
	for _, in := range infos {
		s, err := Load(in.Name)
		if err != nil {
			t.Errorf("%s: %v", in.Name, err)
			continue
		}
		if in.Description == "" || s.Name != in.Name {
			t.Errorf("%s: description %q, name %q", in.Name, in.Description, s.Name)
		}
		if err := s.Check(context.Background()); err != nil {
			t.Errorf("%s: %v", in.Name, err)
		}
	}
	s, err := Load("deportation-feedback")
	if err != nil {
		t.Fatal(err)
	}
	if s.Points() != 8 || s.Replicates != 2 || s.Runs() != 16 {
		t.Errorf("deportation-feedback: %d points x %d replicates = %d runs, want 8 x 2 = 16", s.Points(), s.Replicates, s.Runs())
	}
	if _, err := Load("baseline"); err != nil {
		t.Errorf("a scenario is a sweep of one point: %v", err)
	}
	if _, err := Load("no-such-sweep"); err == nil {
		t.Error("no error for an unknown sweep")
	}
}

// The spec parser never panics, whatever the text.
// FuzzParseSweep checks that a spec Parse accepts gives design points
// whose values are finite and in range (each a scenario the engine takes),
// and that no spec takes more than a bounded amount of memory.
func FuzzParseSweep(f *testing.F) {
	f.Add(head + "[sweep.grid]\nfeedback.strength = [0.1, 0.2]\n")
	f.Add(head + "[sweep.cases]\nkeys = [\"feedback.strength\"]\nvalues = [\n [0.1],\n [0.2]]\n")
	f.Add(head + "[sweep.sample]\nmethod = \"sobol\"\nn = 8\n[sweep.sample.ranges]\n'feedback.strength' = [0, 1]\n")
	f.Add("sweep = { grid = { a = [\"]\"] } }\n")
	f.Add(head + "[sweep.grid]\nfeedback.strength = [nan, inf]\n")
	f.Add(head + "[sweep]\nseeds = \"independent\"\n[sweep.grid]\n")
	f.Fuzz(func(t *testing.T, text string) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		s, err := Parse("fuzz.toml", []byte(text))
		runtime.ReadMemStats(&after)
		if n, limit := after.TotalAlloc-before.TotalAlloc, 64<<20+400*uint64(len(text)); n > limit {
			t.Errorf("Parse of %d bytes allocated %d bytes, more than %d", len(text), n, limit)
		}
		if err != nil || s.Points() > 200 {
			return
		}
		for i := range s.Points() {
			for j, v := range s.Point(i) {
				if x, ok := v.(float64); ok && (math.IsNaN(x) || math.IsInf(x, 0)) {
					t.Errorf("point %d: %s = %v", i, s.Keys[j], x)
				}
				if _, err := scenarios.Coerce(s.Keys[j], v); err != nil {
					t.Errorf("point %d: %v", i, err)
				}
			}
			if p, err := s.Params(i); err == nil && p.Seed > scenarios.MaxSeed {
				t.Errorf("point %d: seed %d", i, p.Seed)
			}
		}
	})
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

// Independent seeds stay in the one seed range, 0 to 2^63-1, so plans,
// manifests and scenario files can hold them (issue 14, item 5).
func TestIndependentSeedsInRange(t *testing.T) {
	s, err := Parse("s.toml", []byte(head+"[sweep]\nseeds = \"independent\"\n[sweep.grid]\nfeedback.strength = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]\n"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range s.Points() {
		p, err := s.Params(i)
		if err != nil || p.Seed > scenarios.MaxSeed {
			t.Errorf("point %d: seed %d, %v", i, s.Seed(i), err)
		}
	}
	if _, err := Resolve(s.Base, "x", scenarios.MaxSeed+1, 1, nil, nil); err == nil || !strings.Contains(err.Error(), "seed") {
		t.Errorf("Resolve with seed 2^63: %v", err)
	}
}

// A Saltelli sample: the points are design.Saltelli's rows in order (A, B,
// AB_0, AB_1) mapped onto the ranges, whole numbers as in the other
// methods, and the plan header says so.
func TestSweepSaltelli(t *testing.T) {
	s, err := Parse("s.toml", []byte(head+`
[sweep.sample]
method = "saltelli"
n = 8
design_seed = 3
[sweep.sample.ranges]
feedback.strength = [0.5, 2.5]
feedback.lag_months = [3, 10]
`))
	if err != nil {
		t.Fatal(err)
	}
	if s.Points() != 8*4 || s.Design != SampleSaltelli || s.SaltelliN != 8 {
		t.Fatalf("%d points, design %q, n %d; want 32, saltelli, 8", s.Points(), s.Design, s.SaltelliN)
	}
	d, err := design.NewSaltelli(8, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	ranges := []sampleRange{{lo: 0.5, hi: 2.5}, {lo: 3, hi: 10, whole: true}}
	for i, u := range d.Rows() {
		want := []any{ranges[0].at(u[0]), ranges[1].at(u[1])}
		if got := s.Point(i); !reflect.DeepEqual(got, want) {
			t.Fatalf("point %d = %v, want %v", i, got, want)
		}
	}
	// AB_0 takes key 0 from B and key 1 from A.
	if a, b, ab := s.Point(1), s.Point(8+1), s.Point(16+1); ab[0] != b[0] || ab[1] != a[1] {
		t.Errorf("AB_0 row 1 = %v, want key 0 from B %v and key 1 from A %v", ab, b, a)
	}
	h, _, err := s.Plan(context.Background(), "s.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if h.Design != SampleSaltelli || h.SaltelliN != 8 {
		t.Errorf("header design %q, n %d", h.Design, h.SaltelliN)
	}
	keys, err := scenarios.Keys()
	if err != nil {
		t.Fatal(err)
	}
	many, d17 := head+"[sweep.sample]\nmethod = \"saltelli\"\nn = 4\n[sweep.sample.ranges]\n", 0
	for _, k := range keys {
		if k.Type != "number" || k.Min == "" || k.Max == "" || strings.Contains(k.Path, "[]") || d17 == 17 {
			continue
		}
		many += fmt.Sprintf("'%s' = [%s, %s]\n", k.Path, k.Min, k.Max)
		d17++
	}
	if _, err := Parse("s.toml", []byte(many)); err == nil || !strings.Contains(err.Error(), "at most 16 factors") {
		t.Errorf("%d sampled keys: got %v, want a refusal of more than 16", d17, err)
	}
}
