package scenarios

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"migrasim/sim"
)

// leverTables is one window of each windowed lever, as the keys of its table.
var leverTables = map[string]string{
	"interior_removals": "from = \"2016-01\"\nramp_months = 3\nrate_multiplier = 3.0\ngang_targeting = 0.5\n",
	"aid":               "from = \"2016-01\"\ndelay_months = 0\n[policy.aid.HN]\nhomicide_effect = 0.3\ndepartments = [\"Cortés\"]\n",
	"mexico":            "from = \"2016-01\"\nramp_months = 2\napprehension_multiplier = 2.0\nadapt_months = 12.0\n",
	"border":            "from = \"2016-01\"\napprehension_multiplier = 1.5\ndeterrence_shock = 0.2\n",
	"family_detention":  "from = \"2016-01\"\nto = \"2016-09\"\nrelease_multiplier = 0.4\n",
	"reintegration":     "from = \"2016-01\"\ncapacity_multiplier = 5.0\n",
}

// A lever written as one table, [policy.x], and as an array of one table,
// [[policy.x]], is the same scenario, and runs to the same series.
func TestOneWindowTwoSyntaxes(t *testing.T) {
	for _, lever := range slices.Sorted(maps.Keys(leverTables)) {
		body := leverTables[lever]
		table := leverBase + "[policy." + lever + "]\n" + body
		array := leverBase + "[[policy." + lever + "]]\n" + body
		a, err := Parse("table.toml", []byte(table))
		if err != nil {
			t.Fatal(err)
		}
		b, err := Parse("table.toml", []byte(array))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: [policy.%s] and a one-element [[policy.%s]] differ", lever, lever, lever)
		}
		if lever != "mexico" && testing.Short() {
			continue
		}
		a.Months, b.Months = 30, 30
		sa, sb := run(t, a), run(t, b)
		if !slices.Equal(sa.Values, sb.Values) {
			t.Errorf("%s: the two syntaxes run to different series", lever)
		}
	}
}

