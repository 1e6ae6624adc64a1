package web

import (
	"fmt"

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

// preset reads every control's value from resolved parameters with
// scenarios.Get, in the form a scenario file (and Apply) takes.
func preset(p *sim.Params, controls []Control, maxScale float64) (*Preset, error) {
	out := &Preset{Name: p.Name, Description: p.Description, Values: map[string]any{}}
	for _, c := range controls {
		if isPush(c.ID) {
			out.Values[c.ID] = 1.0
			continue
		}
		v, ok := scenarios.Get(p, c.ID)
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
