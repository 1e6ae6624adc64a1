package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// comparisonRows reads comparison.csv in dir as its header and rows, each
// row split into the varied keys' columns (all before "scenario") and the
// rest.
func comparisonRows(t *testing.T, dir string) (header []string, vary, rest []string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "comparison.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	header = strings.Split(lines[0], ",")
	n := 0
	for n < len(header) && header[n] != "scenario" {
		n++
	}
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		vary = append(vary, strings.Join(f[:n], ","))
		rest = append(rest, strings.Join(f[n:], ","))
	}
	return header, vary, rest
}

// Two --vary flags run the comparison at every combination, the first key
// slowest; comparison.csv has a key and a value column per key; the table
// names both values; the plots draw the difference against the first key.
// Each point is exactly the comparison of the scenarios with those values
// written into them, run alone (paired, same seed). Both keys move
// departures within the six months, so a key left unset would show.
func TestCompareVaryGrid(t *testing.T) {
	dir := t.TempDir()
	deterrence, border := []string{"0.0", "-3.0"}, []string{"1.0", "6.0"}
	stdout, stderr, err := cli(t, context.Background(), "compare", "testdata/tiny.toml", "testdata/tiny-removals.toml",
		"--vary", "decision.deterrence="+strings.Join(deterrence, ","), "--vary", "remigration.border="+strings.Join(border, ","),
		"--out", dir, "--quiet")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	var with []string
	for _, l := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(l, "with ") {
			with = append(with, l)
		}
	}
	want := []string{
		"with decision.deterrence = 0, remigration.border = 1", "with decision.deterrence = 0, remigration.border = 6",
		"with decision.deterrence = -3, remigration.border = 1", "with decision.deterrence = -3, remigration.border = 6",
	}
	if strings.Join(with, "\n") != strings.Join(want, "\n") {
		t.Errorf("the tables are for\n%s\nwant\n%s", strings.Join(with, "\n"), strings.Join(want, "\n"))
	}
	header, vary, rest := comparisonRows(t, dir)
	if got := strings.Join(header[:5], ","); got != "vary_key,vary_value,vary_key_2,vary_value_2,scenario" {
		t.Errorf("comparison.csv begins %s", got)
	}
	for _, name := range []string{"varied_departures_total.png", "varied_homicide_rate.svg"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}

	// Each point alone: the scenario files with the point's values in them.
	tiny, _ := os.ReadFile("testdata/tiny.toml")
	removals, _ := os.ReadFile("testdata/tiny-removals.toml")
	matched := 0
	for _, d := range deterrence {
		for _, r := range border {
			set := fmt.Sprintf("\n[decision]\ndeterrence = %s\n\n[remigration]\nborder = %s\n", d, r)
			alone := t.TempDir()
			a, b := filepath.Join(alone, "tiny.toml"), filepath.Join(alone, "tiny-removals.toml")
			os.WriteFile(a, append(append([]byte(nil), tiny...), set...), 0o644)
			os.WriteFile(b, append(append([]byte(nil), removals...), set...), 0o644)
			out := filepath.Join(alone, "out")
			if _, stderr, err := cli(t, context.Background(), "compare", a, b, "--out", out, "--quiet"); err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
			_, _, single := comparisonRows(t, out)
			point := fmt.Sprintf("decision.deterrence,%s,remigration.border,%s",
				strings.TrimSuffix(d, ".0"), strings.TrimSuffix(r, ".0"))
			var grid []string
			for i, v := range vary {
				if v == point {
					grid = append(grid, rest[i])
				}
			}
			if len(grid) == 0 || strings.Join(grid, "\n") != strings.Join(single, "\n") {
				t.Errorf("%s: %d rows in the grid differ from the %d of the comparison run alone", point, len(grid), len(single))
			}
			matched += len(grid)
		}
	}
	if matched != len(rest) {
		t.Errorf("%d of comparison.csv's %d rows are at none of the 4 points", len(rest)-matched, len(rest))
	}
}

// A grid of more than two keys runs, writes every point and draws no
// varied plot, and says so.
func TestCompareVaryThreeKeys(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, err := cli(t, context.Background(), "compare", "testdata/tiny.toml", "testdata/tiny-removals.toml",
		"--months", "2", "--replicates", "1", "--metrics", "departures_total",
		"--vary", "decision.deterrence=0,-3", "--vary", "feedback.strength=0,2.2", "--vary", "remigration.border=1,2",
		"--out", dir, "--quiet")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "\nwith decision.deterrence = -3, feedback.strength = 2.2, remigration.border = 1\n") ||
		!strings.Contains(stdout, "note: 3 varied keys: no varied plots") || !strings.Contains(stdout, ", 0 plots,") {
		t.Errorf("stdout:\n%s", stdout)
	}
	header, vary, _ := comparisonRows(t, dir)
	if got := strings.Join(header[:7], ","); got != "vary_key,vary_value,vary_key_2,vary_value_2,vary_key_3,vary_value_3,scenario" {
		t.Errorf("comparison.csv begins %s", got)
	}
	seen := map[string]bool{}
	for _, v := range vary {
		seen[v] = true
	}
	if len(seen) != 8 {
		t.Errorf("comparison.csv holds %d points, want 8", len(seen))
	}
}

// Every --vary is checked before anything runs: a key that is not a number
// in any of them, a key or a value given twice, a grid of more than 64
// points and a combination a scenario refuses are errors, and nothing is
// written.
func TestCompareVaryRefused(t *testing.T) {
	pair := []string{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml"}
	for _, tt := range []struct {
		vary []string
		want string
	}{
		{[]string{"feedback.strength=0,1", "policy.cam.close=2015-01"}, "--vary policy.cam.close: a month key; --vary takes number keys"},
		{[]string{"mechanisms.remigration=true,false", "feedback.strength=0,1"}, "--vary mechanisms.remigration: a true/false key"},
		{[]string{"feedback.strength=0,1", "decision.deterrence=0,-3", "feedback.strength=2"}, "--vary feedback.strength: the key is given twice"},
		{[]string{"decision.deterrence=0,-3", "feedback.strength=0,1,0"}, "feedback.strength = 0 is given twice"},
		{[]string{"decision.deterrence=0,-1,-2,-3,-4", "feedback.strength=0,1,2,3,4", "remigration.border=1,2,3"}, "5 x 5 x 3 = 75 grid points, more than 64"},
		{[]string{"feedback.strength=0,1", "decision.deterrence=0,x"}, `decision.deterrence = "x": want a number`},
		{[]string{"decision.deterrence=0,-3", "country.SV.tie_share=0.2,0.9"}, "--vary decision.deterrence=-3, country.SV.tie_share=0.9: tiny:"},
	} {
		args := append([]string(nil), pair...)
		for _, v := range tt.vary {
			args = append(args, "--vary", v)
		}
		refused(t, args, tt.want)
	}
}
