package calibrate

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"slices"
	"strings"

	"migrasim/design"
	"migrasim/scenarios"
	"migrasim/sim"
)

//go:embed specs/*.toml
var specFiles embed.FS

// Prior is a uniform prior range for one scenario key.
type Prior struct {
	Key       string
	Low, High float64
}

// Spec says what to fit and how to run each candidate.
type Spec struct {
	// Scenario is the scenario every candidate starts from.
	Scenario string
	// FitTo is the last month simulated: targets after it are not fitted.
	FitTo sim.Month
	// Scale, Replicates and Seed are the run settings of every candidate.
	Scale      float64
	Replicates int
	Seed       uint64
	// DesignSeed seeds the Latin hypercube of the ABC draws.
	DesignSeed uint64
	// Objective names how a candidate is scored: "lognormal" (LogError, the
	// default) or "ard" (Distance).
	Objective string
	// Priors are the fitted keys, sorted by key.
	Priors []Prior
	// Base is the resolved scenario with the run settings applied.
	Base *sim.Params
	// Held are the keys held at a value instead of fitted (Hold), in the
	// order held; particles.csv carries them after the fitted keys.
	Held []Held
}

// Held is a key a calibration holds at a value instead of fitting it.
type Held struct {
	Key   string
	Value float64
}

// LoadSpec reads a calibration spec: an embedded name ("default", see
// specs/) or a file path (a regular file of at most scenarios.MaxFileSize
// bytes).
func LoadSpec(nameOrPath string) (*Spec, error) {
	var b []byte
	var err error
	file := nameOrPath
	if scenarios.IsPath(nameOrPath) {
		b, err = scenarios.ReadFile(nameOrPath, scenarios.MaxFileSize)
	} else {
		file = "specs/" + nameOrPath + ".toml"
		b, err = specFiles.ReadFile(file)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("calibration %q: no such embedded spec (there is \"default\"), and not a file path", nameOrPath)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("calibration %s: %w", nameOrPath, err)
	}
	return ParseSpec(file, b)
}

// specKeys are the keys of a calibration spec besides [prior].
var specKeys = []string{"scenario", "fit_to", "scale", "replicates", "seed", "design_seed", "objective", "prior"}

