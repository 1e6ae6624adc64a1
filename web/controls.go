package web

import (
	"fmt"
	"strconv"
	"strings"

	"migrasim/scenarios"
)

// Control is one input on the page. Its ID is a scenario key path (set with
// scenarios.Apply), or one of the push factors (see push.go).
type Control struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Group string `json:"group"`
	// Kind says how the page draws it: "slider", "number", "toggle" (true or
	// false), "policy" (a switch with the month it starts: the value is
	// "YYYY-MM" when on and "" when off) or "month".
	Kind string `json:"kind"`
	// Type is the key's type as scenarios.Keys names it.
	Type string `json:"type"`
	Unit string `json:"unit,omitempty"`
	// Min, Max and Step bound a slider (a teaching range within the key's
	// range) or a number field (the key's range); nil means unbounded.
	Min  *float64 `json:"min,omitempty"`
	Max  *float64 `json:"max,omitempty"`
	Step float64  `json:"step,omitempty"`
	// Range is the key's full valid range as text, for help.
	Range string `json:"range,omitempty"`
	// Parent is the policy control this one belongs to: it matters only when
	// that policy is on.
	Parent string `json:"parent,omitempty"`
	// Library is, for a policy switch, the library scenario whose strength
	// ticking the switch applies (see magnitudes.go).
	Library string `json:"library,omitempty"`
	// On are the values the page gives a policy switch's sliders when the
	// switch is ticked (Library's), and Off those it gives them when it is
	// unticked (the status quo's), by control ID.
	On  map[string]any `json:"on,omitempty"`
	Off map[string]any `json:"off,omitempty"`
	// Shared controls are the same on both sides of side-by-side mode
	// (seed, scale, months, start): side B always uses side A's values.
	Shared bool   `json:"shared,omitempty"`
	Help   string `json:"help,omitempty"`
}

// Group names, in the order the page shows them.
const (
	groupRun        = "Run"
	groupPush       = "Push factors"
	groupPolicy     = "Policies"
	groupMechanisms = "Mechanisms"
	groupAll        = "All parameters"
)

// feature is a control the page shows prominently, with a teaching range.
type feature struct {
	id, label, kind string
	group           string
	min, max, step  float64 // slider range; zero step: the key's own range
	parent, help    string
	// library names, for a policy switch, the library scenario that moves
	// that lever alone: ticking the switch gives its sliders that
	// scenario's values.
	library string
}

// sharedKeys are the keys both sides of a comparison must share so that
// their months line up and their random streams are the same.
var sharedKeys = []string{"seed", "scale", "months", "start"}

// featured lists the controls of the first three groups. Each policy switch
// is the key of the month the policy starts; the sliders after it are its
// strength.
var featured = []feature{
	{id: "scale", group: groupRun, label: "Population scale", kind: "slider", min: 0.001, step: 0.001,
		help: "Fraction of real households simulated. Counts are always shown in real people; a larger scale is less noisy and slower."},
	{id: "seed", group: groupRun, label: "Random seed", kind: "number",
		help: "Same seed, same run. Both sides of a comparison use the same seed."},
	{id: "months", group: groupRun, label: "Months to simulate", kind: "slider", min: 12, max: 240, step: 12},

	{id: pushViolence, group: groupPush, label: "Violence (homicide rate ×)", kind: "slider", min: 0.25, max: 3, step: 0.05,
		help: "Multiplies the homicide rate of every department in the three countries, throughout the run."},
	{id: pushJobs, group: groupPush, label: "Joblessness (unemployment ×)", kind: "slider", min: 0.5, max: 3, step: 0.05,
		help: "Multiplies unemployment in every department, throughout the run."},

	{id: "policy.interior_removals.from", group: groupPolicy, library: "teach-removals", label: "Mass deportation", kind: "policy",
		help: "Interior removals from the U.S. rise from this month."},
	{id: "policy.interior_removals.rate_multiplier", group: groupPolicy, label: "removals ×", kind: "slider", min: 0, max: 10, step: 0.5,
		parent: "policy.interior_removals.from"},
	{id: "policy.interior_removals.gang_targeting", group: groupPolicy, label: "share aimed at gang members", kind: "slider", min: 0, max: 1, step: 0.05,
		parent: "policy.interior_removals.from"},
	{id: "policy.cam.close", group: groupPolicy, library: "teach-cam-closed", label: "Cancel CAM (Central American Minors)", kind: "policy",
		help: "The legal channel for children closes; pending cases are cancelled."},
	{id: "policy.daca.rescind", group: groupPolicy, library: "teach-daca", label: "Rescind DACA", kind: "policy"},
	{id: "policy.tps.end_SV", group: groupPolicy, library: "teach-tps", label: "End TPS for El Salvador", kind: "policy"},
	{id: "policy.tps.end_HN", group: groupPolicy, library: "teach-tps", label: "End TPS for Honduras", kind: "policy"},
	{id: "policy.aid.from", group: groupPolicy, library: "teach-aid", label: "Aid initiative", kind: "policy",
		help: "Aid lowers violence and unemployment after a delay."},
	{id: "policy.aid.SV.homicide_effect", group: groupPolicy, label: "El Salvador: homicides −", kind: "slider", min: 0, max: 0.9, step: 0.05,
		parent: "policy.aid.from"},
	{id: "policy.aid.SV.unemployment_effect", group: groupPolicy, label: "El Salvador: unemployment −", kind: "slider", min: 0, max: 0.9, step: 0.05,
		parent: "policy.aid.from"},
	{id: "policy.aid.HN.homicide_effect", group: groupPolicy, label: "Honduras: homicides −", kind: "slider", min: 0, max: 0.9, step: 0.05,
		parent: "policy.aid.from"},
	{id: "policy.aid.HN.unemployment_effect", group: groupPolicy, label: "Honduras: unemployment −", kind: "slider", min: 0, max: 0.9, step: 0.05,
		parent: "policy.aid.from"},
	{id: "policy.aid.GT.homicide_effect", group: groupPolicy, label: "Guatemala: homicides −", kind: "slider", min: 0, max: 0.9, step: 0.05,
		parent: "policy.aid.from"},
	{id: "policy.aid.GT.unemployment_effect", group: groupPolicy, label: "Guatemala: unemployment −", kind: "slider", min: 0, max: 0.9, step: 0.05,
		parent: "policy.aid.from"},
	{id: "policy.mexico.from", group: groupPolicy, library: "teach-mexico", label: "Mexico enforcement", kind: "policy",
		help: "Mexico changes how many migrants in transit it apprehends (below 1: it stops cooperating)."},
	{id: "policy.mexico.apprehension_multiplier", group: groupPolicy, label: "apprehensions in Mexico ×", kind: "slider", min: 0, max: 5, step: 0.1,
		parent: "policy.mexico.from"},
	{id: "policy.border.from", group: groupPolicy, library: "teach-border", label: "U.S. border enforcement", kind: "policy"},
	{id: "policy.border.apprehension_multiplier", group: groupPolicy, label: "border apprehensions ×", kind: "slider", min: 0, max: 3, step: 0.05,
		parent: "policy.border.from"},
	{id: "policy.border.deterrence_shock", group: groupPolicy, label: "deterrence shock", kind: "slider", min: 0, max: 1, step: 0.05,
		parent: "policy.border.from"},
	{id: "policy.reintegration.from", group: groupPolicy, library: "teach-reintegration", label: "Reintegration programmes", kind: "policy",
		help: "Origin countries absorb more returnees, so fewer feed violence and unemployment."},
	{id: "policy.reintegration.capacity_multiplier", group: groupPolicy, label: "capacity ×", kind: "slider", min: 0, max: 20, step: 0.5,
		parent: "policy.reintegration.from"},
}

