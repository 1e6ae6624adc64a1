package sweep

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
)

// tinyDecomposition is baseline against mass deportation from 2017-07 for
// 18 months at scale 0.002, two replicates, with the policy window from
// 2018-01; set changes both scenarios before they are paired.
func tinyDecomposition(t *testing.T, workers int, set map[string]any) *Decomposition {
	t.Helper()
	var ps []*sim.Params
	for _, name := range []string{"baseline", "mass-deportation"} {
		p, err := scenarios.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		p.Start, p.Months, p.Scale, p.Replicates = sim.MonthOf(2017, 7), 18, 0.002, 2
		if err := scenarios.Apply(p, set); err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	if _, err := Pair(ps); err != nil {
		t.Fatal(err)
	}
	horizons, err := results.Horizons(ps[0].Start, ps[0].Months, sim.MonthOf(2018, 1), ps[0].Start.Add(ps[0].Months-1))
	if err != nil {
		t.Fatal(err)
	}
	measures, _ := MeasuresNamed([]string{"departures_total", "homicide_rate"})
	return &Decomposition{Mechanisms: DefaultMechanisms(), PosteriorComparison: PosteriorComparison{Scenarios: ps,
		Workers: workers, Measures: measures, Horizons: horizons}}
}

// With the feedback's strength already 0 in both scenarios, switching it off
// changes no run: its contribution is exactly 0 everywhere. That holds only
// if every variant of a draw runs with the same seeds. Deterrence, which is
// on, does contribute; and the contributions and the residual add up to the
// full effect.
func TestMechanismsFeedbackOffIsZero(t *testing.T) {
	c := tinyDecomposition(t, 2, map[string]any{"feedback.strength": 0.0})
	rows, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := 3 * 2 * 2 * 6; len(rows) != want {
		t.Fatalf("%d rows, want %d (3 countries, 2 measures, 2 horizons, 5 mechanisms and the residual)", len(rows), want)
	}
	deterred := false
	sum := 0.0
	for _, r := range rows {
		switch r.Mechanism {
		case "feedback":
			if r.Contribution != 0 || r.Without != r.Full || r.Lo90 != 0 || r.Hi90 != 0 {
				t.Errorf("%s %s %s: feedback of strength 0 contributes %g [%g, %g] (full %g, without %g), want exactly 0",
					r.Country.Code(), r.Measure.Name, r.Horizon.Label, r.Contribution, r.Lo90, r.Hi90, r.Full, r.Without)
			}
		case "deterrence":
			deterred = deterred || r.Measure.Name == "departures_total" && r.Contribution != 0
		}
		sum += r.Contribution
		if r.Mechanism == results.Residual {
			if d := sum - r.Full; math.Abs(d) > 1e-9*math.Max(1, math.Abs(r.Full)) {
				t.Errorf("%s %s %s: contributions and residual add to %g, full effect %g", r.Country.Code(), r.Measure.Name, r.Horizon.Label, sum, r.Full)
			}
			sum = 0
		}
	}
	if !deterred {
		t.Error("deterrence contributes nothing to departures: its switch did not act")
	}
}

// The decomposition does not depend on the worker count.
func TestMechanismsWorkers(t *testing.T) {
	var out [2]string
	for i, workers := range []int{1, 2} {
		rows, err := tinyDecomposition(t, workers, nil).Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := results.WriteMechanisms(&buf, rows); err != nil {
			t.Fatal(err)
		}
		out[i] = buf.String()
	}
	if out[0] != out[1] {
		t.Errorf("mechanisms.csv with 1 worker:\n%s\nwith 2:\n%s", out[0], out[1])
	}
}

// Over a posterior, a mechanism's keys win over the particle's: with
// deterrence -2 in the particle (the stub's effect 1 + r/2 a month in
// replicate r) and 0 when it is off (1.75 + r/2), El Salvador's children
// leave 15 more over 12 months with it on (12 and 18 in the two replicates)
// and 24 without (21 and 27), so deterrence contributes -9 (-0.6 of the
// effect) in every replicate; the stub ignores the other mechanisms, so they
// contribute 0, and the residual is 15 + 9 = 24.
func TestMechanismsPosteriorOverridesWin(t *testing.T) {
	ps := pairOf(t, "baseline", "mass-deportation", 24)
	ps[0].Replicates, ps[1].Replicates = 2, 2
	measures, _ := MeasuresNamed([]string{"departures_uac"})
	stub := &stubRun{}
	c := &Decomposition{Mechanisms: DefaultMechanisms(), PosteriorComparison: PosteriorComparison{Scenarios: ps,
		Particles: deterrence([]float64{-2}, []float64{1}), Draws: 2, Seed: 7, Workers: 2, Measures: measures,
		Horizons: []results.Period{{Label: "2012-01..2012-12", From: 0, To: 12}}, Simulate: stub.run}}
	rows, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	results.WriteMechanisms(&buf, rows)
	got := strings.Join(strings.Split(buf.String(), "\n")[1:7], "\n") // El Salvador
	want := `baseline,mass-deportation,SV,departures_uac,2012-01..2012-12,remigration,mechanisms.remigration=false,15,15,0,0,0,0,0,0,2,2
baseline,mass-deportation,SV,departures_uac,2012-01..2012-12,feedback,feedback.strength=0,15,15,0,0,0,0,0,0,2,2
baseline,mass-deportation,SV,departures_uac,2012-01..2012-12,deterrence,decision.deterrence=0,15,24,-9,-9,-9,-0.6,-0.6,-0.6,2,2
baseline,mass-deportation,SV,departures_uac,2012-01..2012-12,network,decision.network=0;decision.ties=0,15,15,0,0,0,0,0,0,2,2
baseline,mass-deportation,SV,departures_uac,2012-01..2012-12,remittances,mechanisms.remittances=false,15,15,0,0,0,0,0,0,2,2
baseline,mass-deportation,SV,departures_uac,2012-01..2012-12,residual,,15,NA,24,21,27,1.6,1.6,1.6,2,2`
	if got != want {
		t.Errorf("mechanisms.csv:\n%s\nwant\n%s", got, want)
	}
	if want := 2 * 6 * 2; len(stub.runs) != want {
		t.Errorf("%d runs, want %d (2 draws, every mechanism on and each off, A and B)", len(stub.runs), want)
	}
}

// Check refuses a bad table before anything runs, naming the mechanism.
func TestMechanismsCheck(t *testing.T) {
	for _, tc := range []struct {
		mechs []Mechanism
		want  string
	}{
		{nil, "0 mechanisms"},
		{[]Mechanism{{Name: "residual", Off: map[string]any{"feedback.strength": 0.0}}}, `mechanism "residual"`},
		{[]Mechanism{{Name: "x", Off: map[string]any{"feedback.strength": 0.0}}, {Name: "x", Off: map[string]any{"feedback.strength": 0.0}}}, "mechanism x: given twice"},
		{[]Mechanism{{Name: "x"}}, "mechanism x: no keys"},
		{[]Mechanism{{Name: "x", Off: map[string]any{"feedback.strenght": 0.0}}}, "feedback.strenght"},
	} {
		c := tinyDecomposition(t, 1, nil)
		c.Mechanisms = tc.mechs
		if err := c.Check(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want one with %q", tc.mechs, err, tc.want)
		}
	}
}