func run(t *testing.T, p *sim.Params) *sim.Series {
	t.Helper()
	s, err := sim.Run(t.Context(), p, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return &s[0]
}

// twoWindowText writes a lever with two windows: the first as in
// leverTables, the second later and of another size.
func twoWindowText(lever string) string {
	second := strings.NewReplacer("2016-01", "2016-07", "3.0", "1.5", "2.0", "3.0", "0.3", "0.2", "[\"Cortés\"]", "[]", "0.4", "0.7", "5.0", "2.0").
		Replace(leverTables[lever])
	return leverBase + "[[policy." + lever + "]]\n" + leverTables[lever] + "\n[[policy." + lever + "]]\n" + second
}

// Format writes a lever's windows as [[policy.x]] tables and Parse reads
// them back exactly; Format of that is the same text.
func TestWindowsFormatRoundTrip(t *testing.T) {
	for lever := range leverTables {
		p, err := Parse("two.toml", []byte(twoWindowText(lever)))
		if err != nil {
			t.Fatalf("%s: %v", lever, err)
		}
		v := reflect.ValueOf(p.Policy)
		f, _ := leverField("policy." + lever)
		if n := v.FieldByIndex(f.idx).FieldByName("More").Len(); n != 1 {
			t.Fatalf("%s: %d further windows, want 1", lever, n)
		}
		text := Format(p)
		if strings.Count(text, "[[policy."+lever+"]]") != 2 {
			t.Errorf("%s: Format writes no two [[policy.%s]] tables:\n%s", lever, lever, text)
		}
		q, err := Parse("formatted.toml", []byte(text))
		if err != nil {
			t.Fatalf("%s: Format output does not parse: %v\n%s", lever, err, text)
		}
		if !reflect.DeepEqual(p, q) {
			t.Errorf("%s: Parse(Format(p)) differs from p", lever)
		}
		if again := Format(q); again != text {
			t.Errorf("%s: Format(Parse(Format(p))) differs from Format(p)", lever)
		}
	}
}

// Errors inside a lever's windows name the file, the line and the window.
func TestWindowsBadInput(t *testing.T) {
	many := ""
	for range sim.MaxWindows + 1 {
		many += "[[policy.border]]\nfrom = \"2016-01\"\n"
	}
	tests := []struct {
		name, text string
		want       []string
	}{
		{"range and month in the second window",
			"[[policy.mexico]]\nfrom = \"2016-01\"\n\n[[policy.mexico]]\nfrom = \"2016-13\"\napprehension_multiplier = 20.0\n",
			[]string{"w.toml:5: policy.mexico[1].from: month \"2016-13\"", "w.toml:6: policy.mexico[1].apprehension_multiplier: 20 is out of range"}},
		{"to before from", "[[policy.reintegration]]\nfrom = \"2016-01\"\n[[policy.reintegration]]\nfrom = \"2017-01\"\nto = \"2016-01\"\n",
			[]string{"w.toml:5: policy.reintegration[1].to: 2016-01 is not after from (2017-01)"}},
		{"unknown key", "[[policy.interior_removals]]\nfrom = \"2016-01\"\n[[policy.interior_removals]]\nrate_multiplyer = 2.0\n",
			[]string{"w.toml:4: policy.interior_removals[1].rate_multiplyer: unknown key (did you mean \"rate_multiplier\"?)"}},
		{"departments in a later window", "[[policy.aid]]\nfrom = \"2016-01\"\n[[policy.aid]]\nfrom = \"2017-01\"\n[policy.aid.HN]\ndepartments = [\"Cortés\"]\n",
			[]string{"w.toml:6: policy.aid[1].HN.departments: departments belong to the lever"}},
		{"bad department in the first window", "[[policy.aid]]\nfrom = \"2016-01\"\n[policy.aid.SV]\ndepartments = [\"Atlantis\"]\n[[policy.aid]]\nfrom = \"2017-01\"\n",
			[]string{"w.toml:4: policy.aid[0].SV.departments[0]: \"Atlantis\" is not a department"}},
		{"too many windows", many, []string{fmt.Sprintf("w.toml:1: policy.border: %d windows: at most %d", sim.MaxWindows+1, sim.MaxWindows)}},
		{"no windows", "[policy]\nmexico = []\n", []string{"w.toml:2: policy.mexico: no windows"}},
		{"not a table", "[policy]\nmexico = 3\n", []string{"w.toml:2: policy.mexico: want a table ([policy.mexico]) or an array of tables, one per window ([[policy.mexico]])"}},
		{"not windowed", "[[policy.cam]]\nopen = \"2016-01\"\n", []string{"w.toml:1: policy.cam: want a table, got an array"}},
	}
	for _, tt := range tests {
		_, err := Parse("w.toml", []byte(tt.text))
		if err == nil {
			t.Errorf("%s: parsed", tt.name)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error\n%v\nlacks %q", tt.name, err, w)
			}
		}
	}
}

// Overrides reach a window by its index; the first window is also the
// lever's plain key; an override cannot add a window; on error nothing
// changes.
func TestWindowsOverrides(t *testing.T) {
	p, err := Parse("two.toml", []byte(twoWindowText("mexico")))
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := Get(p, "policy.mexico[1].apprehension_multiplier"); !ok || v != 3.0 {
		t.Errorf("Get(policy.mexico[1].apprehension_multiplier) = %v, %v; want 3", v, ok)
	}
	if v, ok := Get(p, "policy.mexico[0].from"); !ok || v != "2016-01" {
		t.Errorf("Get(policy.mexico[0].from) = %v, %v; want 2016-01", v, ok)
	}
	if _, ok := Get(p, "policy.mexico[2].from"); ok {
		t.Error("Get reaches a third window the scenario does not have")
	}
	if k, ok := Lookup("policy.mexico[3].adapt_months"); !ok || k.Unit != "months" {
		t.Errorf("Lookup(policy.mexico[3].adapt_months) = %+v, %v", k, ok)
	}
	before := Format(p)
	orig := p.Policy.Mexico.More
	for _, bad := range []map[string]any{
		{"policy.mexico[2].from": "2018-01"},
		{"policy.mexico[1].apprehension_multiplier": 30.0},
		{"policy.mexico[1].from": "2018-01", "policy.mexico[1].to": "2017-01"},
		{"policy.mexico[16].from": "2018-01"},
		{"policy.cam[1].open": "2018-01"},
	} {
		if err := Apply(p, bad); err == nil {
			t.Errorf("Apply(%v) succeeded", bad)
		}
		if Format(p) != before {
			t.Errorf("Apply(%v) changed p on error", bad)
		}
	}
	if err := Apply(p, map[string]any{"policy.mexico[1].apprehension_multiplier": 4.0, "policy.mexico.ramp_months": int64(5)}); err != nil {
		t.Fatal(err)
	}
	if w := p.Policy.Mexico.More[0]; w.ApprehensionMultiplier != 4 || w.From != sim.MonthOf(2016, 7) || p.Policy.Mexico.RampMonths != 5 {
		t.Errorf("after Apply: first window %+v, second %+v", p.Policy.Mexico.Window, w)
	}
	if orig[0].ApprehensionMultiplier != 3 {
		t.Error("Apply changed the windows of the parameters it was given a copy of")
	}
}

