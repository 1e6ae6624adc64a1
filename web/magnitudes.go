package web

import (
	"fmt"

	"migrasim/scenarios"
	"migrasim/sim"
)

// A policy switch alone does nothing: the policy acts through its sliders,
// and at the status quo's values (a multiplier of 1, an effect of 0) a
// ticked policy leaves side B equal to side A. So ticking a switch also
// sets its sliders to the values of the library scenario that moves that
// lever alone (the teach-* scenario named in featured), read from the
// embedded scenario itself so that the page follows it when it changes.
// Unticking puts the sliders back to the status quo's values.
//
// Only the sliders under the switch change: the lever's timing (ramp,
// delay, decay) keeps the values the edited scenario gives it, and the month
// the policy starts is the page's (Preset.PolicyMonth), not the library
// scenario's. The policies that are a date alone (CAM, DACA, TPS) have no
// sliders; their library scenario only has to switch them on.

// withMagnitudes fills in On and Off for every policy switch in list, from
// its Library scenario and from the defaults. A switch that names no
// library scenario, or one whose scenario leaves the policy off, is an
// error, so the server does not start with a box that would do nothing.
func withMagnitudes(list []Control) error {
	def, err := scenarios.Defaults()
	if err != nil {
		return fmt.Errorf("web: %w", err)
	}
	loaded := map[string]*sim.Params{}
	for i := range list {
		c := &list[i]
		if c.Kind != "policy" {
			continue
		}
		if c.Library == "" {
			return fmt.Errorf("web: policy switch %s names no library scenario to take its strength from", c.ID)
		}
		lib := loaded[c.Library]
		if lib == nil {
			if lib, err = scenarios.Load(c.Library); err != nil {
				return fmt.Errorf("web: policy switch %s: %w", c.ID, err)
			}
			loaded[c.Library] = lib
		}
		if v, _ := scenarios.Get(lib, c.ID); v == "" {
			return fmt.Errorf("web: policy switch %s: library scenario %s does not set %s", c.ID, c.Library, c.ID)
		}
		c.On, c.Off = map[string]any{}, map[string]any{}
		for _, k := range list {
			if k.Parent != c.ID {
				continue
			}
			on, ok1 := scenarios.Get(lib, k.ID)
			off, ok2 := scenarios.Get(&def, k.ID)
			if !ok1 || !ok2 {
				return fmt.Errorf("web: policy switch %s: no value for %s", c.ID, k.ID)
			}
			c.On[k.ID], c.Off[k.ID] = on, off
		}
		c.Help = joinHelp(c.Help, fmt.Sprintf("Ticking it applies the strength of the library scenario %s.", c.Library))
	}
	return nil
}

func joinHelp(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}
