package web

import (
	"encoding/json"
	"strings"
	"testing"

	"migrasim/scenarios"
)

func newTestServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// TestResolveProblems: every kind of bad value is a problem that names the
// control and says what is wrong.
func TestResolveProblems(t *testing.T) {
	s := newTestServer(t, Config{})
	tests := []struct {
		name     string
		scenario string
		values   map[string]any
		control  string // the problem's control
		want     string // in its message
	}{
		{"above server limit", "status-quo", map[string]any{"scale": 0.2}, "scale", "limit of 0.05"},
		{"above key range", "status-quo", map[string]any{"scale": 2.0}, "scale", "out of range"},
		{"fraction above 1", "status-quo", map[string]any{"policy.interior_removals.gang_targeting": 1.5}, "policy.interior_removals.gang_targeting", "out of range [0, 1]"},
		{"text for a number", "status-quo", map[string]any{"seed": "abc"}, "seed", `want a whole number (integer), got "abc"`},
		{"empty number field", "status-quo", map[string]any{"feedback.strength": ""}, "feedback.strength", "got an empty field"},
		{"fraction for whole number", "status-quo", map[string]any{"months": 2.5}, "months", "want a whole number"},
		{"number for a switch", "status-quo", map[string]any{"mechanisms.cam": 1.0}, "mechanisms.cam", "want true or false"},
		{"bad month", "status-quo", map[string]any{"policy.daca.rescind": "2017-13"}, "policy.daca.rescind", "want YYYY-MM"},
		{"window backwards", "status-quo", map[string]any{"policy.border.from": "2016-01", "policy.border.to": "2015-01"}, "policy.border.to", "not after from"},
		{"push out of range", "status-quo", map[string]any{pushViolence: 9.0}, pushViolence, "out of range [0.1, 5]"},
		{"unknown control", "status-quo", map[string]any{"policy.wall.height": 10.0}, "", `unknown control "policy.wall.height"`},
		{"unknown scenario", "no-such", nil, "scenario", `no embedded scenario "no-such"`},
		{"file path as scenario", "../../etc/passwd", nil, "scenario", "no embedded scenario"},
		{"toml path as scenario", "scenarios/baseline.toml", nil, "scenario", "no embedded scenario"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := s.resolve(&Settings{A: Side{Scenario: tt.scenario, Values: tt.values}})
			for _, p := range problems {
				if p.Control == tt.control && strings.Contains(p.Message, tt.want) {
					if p.Side != "A" {
						t.Errorf("problem side = %q, want A", p.Side)
					}
					return
				}
			}
			t.Errorf("problems = %+v, want one for control %q containing %q", problems, tt.control, tt.want)
		})
	}
}

// TestResolveAllProblemsAtOnce: a value that does not convert does not hide
// the problems of the others.
func TestResolveAllProblemsAtOnce(t *testing.T) {
	s := newTestServer(t, Config{})
	_, problems := s.resolve(&Settings{A: Side{Scenario: "status-quo", Values: map[string]any{
		"seed": "x", pushJobs: 0.0, "scale": 0.5}}})
	got := map[string]bool{}
	for _, p := range problems {
		got[p.Control] = true
	}
	for _, c := range []string{"seed", pushJobs, "scale"} {
		if !got[c] {
			t.Errorf("no problem for %s in %+v", c, problems)
		}
	}
}

