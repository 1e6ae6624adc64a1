package calibrate

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
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
}

// LoadSpec reads a calibration spec: an embedded name ("default", see
// specs/) or a file path.
func LoadSpec(nameOrPath string) (*Spec, error) {
	var b []byte
	var err error
	file := nameOrPath
	if strings.ContainsRune(nameOrPath, os.PathSeparator) || strings.HasSuffix(nameOrPath, ".toml") {
		b, err = os.ReadFile(nameOrPath)
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

// ParseSpec parses a calibration spec; file names it in errors, which give
// the line and key of every problem, all at once.
func ParseSpec(file string, text []byte) (*Spec, error) {
	var raw struct {
		Scenario   string               `toml:"scenario"`
		FitTo      sim.Month            `toml:"fit_to"`
		Scale      float64              `toml:"scale"`
		Replicates int                  `toml:"replicates"`
		Seed       uint64               `toml:"seed"`
		DesignSeed uint64               `toml:"design_seed"`
		Objective  string               `toml:"objective"`
		Prior      map[string][]float64 `toml:"prior"`
	}
	md, err := scenarios.Decode(file, text, &raw)
	if err != nil {
		return nil, err
	}
	lines := scenarios.MapText(string(text))
	var problems []scenarios.Problem
	for _, k := range md.Undecoded() {
		problems = append(problems, scenarios.Problem{Key: k.String(), Msg: "unknown key (want scenario, fit_to, scale, replicates, seed, design_seed, objective, [prior])"})
	}
	c := &Spec{Scenario: raw.Scenario, FitTo: raw.FitTo, Scale: raw.Scale, Replicates: raw.Replicates,
		Seed: raw.Seed, DesignSeed: raw.DesignSeed, Objective: raw.Objective}
	if c.Objective == "" {
		c.Objective = DefaultObjective
	}
	if _, err := objective(c.Objective); err != nil {
		problems = append(problems, scenarios.Problem{Key: "objective", Msg: err.Error()})
	}
	if c.Scenario == "" {
		problems = append(problems, scenarios.Problem{Key: "scenario", Msg: "missing"})
	}
	if len(raw.Prior) == 0 {
		problems = append(problems, scenarios.Problem{Key: "prior", Msg: "missing: give at least one \"key\" = [low, high]"})
	}
	for key, r := range raw.Prior {
		path := "prior." + key
		k, ok := scenarios.Lookup(key)
		switch {
		case !ok:
			problems = append(problems, scenarios.Problem{Key: path, Msg: "not a scenario key (see 'migrasim keys')"})
			continue
		case k.Type != "number":
			problems = append(problems, scenarios.Problem{Key: path, Msg: "only number keys can be fitted"})
			continue
		case len(r) != 2 || !(r[0] < r[1]):
			problems = append(problems, scenarios.Problem{Key: path, Msg: "want [low, high] with low < high"})
			continue
		}
		if lo, hi, ok := k.Range(); ok && (r[0] < lo || r[1] > hi) {
			problems = append(problems, scenarios.Problem{Key: path, Msg: fmt.Sprintf("[%g, %g] leaves the key's range [%g, %g]", r[0], r[1], lo, hi)})
			continue
		}
		c.Priors = append(c.Priors, Prior{Key: key, Low: r[0], High: r[1]})
	}
	sort.Slice(c.Priors, func(i, j int) bool { return c.Priors[i].Key < c.Priors[j].Key })
	if len(problems) > 0 {
		return nil, scenarios.Report(file, lines, problems)
	}
	base, err := scenarios.Load(c.Scenario)
	if err != nil {
		return nil, fmt.Errorf("%s: scenario: %w", file, err)
	}
	base.Scale, base.Replicates, base.Seed = c.Scale, c.Replicates, c.Seed
	if c.FitTo.IsSet() {
		base.Months = int(c.FitTo-base.Start) + 1
	}
	if err := scenarios.Check(base); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	c.Base = base
	return c, nil
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
