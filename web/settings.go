package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"migrasim/scenarios"
	"migrasim/sim"
)

// Settings is what the page sends to set up a run: policy setting A, and B
// for side-by-side mode.
type Settings struct {
	A Side  `json:"a"`
	B *Side `json:"b,omitempty"`
}

// Side is one policy setting: an embedded scenario and control values
// (control ID to value) that change it. A control the page leaves out keeps
// the scenario's value.
type Side struct {
	Scenario string         `json:"scenario"`
	Values   map[string]any `json:"values"`
}

// Problem is one bad parameter, named as the page names it.
type Problem struct {
	Side    string `json:"side"`              // "A" or "B"
	Control string `json:"control,omitempty"` // control ID; empty when no one control is at fault
	Label   string `json:"label,omitempty"`   // the control's label on the page
	Message string `json:"message"`
}

// String is the problem as the page lists it: "A · Label: message".
func (p Problem) String() string {
	where := p.Side
	if p.Label != "" {
		where += " · " + p.Label
	} else if p.Control != "" {
		where += " · " + p.Control
	}
	return where + ": " + p.Message
}

// sideNames name the sides in problems and on the page.
var sideNames = [2]string{"A", "B"}

// resolve turns settings into one sim.Params per side, or every problem with
// them. Side B takes the shared keys (seed, scale, months, start) from A, so
// the two runs line up month by month and use the same random streams.
func (s *Server) resolve(st *Settings) ([]*sim.Params, []Problem) {
	sides := []*Side{&st.A}
	if st.B != nil {
		sides = append(sides, st.B)
	}
	var ps []*sim.Params
	var problems []Problem
	for i, sd := range sides {
		p, pr := s.resolveSide(sideNames[i], sd)
		problems = append(problems, pr...)
		ps = append(ps, p)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	if len(ps) == 2 {
		a, b := ps[0], ps[1]
		b.Seed, b.Scale, b.Months, b.Start = a.Seed, a.Scale, a.Months, a.Start
		if err := scenarios.Check(b); err != nil {
			return nil, s.problemsOf("B", err)
		}
		if b.Name == a.Name {
			b.Name += "-b"
		}
	}
	return ps, nil
}

// resolveSide loads the side's scenario and applies the control values.
func (s *Server) resolveSide(side string, sd *Side) (*sim.Params, []Problem) {
	bad := func(control, format string, args ...any) []Problem {
		return []Problem{{Side: side, Control: control, Label: s.label(control), Message: fmt.Sprintf(format, args...)}}
	}
	if !s.isScenario(sd.Scenario) {
		return nil, bad("scenario", "no embedded scenario %q; choose one of: %s", sd.Scenario, strings.Join(s.scenarioNames(), ", "))
	}
	p, err := scenarios.Load(sd.Scenario)
	if err != nil {
		return nil, bad("scenario", "%v", err)
	}
	original := scenarios.Format(p)
	overrides, shocks, problems := s.overrides(side, sd)
	// Apply what converted, so that every problem shows at once.
	if err := scenarios.Apply(p, overrides); err != nil {
		problems = append(problems, s.problemsOf(side, err)...)
	}
	scale := p.Scale
	if v, ok := overrides["scale"].(float64); ok {
		scale = v
	}
	if scale > s.cfg.MaxScale && scale <= 1 {
		problems = append(problems, bad("scale", "%g is above this server's limit of %g, which keeps the page responsive (start 'migrasim serve --max-scale' higher to allow more)",
			scale, s.cfg.MaxScale)...)
	}
	if len(problems) == 0 {
		problems = append(problems, s.checkCost(side, p)...)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	p.Shocks = append(p.Shocks, shocks...)
	if err := scenarios.Check(p); err != nil {
		return nil, s.problemsOf(side, err)
	}
	if scenarios.Format(p) != original {
		p.Name += "-edited"
		p.Description = strings.TrimSpace(p.Description + " Edited on the teaching page.")
	}
	return p, nil
}

// checkCost caps what a side simulates: its households (populations and
// household sizes count, not only the scale) and households × months.
func (s *Server) checkCost(side string, p *sim.Params) []Problem {
	n := households(p)
	if n > float64(s.cfg.MaxHouseholds) {
		return []Problem{{Side: side, Control: "scale", Label: s.label("scale"), Message: fmt.Sprintf(
			"%.0f households (population × scale / household size, over the three countries), more than this server's limit of %d: lower the scale or the populations",
			n, s.cfg.MaxHouseholds)}}
	}
	if hm := n * float64(p.Steps()); hm > float64(s.cfg.MaxHouseholdMonths) {
		return []Problem{{Side: side, Control: "months", Label: s.label("months"), Message: fmt.Sprintf(
			"%.0f households for %d months (warm-up included) is %.3g household-months, more than this server's limit of %.3g: simulate fewer months or a smaller scale",
			n, p.Steps(), hm, float64(s.cfg.MaxHouseholdMonths))}}
	}
	return nil
}

// overrides converts a side's control values into scenario key overrides
// for scenarios.Apply and push-factor shocks, with a problem for each value
// that does not convert. Side B skips the shared keys, which it takes from A.
func (s *Server) overrides(side string, sd *Side) (map[string]any, []sim.Shock, []Problem) {
	overrides := map[string]any{}
	var shocks []sim.Shock
	var problems []Problem
	ids := make([]string, 0, len(sd.Values))
	for id := range sd.Values {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		c := s.controls[id]
		if c == nil {
			problems = append(problems, Problem{Side: side, Message: fmt.Sprintf("unknown control %q", id)})
			continue
		}
		if c.Shared && side != sideNames[0] {
			continue
		}
		v, err := convert(c, sd.Values[id])
		if err == nil && isPush(id) {
			var sh []sim.Shock
			sh, err = pushShocks(id, v.(float64))
			shocks = append(shocks, sh...)
		} else if err == nil {
			overrides[id] = v
		}
		if err != nil {
			problems = append(problems, Problem{Side: side, Control: id, Label: c.Label, Message: err.Error()})
		}
	}
	return overrides, shocks, problems
}

// convert turns a value decoded from the page's JSON into the type
// scenarios.Apply wants for the control's key.
func convert(c *Control, v any) (any, error) {
	switch c.Type {
	case "number":
		if f, ok := number(v); ok {
			return f, nil
		}
		return nil, fmt.Errorf("want a number (%s), got %s", c.Unit, describe(v))
	case "whole number":
		if n, ok := text(v); ok {
			if i, err := strconv.ParseInt(n, 10, 64); err == nil {
				return i, nil
			}
		}
		if f, ok := number(v); ok && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return int64(f), nil
		}
		return nil, fmt.Errorf("want a whole number (%s), got %s", c.Unit, describe(v))
	case "true/false":
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return nil, fmt.Errorf("want true or false, got %s", describe(v))
	case "month":
		if m, ok := v.(string); ok {
			return m, nil
		}
		return nil, fmt.Errorf("want a month as YYYY-MM (or nothing for never), got %s", describe(v))
	}
	return nil, fmt.Errorf("controls of type %s cannot be set from the page", c.Type)
}

// number reads a JSON number, or the text of a number field.
func number(v any) (float64, bool) {
	if s, ok := text(v); ok {
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil && !math.IsInf(f, 0) && !math.IsNaN(f)
	}
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}

// text returns a JSON number's digits, or a string's text trimmed.
func text(v any) (string, bool) {
	switch x := v.(type) {
	case json.Number:
		return string(x), true
	case string:
		return strings.TrimSpace(x), true
	}
	return "", false
}

func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "nothing"
	case string:
		if x == "" {
			return "an empty field"
		}
		return strconv.Quote(x)
	case json.Number:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprint(v)
}

// problemsOf turns the errors of scenarios.Apply and scenarios.Check into
// problems that name the page's controls.
func (s *Server) problemsOf(side string, err error) []Problem {
	var out []Problem
	for _, e := range flatten(err) {
		key, msg := "", e.Error()
		var fe *sim.FieldError
		if errors.As(e, &fe) {
			key, msg = fe.Key, fe.Msg
		} else {
			msg = strings.TrimPrefix(msg, "overrides: ")
			if k, rest, ok := strings.Cut(msg, ": "); ok && s.controls[k] != nil {
				key, msg = k, rest
			}
		}
		pr := Problem{Side: side, Message: msg}
		if s.controls[key] != nil {
			pr.Control, pr.Label = key, s.label(key)
		} else if key != "" {
			pr.Message = key + ": " + msg
		}
		out = append(out, pr)
	}
	return out
}

// flatten lists the leaves of joined errors.
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

func (s *Server) label(id string) string {
	if c := s.controls[id]; c != nil {
		return c.Label
	}
	if id == "scenario" {
		return "Scenario"
	}
	return ""
}
