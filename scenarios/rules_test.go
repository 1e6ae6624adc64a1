package scenarios

import (
	"fmt"
	"strings"
	"testing"

	"migrasim/sim"
)

// Every shock path value is finite and within its variable's range, alone
// and together with the other shocks of the same variable and country.
func TestShockValues(t *testing.T) {
	shock := func(country, variable, mode, path string) string {
		return fmt.Sprintf("[[shock]]\ncountry = %q\nvariable = %q\nmode = %q\npath = { %s }\n", country, variable, mode, path)
	}
	for variable := range shockLimits {
		for _, mode := range []string{"multiply", "add"} {
			for _, v := range []string{"nan", "inf", "-inf", "1e308", "-1e6"} {
				text := shock("SV", variable, mode, `"2012" = `+v)
				_, err := Parse("bad.toml", []byte(text))
				if err == nil || !strings.Contains(err.Error(), "bad.toml:5: shock[0].path.2012: ") {
					t.Errorf("%s %s %s: got %v", variable, mode, v, err)
				}
			}
		}
	}
	ok := []string{
		shock("all", "homicide", "multiply", `"2016" = 1.5, "2017" = 0`),
		shock("GT", "unemployment", "add", `"2016" = 4.0, "2017-06" = -4.0`),
		shock("HN", "family_release", "add", `"2016" = -1, "2017" = 1`) + shock("SV", "family_release", "add", `"2016" = 1`),
	}
	for _, text := range ok {
		if _, err := Parse("ok.toml", []byte(text)); err != nil {
			t.Errorf("%s: %v", text, err)
		}
	}
	together := shock("all", "homicide", "multiply", `"2016" = 4`) + shock("SV", "homicide", "multiply", `"2016-03" = 4`)
	if _, err := Parse("bad.toml", []byte(together)); err == nil || !strings.Contains(err.Error(), "bad.toml:10: shock[1].path: with the shocks before it, multiplies homicide in SV by up to 16") {
		t.Errorf("two multipliers of 4: %v", err)
	}
	added := shock("HN", "mexico_apprehension", "add", `"2016" = 0.6`) + shock("all", "mexico_apprehension", "add", `"2016" = 0.6`)
	if _, err := Parse("bad.toml", []byte(added)); err == nil || !strings.Contains(err.Error(), "adds up to 1.2 probability to mexico_apprehension in HN") {
		t.Errorf("two additions of 0.6: %v", err)
	}
	if _, err := Parse("bad.toml", []byte(shock("SV", "homicide", "add", `"0000" = 1, "1899-12" = 1`))); err == nil ||
		!strings.Contains(err.Error(), `shock[0].path.0000: year "0000": want a year from 1900 to 2200`) ||
		!strings.Contains(err.Error(), `shock[0].path.1899-12: path key "1899-12"`) {
		t.Errorf("years out of range: %v", err)
	}
}

// A valid array of inline tables is a [[shock]] list like any other.
func TestShockInlineArray(t *testing.T) {
	text := `shock = [ { country = "SV", variable = "homicide", mode = "add", path = { "2015" = 1.0 } },
  { country = "HN", variable = "homicide", mode = "multiply", path = { "2015" = 2.0 } } ]
`
	p, err := Parse("inline.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Shocks) != 2 || p.Shocks[1].Country != "HN" || p.Shocks[1].Path["2015"] != 2 {
		t.Errorf("shocks = %+v", p.Shocks)
	}
	bad := strings.Replace(text, `"2015" = 2.0`, `"2015" = 20.0`, 1)
	if _, err := Parse("inline.toml", []byte(bad)); err == nil || !strings.Contains(err.Error(), "inline.toml:2: shock[1].path.2015: 20 is out of range") {
		t.Errorf("bad inline shock: %v", err)
	}
}

// A bad value in a table does not make the engine's cross-field rules about
// that table speak: an out-of-range population reports itself, not tie_share.
func TestRangeBeforeCrossField(t *testing.T) {
	_, err := Parse("bad.toml", []byte("[country.SV]\ntie_share = 0.36\npopulation = 1e9\n"))
	if err == nil || !strings.Contains(err.Error(), "bad.toml:3: country.SV.population: 1e+09 is out of range") {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(err.Error(), "tie_share") {
		t.Errorf("an unrelated tie_share problem is reported:\n%v", err)
	}
	// Alone, the cross-field rule still holds.
	if _, err := Parse("bad.toml", []byte("[country.SV]\ntie_share = 0.9\nabroad = 1000\n")); err == nil || !strings.Contains(err.Error(), "country.SV.tie_share") {
		t.Errorf("tie_share above the relatives abroad: %v", err)
	}
}

// Seeds run from 0 to 2^63-1 wherever they come from.
func TestSeedRange(t *testing.T) {
	p, err := Defaults()
	if err != nil {
		t.Fatal(err)
	}
	p.Seed = MaxSeed
	if err := Check(&p); err != nil {
		t.Errorf("seed 2^63-1: %v", err)
	}
	q, err := Parse("max.toml", []byte(Format(&p)))
	if err != nil || q.Seed != MaxSeed {
		t.Errorf("seed 2^63-1 does not survive Format and Parse: %v", err)
	}
	p.Seed = MaxSeed + 1
	if err := Check(&p); err == nil || !strings.Contains(err.Error(), "seed: 9223372036854775808 is out of range [0, 9223372036854775807]") {
		t.Errorf("seed 2^63: %v", err)
	}
	if err := Apply(&p, map[string]any{"seed": int64(-1)}); err == nil {
		t.Error("Apply took seed -1")
	}
}

// Names become folder names: anything that could leave out/ is refused,
// and a name made from a file name is made safe.
func TestNames(t *testing.T) {
	for _, bad := range []string{"", "../x", "a/b", `a\b`, ".hidden", "-flag", "x\x00y", "tab\there", "a:b", strings.Repeat("n", 101), "trailing."} {
		if err := CheckName(bad); err == nil {
			t.Errorf("CheckName(%q) accepted it", bad)
		}
	}
	for _, good := range []string{"baseline", "my policy (v2)", "teach-aid+cam", "ñandú_1.5"} {
		if err := CheckName(good); err != nil {
			t.Errorf("CheckName(%q): %v", good, err)
		}
	}
	for in, want := range map[string]string{"..": "scenario", "a:b?c": "a-b-c", ".hidden": "hidden", "ok": "ok", strings.Repeat("é", 80): strings.Repeat("é", 50)} {
		if got := SafeName(in); got != want || CheckName(got) != nil {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
	p, err := Parse("dir/.my:policy.toml", []byte("months = 12\n"))
	if err != nil || p.Name != "my-policy" {
		t.Errorf("name from the file name: %v, %v", p, err)
	}
}

// Months name years from 1900 to 2200, wherever they are.
func TestMonthYears(t *testing.T) {
	p, _ := Defaults()
	p.Policy.CAM.Close = sim.MonthOf(2500, 1)
	if err := Check(&p); err == nil || !strings.Contains(err.Error(), `policy.cam.close: month "2500-01": want a year from 1900 to 2200`) {
		t.Errorf("got %v", err)
	}
}
