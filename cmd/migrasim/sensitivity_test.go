package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"migrasim/sensitivity"
)

// sensitivitySpec samples SV's intercept, which sets how many Salvadorans
// leave, against CAM's apply share, which is inert because the run ends
// before the program opens (December 2014).
const sensitivitySpec = `name = "sens-test"
description = "Test sample: SV's intercept against CAM's apply share while CAM is closed."
start = "2013-01"
months = 18
scale = 0.001
replicates = 1
seed = 7

[sweep]
replicates = 1

[sweep.sample]
method = "lhs"
n = 40

[sweep.sample.ranges]
country.SV.intercept = [-12.0, -10.0]
policy.cam.apply_share = [0.0, 1.0]
`

func TestSensitivity(t *testing.T) {
	tmp := t.TempDir()
	spec, dir := filepath.Join(tmp, "spec.toml"), filepath.Join(tmp, "sweep")
	if err := os.WriteFile(spec, []byte(sensitivitySpec), 0o644); err != nil {
		t.Fatal(err)
	}
	mustCLI(t, "sweep", "plan", spec, "--out", dir)
	mustCLI(t, "sweep", "run", dir, "--workers", "2", "--quiet")
	mustCLI(t, "sweep", "merge", dir)
	out := mustCLI(t, "sensitivity", dir)
	if !strings.Contains(out, "no totals") {
		t.Errorf("the output does not say the indices are first-order only:\n%s", out)
	}
	res := filepath.Join(dir, "sensitivity")
	for _, f := range []string{"manifest.json", "sobol_departures_total_SV.png", "prim_departures_total_SV.png"} {
		if _, err := os.Stat(filepath.Join(res, f)); err != nil {
			t.Error(err)
		}
	}
	rows := readCSV(t, filepath.Join(res, "sobol.csv"), sensitivity.SobolHeader)
	readCSV(t, filepath.Join(res, "prim.csv"), sensitivity.PRIMHeader)
	s1 := map[string]float64{}
	for _, r := range rows {
		if r[0] == "departures_total" && r[1] == "SV" {
			v, err := strconv.ParseFloat(r[3], 64)
			if err != nil {
				t.Fatalf("S1 of %s: %v", r[2], err)
			}
			s1[r[2]] = v
			if r[6] != "NA" {
				t.Errorf("ST of %s is %s from given data, want NA", r[2], r[6])
			}
		}
	}
	if len(s1) != 2 || s1["country.SV.intercept"] < 0.5 || s1["country.SV.intercept"] < s1["policy.cam.apply_share"]+0.3 {
		t.Errorf("S1 of SV departures: %v; want the intercept above 0.5 and well above the inert apply share", s1)
	}
	mustCLI(t, "sensitivity", dir, "--outcome", "homicide_rate,departures_total", "--force")
	var again [][]string
	for _, r := range readCSV(t, filepath.Join(res, "sobol.csv"), sensitivity.SobolHeader) {
		if r[0] == "departures_total" {
			again = append(again, r)
		}
	}
	if !slices.EqualFunc(again, rows, slices.Equal) {
		t.Errorf("sobol.csv's departures_total rows changed when another outcome was asked for first:\n%v\nwant\n%v", again, rows)
	}
}

// A Saltelli sweep of the same two keys gets totals: ST is a number with
// its interval, the intercept's well above the inert apply share's, and
// the output says which estimator it used.
func TestSensitivitySaltelli(t *testing.T) {
	tmp := t.TempDir()
	spec, dir := filepath.Join(tmp, "spec.toml"), filepath.Join(tmp, "sweep")
	text := strings.Replace(sensitivitySpec, `method = "lhs"
n = 40`, `method = "saltelli"
n = 16`, 1)
	if err := os.WriteFile(spec, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	mustCLI(t, "sweep", "plan", spec, "--out", dir)
	mustCLI(t, "sweep", "run", dir, "--workers", "2", "--quiet")
	mustCLI(t, "sweep", "merge", dir)
	out := mustCLI(t, "sensitivity", dir)
	if !strings.Contains(out, "first-order and total indices from a Saltelli sample of 16 base points") {
		t.Errorf("the output does not name the Saltelli estimator:\n%s", out)
	}
	st := map[string]float64{}
	for _, r := range readCSV(t, filepath.Join(dir, "sensitivity", "sobol.csv"), sensitivity.SobolHeader) {
		if r[0] != "departures_total" || r[1] != "SV" {
			continue
		}
		var v [3]float64 // ST, ST_lo, ST_hi
		for j := range v {
			var err error
			if v[j], err = strconv.ParseFloat(r[6+j], 64); err != nil {
				t.Fatalf("ST of %s: %v (row %v)", r[2], err, r)
			}
		}
		if !(v[1] <= v[0] && v[0] <= v[2]) {
			t.Errorf("ST of %s = %g outside its interval [%g, %g]", r[2], v[0], v[1], v[2])
		}
		st[r[2]] = v[0]
	}
	if len(st) != 2 || st["country.SV.intercept"] < 0.5 || st["country.SV.intercept"] < st["policy.cam.apply_share"]+0.3 {
		t.Errorf("ST of SV departures: %v; want the intercept above 0.5 and well above the inert apply share", st)
	}
}

func TestSensitivityErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"sensitivity"}, "want the folder of a merged sweep"},
		{[]string{"sensitivity", t.TempDir(), "--outcome", "frob"}, `--outcome "frob"`},
		{[]string{"sensitivity", t.TempDir()}, "no sweep plan here"},
	} {
		if _, _, err := cli(t, t.Context(), tt.args...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: got %v, want an error containing %q", tt.args, err, tt.want)
		}
	}
}

// readCSV reads a CSV file whose header must be want, and returns its rows.
func readCSV(t *testing.T, name string, want []string) [][]string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(all) < 2 || !slices.Equal(all[0], want) {
		t.Fatalf("%s: header %v and %d rows, want header %v and rows", name, all[0], len(all)-1, want)
	}
	return all[1:]
}