func TestResolveValues(t *testing.T) {
	s := newTestServer(t, Config{})
	base, err := scenarios.Load("status-quo")
	if err != nil {
		t.Fatal(err)
	}
	base.Scale = 0.01

	t.Run("unchanged keeps the name", func(t *testing.T) {
		ps, problems := s.resolve(&Settings{A: Side{Scenario: "status-quo", Values: map[string]any{"scale": json.Number("0.01")}}})
		if problems != nil {
			t.Fatal(problems)
		}
		if ps[0].Name != "status-quo-edited" {
			// scale differs from the scenario's 0.05, so the settings are edited
			t.Errorf("name = %q, want status-quo-edited", ps[0].Name)
		}
		if scenarios.Format(ps[0]) == scenarios.Format(base) {
			t.Error("resolved = base, but the name changed")
		}
	})

	t.Run("every value as the page sends it", func(t *testing.T) {
		pr, err := preset(base, s.list, s.cfg.MaxScale)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(pr.Values)
		var values map[string]any
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.UseNumber()
		if err := dec.Decode(&values); err != nil {
			t.Fatal(err)
		}
		values["scale"] = json.Number("0.05")
		ps, problems := s.resolve(&Settings{A: Side{Scenario: "status-quo", Values: values}})
		if problems != nil {
			t.Fatal(problems)
		}
		orig, _ := scenarios.Load("status-quo")
		if got, want := scenarios.Format(ps[0]), scenarios.Format(orig); got != want {
			t.Errorf("sending back every preset value changed the scenario")
		}
		if ps[0].Name != "status-quo" {
			t.Errorf("name = %q, want baseline", ps[0].Name)
		}
	})

	t.Run("push factors become shocks", func(t *testing.T) {
		ps, problems := s.resolve(&Settings{A: Side{Scenario: "status-quo", Values: map[string]any{pushViolence: 1.5, pushJobs: 1.0}}})
		if problems != nil {
			t.Fatal(problems)
		}
		orig, _ := scenarios.Load("status-quo")
		if got, want := len(ps[0].Shocks), len(orig.Shocks)+3; got != want {
			t.Fatalf("%d shocks, want %d (one per country for violence, none for jobs at 1)", got, want)
		}
		for _, sh := range ps[0].Shocks[len(orig.Shocks):] {
			if sh.Variable != "homicide" || sh.Mode != "multiply" || sh.Path[pushFrom] != 1.5 || sh.Path[pushTo] != 1.5 {
				t.Errorf("shock %+v, want homicide multiplied by 1.5", sh)
			}
		}
	})

	t.Run("side B shares the run keys", func(t *testing.T) {
		ps, problems := s.resolve(&Settings{
			A: Side{Scenario: "status-quo", Values: map[string]any{"seed": json.Number("7"), "scale": 0.01, "months": json.Number("24")}},
			B: &Side{Scenario: "status-quo", Values: map[string]any{"seed": json.Number("8"), "scale": 0.9, "months": "x",
				"policy.interior_removals.from": "2013-01", "policy.interior_removals.rate_multiplier": 3.0}},
		})
		if problems != nil {
			t.Fatal(problems)
		}
		a, b := ps[0], ps[1]
		if b.Seed != 7 || b.Scale != 0.01 || b.Months != 24 || b.Start != a.Start {
			t.Errorf("B seed %d scale %g months %d start %s, want A's: 7 0.01 24 %s", b.Seed, b.Scale, b.Months, b.Start, a.Start)
		}
		if b.Policy.InteriorRemovals.RateMultiplier != 3 || a.Policy.InteriorRemovals.RateMultiplier != 1 {
			t.Errorf("rate multipliers A %g B %g, want 1 and 3", a.Policy.InteriorRemovals.RateMultiplier, b.Policy.InteriorRemovals.RateMultiplier)
		}
		if a.Name == b.Name {
			t.Errorf("both sides named %q: the CSV could not tell them apart", a.Name)
		}
	})

	t.Run("same settings on both sides get two names", func(t *testing.T) {
		ps, problems := s.resolve(&Settings{A: Side{Scenario: "status-quo"}, B: &Side{Scenario: "status-quo"}})
		if problems != nil {
			t.Fatal(problems)
		}
		if ps[0].Name != "status-quo" || ps[1].Name != "status-quo-b" {
			t.Errorf("names %q and %q, want status-quo and status-quo-b", ps[0].Name, ps[1].Name)
		}
	})
}

func TestPresetClampsScale(t *testing.T) {
	s := newTestServer(t, Config{MaxScale: 0.01})
	p, err := scenarios.Load("status-quo")
	if err != nil {
		t.Fatal(err)
	}
	pr, err := preset(p, s.list, s.cfg.MaxScale)
	if err != nil {
		t.Fatal(err)
	}
	if pr.Values["scale"] != 0.01 || len(pr.Notes) != 1 {
		t.Errorf("scale %v, notes %q: want the server's limit 0.01 and a note", pr.Values["scale"], pr.Notes)
	}
	if pr.Values[pushViolence] != 1.0 || pr.Values["policy.cam.open"] != "2014-12" {
		t.Errorf("violence %v, cam.open %v: want 1 and 2014-12", pr.Values[pushViolence], pr.Values["policy.cam.open"])
	}
	if pr.PolicyMonth != "2017-01" {
		t.Errorf("policy month %s, want 2017-01 (middle of 2012-01 + 120 months)", pr.PolicyMonth)
	}
}
