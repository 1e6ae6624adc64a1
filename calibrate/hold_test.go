package calibrate

import (
	"bytes"
	"strings"
	"testing"
)

// Holding a key drops its prior, sets it in the base scenario, and writes it
// as a column of particles.csv after the fitted keys, at the held value on
// every row; a key the spec does not fit, or a value outside its prior, is
// refused. UseScenario swaps the base for another scenario and keeps what is
// held, and so does the fitted scenario (fitted.toml).
func TestSpecHold(t *testing.T) {
	spec, err := LoadSpec("default")
	if err != nil {
		t.Fatal(err)
	}
	n := len(spec.Priors)
	if err := spec.Hold("decision.deterrence", -6); err != nil {
		t.Fatal(err)
	}
	if len(spec.Priors) != n-1 {
		t.Errorf("%d priors after holding one of %d", len(spec.Priors), n)
	}
	for _, p := range spec.Priors {
		if p.Key == "decision.deterrence" {
			t.Error("the held key is still fitted")
		}
	}
	if spec.Base.Decision.Deterrence != -6 {
		t.Errorf("base deterrence %g, want the held -6", spec.Base.Decision.Deterrence)
	}
	for _, bad := range []struct {
		key string
		v   float64
	}{{"decision.homicide", 0.5}, {"decision.pull", 99}, {"decision.deterrence", -3}} {
		if err := spec.Hold(bad.key, bad.v); err == nil {
			t.Errorf("Hold(%s, %g) accepted", bad.key, bad.v)
		}
	}
	if err := spec.UseScenario("status-quo"); err != nil {
		t.Fatal(err)
	}
	if spec.Scenario != "status-quo" || spec.Base.Name != "status-quo" || spec.Base.Decision.Deterrence != -6 ||
		spec.Base.Scale != spec.Scale || spec.Base.Replicates != spec.Replicates {
		t.Errorf("UseScenario: scenario %q, base %q, deterrence %g, scale %g, replicates %d",
			spec.Scenario, spec.Base.Name, spec.Base.Decision.Deterrence, spec.Base.Scale, spec.Base.Replicates)
	}

	x := make([]float64, n-1)
	for j, p := range spec.Priors {
		x[j] = p.Low
	}
	res := &Result{Config: Config{Spec: spec}, Accepted: []Sample{{X: x}, {X: x}}}
	var buf bytes.Buffer
	if err := res.WriteParticles(&buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	header := strings.Split(lines[0], ",")
	if header[len(header)-1] != "decision.deterrence" || len(header) != len(ParticlesHeader)+n {
		t.Errorf("particles.csv header %v: want the %d fitted keys, then the held one", header, n-1)
	}
	for _, row := range lines[1:] {
		if cells := strings.Split(row, ","); cells[len(cells)-1] != "-6" || len(cells) != len(header) {
			t.Errorf("particles.csv row %q: want the held -6 last", row)
		}
	}
	post, err := ParseParticles("held", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if v := post.Overrides(0)["decision.deterrence"]; v != -6.0 {
		t.Errorf("a posterior read back sets deterrence %v, want -6", v)
	}
	// fitted.toml is the scenario the calibration ran: the held value with
	// the fitted ones.
	fitted, err := fittedScenario(spec, x)
	if err != nil {
		t.Fatal(err)
	}
	if fitted.Decision.Deterrence != -6 {
		t.Errorf("fitted scenario's deterrence %g, want the held -6", fitted.Decision.Deterrence)
	}
}