// ParseSpec parses a calibration spec; file names it in errors, which give
// the line and key of every problem, all at once. Every value is checked:
// numbers finite and in range, seeds from 0 to scenarios.MaxSeed.
func ParseSpec(file string, text []byte) (*Spec, error) {
	var raw map[string]any
	if _, err := scenarios.Decode(file, text, &raw); err != nil {
		return nil, err
	}
	lines := scenarios.MapText(string(text))
	r := &specReader{raw: raw}
	c := &Spec{Objective: DefaultObjective}
	for _, k := range slices.Sorted(maps.Keys(raw)) {
		if !slices.Contains(specKeys, k) {
			msg := "unknown key (want scenario, fit_to, scale, replicates, seed, design_seed, objective, [prior])"
			if s := scenarios.ClosestName(k, specKeys); s != "" {
				msg = fmt.Sprintf("unknown key (did you mean %q?)", s)
			}
			r.bad(k, "%s", msg)
		}
	}
	c.Scenario = r.text("scenario", true)
	if s := r.text("fit_to", false); s != "" {
		m, err := scenarios.ParseMonth(s)
		if err != nil {
			r.bad("fit_to", "%v", err)
		}
		c.FitTo = m
	}
	c.Scale = r.number("scale")
	c.Replicates = int(r.whole("replicates", "runs", false))
	c.Seed = uint64(r.whole("seed", "integer", true))
	c.DesignSeed = uint64(r.whole("design_seed", "integer", true))
	if o := r.text("objective", false); o != "" {
		c.Objective = o
	}
	if _, err := objective(c.Objective); err != nil {
		r.bad("objective", "%v", err)
	}
	c.Priors = r.priors()
	if len(r.problems) > 0 {
		return nil, scenarios.Report(file, lines, r.problems)
	}
	base, prob, err := c.resolve(c.Scenario)
	if prob != nil {
		r.problems = append(r.problems, *prob)
		return nil, scenarios.Report(file, lines, r.problems)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	c.Base = base
	return c, nil
}

// resolve loads scenario name (load: with the values held) with the spec's run
// settings: its scale, replicates and seed, and months to FitTo. A fit_to
// the scenario's start puts out of range comes back as a problem.
func (c *Spec) resolve(name string) (*sim.Params, *scenarios.Problem, error) {
	base, err := c.load(name)
	if err != nil {
		return nil, nil, fmt.Errorf("scenario: %w", err)
	}
	base.Scale, base.Replicates, base.Seed = c.Scale, c.Replicates, c.Seed
	if c.FitTo.IsSet() {
		months := int(c.FitTo-base.Start) + 1
		if months < 1 || months > 600 {
			return nil, &scenarios.Problem{Key: "fit_to", Msg: fmt.Sprintf("%s gives %d months from the scenario's start (%s): want 1 to 600", c.FitTo, months, base.Start)}, nil
		}
		base.Months = months
	}
	if err := scenarios.Check(base); err != nil {
		return nil, nil, fmt.Errorf("scenario %s with the spec's settings: %w", name, err)
	}
	return base, nil, nil
}

// UseScenario makes name (a library name or a file, such as an earlier
// calibration's fitted.toml) the scenario every candidate starts from, in
// place of the spec's, with the spec's run settings. ABC-MCMC starts its
// chains from its values.
func (c *Spec) UseScenario(name string) error {
	base, prob, err := c.resolve(name)
	if prob != nil {
		return fmt.Errorf("--scenario %s: the spec's %s: %s", name, prob.Key, prob.Msg)
	}
	if err != nil {
		return fmt.Errorf("--scenario %s: %w", name, err)
	}
	c.Scenario, c.Base = name, base
	return nil
}

// load loads scenario name (a library name or a file) as written, with the
// values held (Hold) set: every scenario the calibration runs or writes
// starts here.
func (c *Spec) load(name string) (*sim.Params, error) {
	p, err := scenarios.Load(name)
	if err != nil {
		return nil, err
	}
	for _, h := range c.Held {
		if err := h.apply(p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// apply sets the held value on p.
func (h Held) apply(p *sim.Params) error {
	if err := scenarios.Apply(p, map[string]any{h.Key: h.Value}); err != nil {
		return fmt.Errorf("--hold %s=%g: %w", h.Key, h.Value, err)
	}
	return nil
}

// Keys are the fitted keys, in Priors order: the order of a parameter
// vector and of the columns of samples.csv and particles.csv.
func (c *Spec) Keys() []string {
	keys := make([]string, len(c.Priors))
	for j, p := range c.Priors {
		keys[j] = p.Key
	}
	return keys
}

// Hold fixes a fitted key at v for this calibration: its prior is dropped,
// so it is not fitted, and the base scenario takes v. particles.csv carries
// it as a column of its own, so that a posterior comparison over the
// particles runs at v too. v must lie within the key's prior, and the spec
// must fit another key.
func (c *Spec) Hold(key string, v float64) error {
	j := slices.IndexFunc(c.Priors, func(p Prior) bool { return p.Key == key })
	if j < 0 {
		return fmt.Errorf("--hold %s: not a fitted key of the spec (it fits %s)", key, strings.Join(c.Keys(), ", "))
	}
	p := c.Priors[j]
	if !(v >= p.Low && v <= p.High) {
		return fmt.Errorf("--hold %s=%g: outside its prior [%g, %g]", key, v, p.Low, p.High)
	}
	if len(c.Priors) == 1 {
		return fmt.Errorf("--hold %s: the spec fits no other key", key)
	}
	h, base := Held{Key: key, Value: v}, *c.Base
	if err := h.apply(&base); err != nil {
		return err
	}
	c.Base = &base
	c.Priors = slices.Delete(slices.Clone(c.Priors), j, j+1)
	c.Held = append(c.Held, h)
	return nil
}

// specReader reads the values of a decoded calibration spec, collecting
// problems.
type specReader struct {
	raw      map[string]any
	problems []scenarios.Problem
}

func (r *specReader) bad(key, format string, args ...any) {
	r.problems = append(r.problems, scenarios.Problem{Key: key, Msg: fmt.Sprintf(format, args...)})
}

// text reads a string.
func (r *specReader) text(key string, required bool) string {
	v, ok := r.raw[key]
	if !ok {
		if required {
			r.bad(key, "missing")
		}
		return ""
	}
	s, ok := v.(string)
	if !ok {
		r.bad(key, "want a quoted string, got %s", scenarios.Describe(v))
	}
	return s
}

// number reads a number within the range of the scenario key of the same
// name (scale).
func (r *specReader) number(key string) float64 {
	v, ok := r.raw[key]
	if !ok {
		r.bad(key, "missing")
		return 0
	}
	c, err := scenarios.Coerce(key, v)
	if err != nil {
		r.bad(key, "%s", strings.TrimPrefix(err.Error(), key+": "))
		return 0
	}
	return c.(float64)
}

// whole reads a whole number: a seed from 0 to scenarios.MaxSeed, or a
// count within the range of the scenario key of the same name.
func (r *specReader) whole(key, unit string, seed bool) int64 {
	v, ok := r.raw[key]
	if !ok {
		if !seed {
			r.bad(key, "missing")
		}
		return 0
	}
	n, ok := v.(int64)
	switch {
	case !ok:
		r.bad(key, "want a whole number (%s), got %s", unit, scenarios.Describe(v))
	case seed && n < 0:
		r.bad(key, "%d is out of range [0, %d] (seeds fit a signed 64-bit integer)", n, int64(scenarios.MaxSeed))
	case !seed:
		if _, err := scenarios.Coerce(key, n); err != nil {
			r.bad(key, "%s", strings.TrimPrefix(err.Error(), key+": "))
		}
	}
	return n
}

// priors reads [prior]: "key" = [low, high], finite, within the key's range.
func (r *specReader) priors() []Prior {
	table, ok := r.raw["prior"].(map[string]any)
	if !ok || len(table) == 0 {
		what := "missing"
		if v, ok := r.raw["prior"]; ok {
			what = "want a table of \"key\" = [low, high], got " + scenarios.Describe(v)
		}
		r.bad("prior", "%s: give at least one \"key\" = [low, high]", what)
		return nil
	}
	var out []Prior
	for _, key := range slices.Sorted(maps.Keys(table)) {
		path := "prior." + key
		if _, nested := table[key].(map[string]any); nested {
			r.bad(path, "a table: quote the key (\"%s.…\" = [low, high])", key)
			continue
		}
		k, ok := scenarios.Lookup(key)
		switch {
		case !ok:
			r.bad(path, "not a scenario key (see 'migrasim keys')")
			continue
		case k.Type != "number":
			r.bad(path, "only number keys can be fitted")
			continue
		}
		pair, ok := table[key].([]any)
		var lo, hi float64
		if ok && len(pair) == 2 {
			lo, ok = finite(pair[0])
			var okHi bool
			hi, okHi = finite(pair[1])
			ok = ok && okHi
		}
		if !ok || !(lo < hi) {
			r.bad(path, "want [low, high] with low < high, both finite numbers; got %s", scenarios.Describe(table[key]))
			continue
		}
		if min, max, ok := k.Range(); ok && (lo < min || hi > max) {
			r.bad(path, "[%g, %g] leaves the key's range [%g, %g]", lo, hi, min, max)
			continue
		}
		out = append(out, Prior{Key: key, Low: lo, High: hi})
	}
	return out
}

// finite returns a decoded number as float64, if it is a finite one.
func finite(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, !math.IsNaN(x) && !math.IsInf(x, 0)
	}
	return 0, false
}

// Design returns n Latin-hypercube draws from the priors, one value per prior.
func (c *Spec) Design(n int) [][]float64 {
	u := design.LatinHypercube(n, len(c.Priors), c.DesignSeed)
	for _, row := range u {
		for j, p := range c.Priors {
			row[j] = p.Low + row[j]*(p.High-p.Low)
		}
	}
	return u
}

// Overrides maps a parameter vector (in Priors order) to scenario keys.
func (c *Spec) Overrides(x []float64) map[string]any {
	m := make(map[string]any, len(x))
	for j, p := range c.Priors {
		m[p.Key] = x[j]
	}
	return m
}
