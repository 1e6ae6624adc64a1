package web

import (
	"fmt"
	"math"
	"strconv"

	"migrasim/sim"
)

// The push factors are the two controls that are not scenario keys: they
// multiply violence and unemployment in all three countries for the whole run,
// as one [[shock]] per country and variable, so an exported scenario carries
// them and 'migrasim run' reproduces the run.
const (
	pushViolence = "push.violence"
	pushJobs     = "push.jobs"
)

// pushRange is the valid range of a push factor.
const pushMin, pushMax = 0.1, 5.0

// pushFrom and pushTo bracket every month a scenario can simulate (warm-up
// included), so the multiplier holds throughout.
const pushFrom, pushTo = "1900-01", "2199-12"

func isPush(id string) bool { return id == pushViolence || id == pushJobs }

// pushShocks returns the shocks for a push factor's value; none for 1.
func pushShocks(id string, v float64) ([]sim.Shock, error) {
	if math.IsNaN(v) || v < pushMin || v > pushMax {
		return nil, fmt.Errorf("%s is out of range [%g, %g] (factor)", strconv.FormatFloat(v, 'g', -1, 64), pushMin, pushMax)
	}
	if v == 1 {
		return nil, nil
	}
	variable := "homicide"
	if id == pushJobs {
		variable = "unemployment"
	}
	var out []sim.Shock
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		out = append(out, sim.Shock{Country: c.Code(), Variable: variable, Mode: "multiply",
			Path: map[string]float64{pushFrom: v, pushTo: v}})
	}
	return out, nil
}
