package sweep

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"runtime"
	"strings"

	"github.com/BurntSushi/toml"

	"migrasim/calibrate"
	"migrasim/scenarios"
	"migrasim/sim"
)

// A sweep spec is a scenario with a [sweep] table:
//
//	[sweep]
//	replicates = 2      # replicates of each design point (default: the scenario's)
//	seeds = "common"    # or "independent" (default "common")
//
//	[sweep.grid]        # Cartesian product of the listed values
//	feedback.strength = [0.0, 1.25, 2.5, 5.0]
//
//	[sweep.cases]       # explicit tuples, one row per case
//	keys = ["policy.interior_removals.rate_multiplier", "policy.interior_removals.gang_targeting"]
//	values = [[1.0, 0.0], [3.0, 0.5]]
//
//	[sweep.sample]      # Latin hypercube ("lhs"), Sobol ("sobol") or Saltelli ("saltelli") sample
//	method = "lhs"
//	n = 64
//	design_seed = 7     # the design's own seed (default 1), not the simulation's
//	[sweep.sample.ranges]
//	decision.network_effect = [0.1, 0.6]
//
// The design points are the product of the parts present, the cases varying
// slowest, then the grid keys in the order written (the last fastest), then
// the sample points. A Saltelli sample (n base points, n·(d+2) design
// points for d keys, for total Sobol indices) must be the only part. Every value is checked like a scenario file's, and
// every design point as a whole, before anything runs.

// Seeds modes of a sweep.
const (
	// SeedsCommon gives every design point the scenario's seed, so replicate
	// r of every point uses the same random streams (common random numbers):
	// differences between points are then due to the parameters, not to
	// sampling noise, which is what sensitivity analysis needs.
	SeedsCommon = "common"
	// SeedsIndependent gives each design point its own seed, derived from the
	// scenario's seed and the point's index.
	SeedsIndependent = "independent"
)

// Spec is a parameter sweep: a base scenario, a design of key overrides
// (its points), and the replicates of each point. A run is one replicate of
// one point.
type Spec struct {
	// Name names the sweep: the base scenario's name.
	Name string
	// File is where the spec was read from, for messages.
	File string
	// Base is the scenario without its [sweep] table.
	Base *sim.Params
	// Keys are the swept scenario keys in column order: the cases', the
	// grid's, the sample's.
	Keys []string
	// Replicates is the number of replicates of each design point.
	Replicates int
	// Seeds is SeedsCommon or SeedsIndependent.
	Seeds string
	// Design is "saltelli" when the points are a Saltelli sample, in the
	// row order of design.Saltelli.Rows; empty otherwise.
	Design string
	// SaltelliN is the Saltelli sample's number of base points, or 0.
	SaltelliN int

	// Kind is KindCompare when [sweep] compare names two scenarios,
	// KindPosterior when it also names a posterior; KindRuns otherwise.
	Kind string
	// Compare names A and B as written. In a comparison sweep Base is A, B
	// is B, each with the keys the spec's scenario part writes, and B runs
	// with A's run settings (see Pair).
	Compare []string
	B       *sim.Params
	// From and To bound the policy window (YYYY-MM) as written; empty
	// means PolicyWindow's default.
	From, To string
	// Posterior is the particles file of a posterior sweep as written,
	// Draws its number of draws.
	Posterior string
	Draws     int

	particles *calibrate.Particles

	factors []factor
	lines   *scenarios.TextMap
}

// Load reads a sweep spec given by embedded sweep name, by embedded
// scenario name (a sweep of one point), or by file path.
func Load(nameOrPath string) (*Spec, error) {
	if scenarios.IsPath(nameOrPath) {
		b, err := scenarios.ReadFile(nameOrPath, scenarios.MaxFileSize)
		if err != nil {
			return nil, fmt.Errorf("sweep %s: %w", nameOrPath, err)
		}
		return Parse(nameOrPath, b)
	}
	b, err := scenarios.SweepSource(nameOrPath)
	if errors.Is(err, fs.ErrNotExist) {
		b, err = scenarios.Source(nameOrPath)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("sweep %q: no such embedded sweep or scenario (see 'migrasim sweep' and 'migrasim list'), and not a file path", nameOrPath)
	}
	if err != nil {
		return nil, err
	}
	return Parse(nameOrPath+".toml", b)
}

