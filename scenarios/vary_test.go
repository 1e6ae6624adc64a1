package scenarios

import (
	"fmt"
	"strings"
	"testing"
)

// A grid's points are every combination once, the first key slowest and the
// last fastest.
func TestVaryGridOrder(t *testing.T) {
	g, err := ParseGrid([]string{"decision.deterrence=0,-3", "feedback.strength=0,2.2,5", "remigration.border=1,2"})
	if err != nil {
		t.Fatal(err)
	}
	if g.Len() != 12 {
		t.Fatalf("%d points, want 2 x 3 x 2 = 12", g.Len())
	}
	if got := strings.Join(g.Keys(), " "); got != "decision.deterrence feedback.strength remigration.border" {
		t.Errorf("keys %s", got)
	}
	var got []string
	seen := map[string]bool{}
	for i := range g.Len() {
		p := fmt.Sprint(g.Point(i))
		if seen[p] {
			t.Errorf("point %d, %s, comes twice", i, p)
		}
		seen[p] = true
		got = append(got, p)
	}
	want := []string{
		"[0 0 1]", "[0 0 2]", "[0 2.2 1]", "[0 2.2 2]", "[0 5 1]", "[0 5 2]",
		"[-3 0 1]", "[-3 0 2]", "[-3 2.2 1]", "[-3 2.2 2]", "[-3 5 1]", "[-3 5 2]",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("points\n%v\nwant\n%v", got, want)
	}
	var none Grid
	if none.Len() != 1 || len(none.Point(0)) != 0 {
		t.Errorf("an empty grid has %d points", none.Len())
	}
}

// ParseGrid refuses, before anything runs, a key that is not a number in
// any --vary, a key given twice, a value given twice and a grid past
// MaxVaryPoints, and lists every problem; calibrate's single ParseVary is
// as it was.
func TestVaryParseGridRefuses(t *testing.T) {
	for _, tt := range []struct {
		flags []string
		want  []string
	}{
		{[]string{"feedback.strength=0,1", "policy.cam.close=2015-01"},
			[]string{"--vary policy.cam.close: a month key; --vary takes number keys"}},
		{[]string{"mechanisms.remigration=true,false", "feedback.strength=0,1", "policy.cam.close=2015-01"},
			[]string{"--vary mechanisms.remigration: a true/false key", "--vary policy.cam.close: a month key"}},
		{[]string{"feedback.strength=0,1", "decision.deterrence=0,-3", "feedback.strength=2"},
			[]string{"--vary feedback.strength: the key is given twice; give all its values in one --vary feedback.strength=V1,V2 (and so on)"}},
		{[]string{"decision.deterrence=0,-3", "feedback.strength=1,2,1"},
			[]string{"feedback.strength = 1 is given twice"}},
		{[]string{"decision.deterrence=0,-1,-2,-3,-4", "feedback.strength=0,1,2,3,4", "remigration.border=1,2,3"},
			[]string{"--vary: 5 x 5 x 3 = 75 grid points, more than 64"}},
		{[]string{"feedback.strength=0,x", "decision.deterrence"},
			[]string{`feedback.strength = "x": want a number`, `--vary "decision.deterrence": want KEY=V1,V2,...`}},
	} {
		g, err := ParseGrid(tt.flags)
		for _, want := range tt.want {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%q: error lacks %q:\n%v", tt.flags, want, err)
			}
		}
		if g != nil {
			t.Errorf("%q: a grid of %d points despite the error", tt.flags, g.Len())
		}
	}
	g, err := ParseGrid([]string{"decision.deterrence=0,-1,-2,-3", "feedback.strength=0,1,2,3", "remigration.border=1,2,3,4"})
	if err != nil || g.Len() != MaxVaryPoints {
		t.Errorf("a grid of exactly %d points: %d, %v", MaxVaryPoints, g.Len(), err)
	}
	if key, values, err := ParseVary("feedback.strength=0,0.4"); err != nil || key != "feedback.strength" || len(values) != 2 {
		t.Errorf("ParseVary: %s %v %v", key, values, err)
	}
}