// The historical scenario writes both of Mexico's surges as windows of the
// lever, and has no Mexico shock left.
func TestHistoricalMexicoWindows(t *testing.T) {
	p, err := Load("historical")
	if err != nil {
		t.Fatal(err)
	}
	mx := p.Policy.Mexico
	if mx.From != sim.MonthOf(2014, 7) || len(mx.More) != 1 || mx.More[0].From.Year() != 2019 {
		t.Errorf("historical's Mexico windows: %+v", mx)
	}
	for _, s := range p.Shocks {
		if s.Variable == "mexico_apprehension" {
			t.Errorf("historical still has a Mexico shock: %+v", s)
		}
	}
}

// A branch's [[policy.LEVER]] replaces history's, so the scenarios that
// branch from history and write a lever history has restate all of
// history's windows of it first, in history's order and exactly: a refit
// that moves a fitted window must move the copies too, and a key such as
// policy.interior_removals.rate_multiplier (a calibrated one, in a
// posterior's particles) then names the same window in the branch as in
// its history.
func TestBranchesCopyHistoryWindows(t *testing.T) {
	hist, err := Load("historical")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		scenario, lever string
		addsOwn         bool // the branch adds windows of its own after history's
	}{
		{"mexico-enforcement", "mexico", false},
		{"mass-deportation", "interior_removals", true},
		{"gang-deportations", "interior_removals", true},
	} {
		p, err := Load(tt.scenario)
		if err != nil {
			t.Fatal(err)
		}
		hw, own := leverWindows(hist, tt.lever), leverWindows(p, tt.lever)
		if len(own) < len(hw) || tt.addsOwn && len(own) == len(hw) {
			t.Fatalf("%s has %d %s windows, history %d", tt.scenario, len(own), tt.lever, len(hw))
		}
		for i := range hw {
			if !reflect.DeepEqual(own[i], hw[i]) {
				t.Errorf("%s: policy.%s[%d] is %+v; history's is %+v", tt.scenario, tt.lever, i, own[i], hw[i])
			}
		}
	}
}

// leverWindows returns the windows of p's lever (policy.LEVER) in order, each
// with its More cleared, so that windows compare by their own keys.
func leverWindows(p *sim.Params, lever string) []any {
	f, ok := leverField("policy." + lever)
	if !ok {
		panic("not a lever: " + lever)
	}
	var out []any
	for _, w := range windowsOf(reflect.ValueOf(p.Policy).FieldByIndex(f.idx)) {
		c := reflect.New(w.Type()).Elem()
		c.Set(w)
		c.FieldByName("More").SetZero()
		out = append(out, c.Interface())
	}
	return out
}

// A lever a branch writes, as an array of tables or as one table, replaces
// its reference's windows: its first window does not inherit keys the
// scenario leaves out (history's first removal window ends in 2017-01 with
// a six-month ramp; the branch's, written with neither, never ends and has
// no ramp), and history's other windows are gone.
func TestBranchWindowsStartFromDefaults(t *testing.T) {
	dir := t.TempDir()
	for _, table := range []string{"[[policy.interior_removals]]", "[policy.interior_removals]"} {
		file := filepath.Join(dir, "b.toml")
		text := "name = \"b\"\nreference = \"historical\"\nbranch = \"2017-10\"\n" + table + "\nfrom = \"2018-01\"\nrate_multiplier = 2.0\n"
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		p, err := Load(file)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		w := p.Policy.InteriorRemovals
		if w.To.IsSet() || w.RampMonths != 0 || len(w.More) != 0 || w.From != sim.MonthOf(2018, 1) {
			t.Errorf("%s: the branch's removal windows are %+v (to %s, %d more); want one, from 2018-01, with no end and no ramp", table, w, w.To, len(w.More))
		}
	}
}