// buildControls generates the page's controls from the scenario keys: the
// featured ones first, then a switch for every mechanism, then every other
// key that takes a single value. A featured key that is not a scenario key is
// an error, so a renamed key is caught when the server starts (and by tests).
func buildControls(keys []scenarios.Key, maxScale float64) ([]Control, error) {
	byPath := make(map[string]scenarios.Key, len(keys))
	for _, k := range keys {
		byPath[k.Path] = k
	}
	var out []Control
	seen := map[string]bool{}
	for _, f := range featured {
		c := Control{ID: f.id, Label: f.label, Group: f.group, Kind: f.kind, Parent: f.parent, Help: f.help, Library: f.library}
		if isPush(f.id) {
			c.Type, c.Unit = "number", "factor"
		} else {
			k, ok := byPath[f.id]
			if !ok {
				return nil, fmt.Errorf("web: control %q is not a scenario key (see 'migrasim keys')", f.id)
			}
			if err := fromKey(&c, k); err != nil {
				return nil, err
			}
			c.Shared = isShared(k.Path)
		}
		if f.step > 0 {
			hi := f.max
			if f.id == "scale" {
				hi = maxScale
			}
			c.Min, c.Max, c.Step = ptr(f.min), ptr(hi), f.step
		}
		out = append(out, c)
		seen[f.id] = true
	}
	for _, k := range keys {
		if seen[k.Path] || !settable(k) {
			continue
		}
		c := Control{ID: k.Path, Label: k.Path, Group: groupAll, Shared: isShared(k.Path)}
		if err := fromKey(&c, k); err != nil {
			return nil, err
		}
		switch {
		case strings.HasPrefix(k.Path, "mechanisms."):
			c.Group = groupMechanisms
			c.Label = strings.ReplaceAll(strings.TrimPrefix(k.Path, "mechanisms."), "_", " ")
			c.Kind = "toggle"
		case k.Type == "month":
			c.Kind = "month"
		case k.Type == "true/false":
			c.Kind = "toggle"
		default:
			c.Kind = "number"
		}
		out = append(out, c)
	}
	if err := withMagnitudes(out); err != nil {
		return nil, err
	}
	return out, nil
}

// settable reports whether a key takes one value the page can edit: not
// text, lists, tables or keys inside arrays of tables.
func settable(k scenarios.Key) bool {
	if strings.Contains(k.Path, "[]") {
		return false
	}
	switch k.Type {
	case "number", "whole number", "true/false", "month":
		return true
	}
	return false
}

// fromKey copies a key's type, unit and range onto c.
func fromKey(c *Control, k scenarios.Key) error {
	c.Type, c.Unit = k.Type, k.Unit
	if k.Min == "" || k.Max == "" {
		return nil
	}
	lo, err1 := strconv.ParseFloat(k.Min, 64)
	hi, err2 := strconv.ParseFloat(k.Max, 64)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("web: key %s has a range that is not numeric: %q to %q", k.Path, k.Min, k.Max)
	}
	c.Min, c.Max = ptr(lo), ptr(hi)
	c.Range = k.Min + " to " + k.Max
	if k.Type == "whole number" {
		c.Step = 1
	}
	return nil
}

func isShared(path string) bool {
	for _, k := range sharedKeys {
		if k == path {
			return true
		}
	}
	return false
}

func ptr(x float64) *float64 { return &x }
