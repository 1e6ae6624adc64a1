package scenarios

import (
	"reflect"
	"strings"
	"testing"
)

// Levers that never act within the run are warned about, one line each;
// levers that act, and the library's scenarios as shipped, are not.
func TestWarnings(t *testing.T) {
	head := "name = \"t\"\nstart = \"2012-01\"\nmonths = 60\n"
	for _, tt := range []struct {
		name, text string
		want       []string
	}{
		{"no lever", "", nil},
		{"no from", "[policy.interior_removals]\nrate_multiplier = 3\n",
			[]string{"policy.interior_removals: set, but without from it never acts"}},
		{"from after the end", "[policy.interior_removals]\nfrom = \"2018-01\"\nrate_multiplier = 3\n",
			[]string{"policy.interior_removals: from = 2018-01 is after the run's last month (2016-12)"}},
		{"from on the last month", "[policy.mexico]\nfrom = \"2016-12\"\napprehension_multiplier = 2\n", nil},
		{"from before the start", "[policy.border]\nfrom = \"2010-01\"\napprehension_multiplier = 2\n", nil},
		{"two levers", "[policy.aid]\ndelay_months = 3\n[policy.aid.SV]\nhomicide_effect = 0.2\n[policy.reintegration]\nfrom = \"2030-01\"\ncapacity_multiplier = 2\n",
			[]string{"policy.aid: set, but without from", "policy.reintegration: from = 2030-01 is after"}},
		{"date after the end", "[policy.daca]\nrescind = \"2017-09\"\n[policy.tps]\nend_SV = \"2016-06\"\n",
			[]string{"policy.daca.rescind: 2017-09 is after the run's last month (2016-12)"}},
		{"dated lever without a date", "[policy.daca]\nwind_down_months = 6\n",
			[]string{"policy.daca: set, but with none of its dates (rescind) it never acts"}},
		{"CAM never opens", "[policy.cam]\nopen = \"\"\n", nil},
		{"CAM opening moved after the end", "[policy.cam]\nopen = \"2017-01\"\n",
			[]string{"policy.cam.open: 2017-01 is after the run's last month (2016-12)"}},
	} {
		p, err := Parse("t.toml", []byte(head+tt.text))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if tt.name == "no lever" && len(Warnings(p)) == 0 {
			p.Months = 12 // before CAM's default opening, 2014-12: no one's mistake
		}
		got := Warnings(p)
		if len(got) != len(tt.want) {
			t.Errorf("%s: got %q, want %d warnings", tt.name, got, len(tt.want))
			continue
		}
		for i := range got {
			if !strings.HasPrefix(got[i], tt.want[i]) {
				t.Errorf("%s: got %q, want %q...", tt.name, got[i], tt.want[i])
			}
		}
	}
}

// The shipped scenarios have no lever that never acts.
func TestLibraryWarnings(t *testing.T) {
	infos, err := List()
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range infos {
		p, err := Load(in.Name)
		if err != nil {
			t.Fatal(err)
		}
		if w := Warnings(p); !reflect.DeepEqual(w, []string(nil)) {
			t.Errorf("%s: %q", in.Name, w)
		}
	}
}