// Parse reads a sweep spec; file names it in error messages, which give the
// line and key of every problem, all at once. A scenario without a [sweep]
// table is a sweep of one design point.
func Parse(file string, text []byte) (*Spec, error) {
	var raw map[string]any
	md, err := scenarios.Decode(file, text, &raw)
	if err != nil {
		return nil, err
	}
	tm := scenarios.MapText(string(text))
	table, hasSweep := raw["sweep"]
	base, err := parseBase(file, string(text), raw, tm)
	if err != nil {
		return nil, err
	}
	s := &Spec{Name: base.Name, File: file, Base: base, Replicates: base.Replicates, Seeds: SeedsCommon, lines: tm}
	if hasSweep {
		r := &specReader{md: md}
		r.read(s, table)
		if s.Kind != KindRuns {
			r.arms(s, raw)
		}
		if len(r.problems) > 0 {
			return nil, scenarios.Report(file, tm, r.problems)
		}
	}
	return s, nil
}

// parseBase parses the scenario part of a spec: the text with the lines of
// the [sweep] table emptied, so errors keep their line numbers. Should the
// emptied text not decode to the same tables (a [sweep] written in a way the
// line scanner misreads), the scenario part is re-encoded instead.
func parseBase(file, text string, raw map[string]any, tm *scenarios.TextMap) (*sim.Params, error) {
	if _, ok := raw["sweep"]; !ok {
		return scenarios.Parse(file, []byte(text))
	}
	rest := map[string]any{}
	for k, v := range raw {
		if k != "sweep" {
			rest[k] = v
		}
	}
	blank := tm.Blank(text, "sweep")
	var got map[string]any
	if _, err := toml.Decode(blank, &got); err == nil && reflect.DeepEqual(got, rest) {
		return scenarios.Parse(file, []byte(blank))
	}
	var b strings.Builder
	if err := toml.NewEncoder(&b).Encode(rest); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return scenarios.Parse(file, []byte(b.String()))
}

// countPoints returns the number of design points, saturating above maxPoints.
func (s *Spec) countPoints() int {
	n := 1
	for _, f := range s.factors {
		n *= len(f.rows)
		if n > maxPoints || len(f.rows) == 0 {
			return min(n, maxPoints+1)
		}
	}
	return n
}

// Points returns the number of design points; in a posterior sweep, the
// number of draws.
func (s *Spec) Points() int {
	if s.Kind == KindPosterior {
		return s.Draws
	}
	return s.countPoints()
}

// Runs returns the number of runs: points times replicates, or in a
// comparison sweep, whose runs pair A and B over every replicate, points.
func (s *Spec) Runs() int {
	if s.Kind != KindRuns {
		return s.Points()
	}
	return s.Points() * s.Replicates
}

// Point returns the values of design point i, one per key of s.Keys.
func (s *Spec) Point(i int) []any {
	out := make([]any, 0, len(s.Keys))
	stride := s.countPoints()
	for _, f := range s.factors {
		stride /= len(f.rows)
		out = append(out, f.rows[(i/stride)%len(f.rows)]...)
	}
	return out
}

// PointName returns the scenario name of design point i: the sweep's name
// and the point's index, zero-padded so that names sort like indices.
func (s *Spec) PointName(i int) string {
	width := max(2, len(fmt.Sprint(s.Points()-1)))
	return fmt.Sprintf("%s-p%0*d", s.Name, width, i)
}

// Seed returns the root seed of design point i, from 0 to scenarios.MaxSeed.
func (s *Spec) Seed(i int) uint64 {
	if s.Seeds == SeedsIndependent {
		return mix64(s.Base.Seed^mix64(uint64(i)+0x9e3779b97f4a7c15)) >> 1
	}
	return s.Base.Seed
}

