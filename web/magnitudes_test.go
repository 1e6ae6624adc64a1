package web

import (
	"bytes"
	"encoding/json"
	"maps"
	"testing"

	"migrasim/scenarios"
	"migrasim/sim"
)

// tick does what controls.js does when a policy box is ticked (on) or
// unticked: it sets the policy's month, or clears it, and gives the
// policy's sliders c.On or c.Off.
func tick(values map[string]any, c *Control, month string, on bool) {
	set := c.Off
	values[c.ID] = ""
	if on {
		set = c.On
		values[c.ID] = month
	}
	maps.Copy(values, set)
}

// resolveAsSent resolves side A's values after a round trip through JSON,
// as the page sends them, with the name and description blanked so that
// two results compare by their parameters alone.
func resolveAsSent(t *testing.T, s *Server, scenario string, values map[string]any) string {
	t.Helper()
	b, err := json.Marshal(values)
	if err != nil {
		t.Fatal(err)
	}
	var sent map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&sent); err != nil {
		t.Fatal(err)
	}
	ps, problems := s.resolve(&Settings{A: Side{Scenario: scenario, Values: sent}})
	if problems != nil {
		t.Fatalf("resolving %v: %v", values, problems)
	}
	p := *ps[0]
	p.Name, p.Description = "", ""
	return scenarios.Format(&p)
}

// TestPolicyBoxMagnitudes: ticking any policy box alone, on the teaching
// reference, switches on a policy that acts, with the strength of its
// library scenario on every slider; unticking it gives the status quo back.
func TestPolicyBoxMagnitudes(t *testing.T) {
	const reference = "teach-baseline"
	s := newTestServer(t, Config{})
	base, err := scenarios.Load(reference)
	if err != nil {
		t.Fatal(err)
	}
	pr, err := preset(base, s.list, s.cfg.MaxScale)
	if err != nil {
		t.Fatal(err)
	}
	quo := resolveAsSent(t, s, reference, pr.Values)
	boxes := 0
	for _, c := range s.list {
		if c.Kind != "policy" {
			continue
		}
		boxes++
		t.Run(c.ID, func(t *testing.T) {
			lib, err := scenarios.Load(c.Library)
			if err != nil {
				t.Fatalf("library scenario %q: %v", c.Library, err)
			}
			if v, _ := scenarios.Get(lib, c.ID); v == "" {
				t.Errorf("library scenario %s does not switch on %s", c.Library, c.ID)
			}
			values := maps.Clone(pr.Values)
			tick(values, &c, pr.PolicyMonth, true)
			ticked := resolveAsSent(t, s, reference, values)
			if ticked == quo {
				t.Fatalf("ticked alone, %s leaves the scenario at the status quo", c.ID)
			}
			p, err := scenarios.Parse("ticked.toml", []byte(ticked))
			if err != nil {
				t.Fatal(err)
			}
			sliders := children(s.list, c.ID)
			if len(c.On) != len(sliders) {
				t.Errorf("ticking sets %d values, want one for each of the %d sliders", len(c.On), len(sliders))
			}
			moved := false
			for _, k := range sliders {
				want, _ := scenarios.Get(lib, k.ID)
				got, _ := scenarios.Get(p, k.ID)
				if got != want {
					t.Errorf("%s = %v when ticked, want %v as in %s", k.ID, got, want, c.Library)
				}
				if off, _ := scenarios.Get(&sim.Params{Policy: sim.DefaultPolicy()}, k.ID); got != off {
					moved = true
				}
				if f, ok := want.(float64); ok && (f < *k.Min || f > *k.Max) {
					t.Errorf("%s: %s's value %g is outside the slider's [%g, %g], so the slider cannot show it", k.ID, c.Library, f, *k.Min, *k.Max)
				}
			}
			if len(sliders) > 0 && !moved {
				t.Errorf("every slider of %s stays at the status quo when ticked, so the policy does nothing", c.ID)
			}
			tick(values, &c, "", false)
			if got := resolveAsSent(t, s, reference, values); got != quo {
				t.Errorf("ticking %s and unticking it does not give the status quo back", c.ID)
			}
		})
	}
	if boxes == 0 {
		t.Fatal("no policy boxes")
	}
}

// children lists the controls under policy switch id.
func children(list []Control, id string) []Control {
	var out []Control
	for _, c := range list {
		if c.Parent == id {
			out = append(out, c)
		}
	}
	return out
}
