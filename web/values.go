package web

import (
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"

	"migrasim/scenarios"
	"migrasim/sim"
)

// Preset is what the page shows when a scenario is picked: the value of
// every control under that scenario.
type Preset struct {
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Values      map[string]any `json:"values"`
	// PolicyMonth is the month a policy switch proposes when switched on:
	// January of the year in the middle of the run.
	PolicyMonth string `json:"policy_month"`
	// Notes say where the page's values differ from the scenario's.
	Notes []string `json:"notes,omitempty"`
}

// preset reads every control's value from resolved parameters. It goes
// through scenarios.Format, the resolved scenario as TOML, so the values are
// exactly what an exported scenario says.
func preset(p *sim.Params, controls []Control, maxScale float64) (*Preset, error) {
	var tree map[string]any
	if _, err := toml.Decode(scenarios.Format(p), &tree); err != nil {
		return nil, fmt.Errorf("scenario %s: reading its resolved values: %w", p.Name, err)
	}
	out := &Preset{Name: p.Name, Description: p.Description, Values: map[string]any{}}
	for _, c := range controls {
		if isPush(c.ID) {
			out.Values[c.ID] = 1.0
			continue
		}
		v, ok := lookup(tree, c.ID)
		if !ok {
			return nil, fmt.Errorf("scenario %s: no value for key %s", p.Name, c.ID)
		}
		out.Values[c.ID] = v
	}
	if p.Scale > maxScale {
		out.Values["scale"] = maxScale
		out.Notes = append(out.Notes, fmt.Sprintf("The scenario's scale %g is above this server's limit; the page uses %g.", p.Scale, maxScale))
	}
	mid := p.Start.Add(p.Months / 2)
	out.PolicyMonth = sim.MonthOf(mid.Year(), 1).String()
	if mid.Year() == p.Start.Year() {
		out.PolicyMonth = mid.String()
	}
	return out, nil
}

// lookup finds a dotted key path in a decoded TOML tree.
func lookup(tree map[string]any, path string) (any, bool) {
	parts := strings.Split(path, ".")
	node := tree
	for _, part := range parts[:len(parts)-1] {
		next, ok := node[part].(map[string]any)
		if !ok {
			return nil, false
		}
		node = next
	}
	v, ok := node[parts[len(parts)-1]]
	return v, ok
}