// Plan lists every run, point by point, replicates innermost, with the
// swept keys' values as JSON, under a header that records spec (where the
// sweep was read from) and command (the arguments that planned it). It
// stops when ctx is done, and refuses a design point whose values would
// make a line of plan.jsonl longer than MaxPlanLine.
func (s *Spec) Plan(ctx context.Context, spec string, command []string) (*PlanHeader, []PlanRun, error) {
	if s.Kind == KindPosterior {
		return s.planPosterior(spec, command)
	}
	h := &PlanHeader{
		Sweep: s.Name, Spec: spec, Engine: sim.Version, Arch: runtime.GOARCH, DataHash: hex.EncodeToString(scenarios.DataHash()),
		Keys: s.Keys, Points: s.Points(), Replicates: s.Replicates, Runs: s.Runs(), Seeds: s.Seeds, Command: command,
		Design: s.Design, SaltelliN: s.SaltelliN,
	}
	runs := make([]PlanRun, 0, s.Runs())
	for i := range s.Points() {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
		}
		var params ParamValues
		size := 0
		for j, v := range s.Point(i) {
			b, err := json.Marshal(v)
			if err != nil {
				return nil, nil, fmt.Errorf("sweep %s: point %d: %s: %w", s.Name, i, s.Keys[j], err)
			}
			params = append(params, ParamValue{Key: s.Keys[j], Value: b})
			size += len(s.Keys[j]) + len(b) + 4
		}
		if size > MaxPlanLine-1024 {
			return nil, nil, fmt.Errorf("sweep %s: design point %d: its values are %d bytes as JSON, more than a line of %s may hold (%d): shorten them",
				s.Name, i, size, PlanRunsFile, MaxPlanLine-1024)
		}
		if s.Kind == KindCompare {
			runs = append(runs, PlanRun{Run: len(runs), Point: i, Scenario: s.PointName(i), Seed: s.Seed(i), Params: params})
			continue
		}
		for r := range s.Replicates {
			runs = append(runs, PlanRun{Run: len(runs), Point: i, Replicate: r, Scenario: s.PointName(i), Seed: s.Seed(i), Params: params})
		}
	}
	if s.Kind == KindCompare {
		if err := s.header(h); err != nil {
			return nil, nil, err
		}
	}
	return h, runs, nil
}

// Params returns the resolved scenario of design point i.
func (s *Spec) Params(i int) (*sim.Params, error) {
	return Resolve(s.Base, s.PointName(i), s.Seed(i), s.Replicates, s.Keys, s.Point(i))
}

// Check resolves every design point and reports those the engine would
// refuse (a combination of values that breaks a cross-field rule), naming
// the point and its values, all at once. It stops when ctx is done.
func (s *Spec) Check(ctx context.Context) error {
	if s.Kind != KindRuns {
		if err := s.checkPaired(); err != nil {
			return err
		}
		if s.Kind == KindPosterior {
			return nil
		}
	}
	var problems []scenarios.Problem
	for i := range s.Points() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := s.arms(i); err != nil {
			var vals []string
			for j, v := range s.Point(i) {
				vals = append(vals, fmt.Sprintf("%s = %v", s.Keys[j], v))
			}
			problems = append(problems, scenarios.Problem{Key: "sweep", Msg: fmt.Sprintf("design point %d (%s): %v",
				i, strings.Join(vals, ", "), strings.ReplaceAll(err.Error(), "\n", "; "))})
			if len(problems) == 20 {
				problems = append(problems, scenarios.Problem{Key: "sweep", Msg: "(more points fail; fix these first)"})
				break
			}
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return scenarios.Report(s.File, s.lines, problems)
}

// Resolve returns base with the swept keys set to values, named name, with
// root seed seed and replicates replicates. Values may come from a spec or
// from a plan's JSON (json.Number); each is checked like a scenario file's.
func Resolve(base *sim.Params, name string, seed uint64, replicates int, keys []string, values []any) (*sim.Params, error) {
	if len(keys) != len(values) {
		return nil, fmt.Errorf("%d keys and %d values", len(keys), len(values))
	}
	overrides := make(map[string]any, len(keys))
	for i, k := range keys {
		v, err := scenarios.Coerce(k, values[i])
		if err != nil {
			return nil, err
		}
		overrides[k] = v
	}
	p := *base
	if err := scenarios.Apply(&p, overrides); err != nil {
		return nil, err
	}
	p.Name, p.Seed, p.Replicates = name, seed, replicates
	if err := scenarios.Check(&p); err != nil {
		return nil, err
	}
	return &p, nil
}

// mix64 is splitmix64's finaliser, to derive seeds.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
