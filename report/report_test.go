package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"migrasim/calibrate"
	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
	"migrasim/sweep"
)

// tiny is a scenario of a few thousand households over three months;
// removals adds a lever to it, for a comparison.
const (
	tiny     = "name = \"tiny\"\nstart = \"2014-06\"\nmonths = 3\nscale = 0.002\nreplicates = 2\nseed = 5\n"
	removals = "name = \"tiny-removals\"\nstart = \"2014-06\"\nmonths = 3\nscale = 0.002\nreplicates = 2\nseed = 5\n" +
		"[policy.interior_removals]\nfrom = \"2014-06\"\nrate_multiplier = 3.0\n"
)

func scenario(t *testing.T, text string) *sim.Params {
	t.Helper()
	p, err := scenarios.Parse("test.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// console returns a quiet console writing to the buffers it returns.
func console() (*Console, *bytes.Buffer, *bytes.Buffer) {
	var stdout, stderr bytes.Buffer
	return &Console{Stdout: &stdout, Stderr: &stderr, Quiet: true, Command: []string{"migrasim", "test"}}, &stdout, &stderr
}

// written checks that dir holds exactly the files its manifest lists and
// the manifest, and returns their names (without the manifest).
func written(t *testing.T, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, results.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var m results.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		if e.Name() != results.ManifestFile {
			files = append(files, e.Name())
		}
	}
	var listed []string
	for name := range m.Outputs {
		listed = append(listed, name)
	}
	slices.Sort(listed)
	if !slices.Equal(files, listed) {
		t.Errorf("%s holds %v, its manifest lists %v", dir, files, listed)
	}
	if !slices.Equal(m.Command, []string{"migrasim", "test"}) {
		t.Errorf("manifest's command %v, want the console's", m.Command)
	}
	return files
}

// plots counts the PNG and SVG files among names.
func plots(names []string) int {
	n := 0
	for _, name := range names {
		if strings.HasSuffix(name, ".png") || strings.HasSuffix(name, ".svg") {
			n++
		}
	}
	return n
}

// lastLine is the last line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// Run writes the files it says it wrote, and the manifest lists them all.
func TestRunWritesWhatItSays(t *testing.T) {
	for _, byDepartment := range []bool{false, true} {
		dir := filepath.Join(t.TempDir(), "out")
		c, stdout, _ := console()
		err := Run(context.Background(), c, RunRequest{Scenario: scenario(t, tiny), Workers: 2, ByDepartment: byDepartment, Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		files := written(t, dir)
		want := "series.csv, summary.csv, "
		if byDepartment {
			want += "series_department.csv, summary_department.csv, "
		}
		want = fmt.Sprintf("wrote %s (%s%d plots, manifest.json)", dir, want, plots(files))
		if got := lastLine(stdout.String()); got != want {
			t.Errorf("by department %v: last line %q, want %q", byDepartment, got, want)
		}
		tables := 2
		if byDepartment {
			tables = 4
		}
		if n := len(files) - plots(files); n != tables {
			t.Errorf("by department %v: %d files besides the plots, want %d: %v", byDepartment, n, tables, files)
		}
	}
}

// A calibration's last line names every file of its set, profile.csv
// included when a profile was asked for.
func TestCalibrationWrote(t *testing.T) {
	res := &calibrate.Result{Fitted: scenario(t, tiny)}
	want := "wrote out/c (fitted.toml, posterior.csv, particles.csv, samples.csv, fit.csv, manifest.json)"
	if got := wrote("out/c", calibrationOutputs(res)); got != want {
		t.Errorf("without a profile: %q, want %q", got, want)
	}
	res.Profiles = []calibrate.ProfilePoint{{Key: "decision.deterrence", Value: -3}}
	want = "wrote out/c (fitted.toml, posterior.csv, particles.csv, samples.csv, fit.csv, profile.csv, manifest.json)"
	if got := wrote("out/c", calibrationOutputs(res)); got != want {
		t.Errorf("with a profile: %q, want %q", got, want)
	}
}

// Compare writes the files it says it wrote: comparison.csv, each
// scenario's series, the department files when asked, and the plots.
func TestCompareWritesWhatItSays(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	c, stdout, _ := console()
	req := CompareRequest{Scenarios: []*sim.Params{scenario(t, tiny), scenario(t, removals)}, Workers: 2, ByDepartment: true, Dir: dir}
	if err := Compare(context.Background(), c, req); err != nil {
		t.Fatal(err)
	}
	files := written(t, dir)
	for _, name := range []string{"comparison.csv", "series_tiny.csv", "series_tiny-removals.csv", "comparison_department.csv",
		"series_department_tiny.csv", "series_department_tiny-removals.csv"} {
		if !slices.Contains(files, name) {
			t.Errorf("%s not written; wrote %v", name, files)
		}
	}
	if n := len(files) - plots(files); n != 6 {
		t.Errorf("%d files besides the plots, want 6: %v", n, files)
	}
	want := fmt.Sprintf("wrote %s (comparison.csv, series_*.csv, comparison_department.csv, series_department_*.csv, %d plots, manifest.json)", dir, plots(files))
	if got := lastLine(stdout.String()); got != want {
		t.Errorf("last line %q, want %q", got, want)
	}
}

// A refused combination of flags is refused in words that name the flags,
// before anything runs or is written.
func TestCompareRefused(t *testing.T) {
	for _, tt := range []struct {
		req  CompareRequest
		n    int
		want []string
	}{
		{CompareRequest{ByDepartment: true, Vary: []string{"feedback.strength=0,1"}}, 2, []string{"--by department", "--vary"}},
		{CompareRequest{ByDepartment: true, Posterior: "particles.csv", Draws: 10}, 2, []string{"--by department", "--posterior"}},
		{CompareRequest{Mechanisms: true}, 3, []string{"--mechanisms", "two scenarios"}},
		{CompareRequest{Mechanisms: true, Vary: []string{"feedback.strength=0,1"}}, 2, []string{"--mechanisms", "no --vary"}},
		{CompareRequest{Draws: 10, DrawsGiven: true}, 2, []string{"--draws", "--posterior"}},
		{CompareRequest{Priors: make([]sweep.Prior, 1)}, 2, []string{"--prior", "--posterior"}},
		{CompareRequest{Posterior: "particles.csv", Draws: 10}, 3, []string{"--posterior", "got 3"}},
		{CompareRequest{Posterior: "particles.csv", Draws: 10, Vary: []string{"feedback.strength=0,1"}}, 2, []string{"--posterior", "leave out --vary feedback.strength=0,1"}},
		{CompareRequest{Posterior: "particles.csv", Draws: 10, Metrics: "all"}, 2, []string{"--posterior", "leave out --metrics all"}},
		{CompareRequest{Posterior: "particles.csv", Draws: 0}, 2, []string{"--draws 0"}},
	} {
		err := tt.req.Check(tt.n)
		for _, w := range tt.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%+v with %d scenarios: got %v, want an error naming %q", tt.req, tt.n, err, w)
			}
		}
	}
	for _, ok := range []CompareRequest{
		{},
		{ByDepartment: true, Mechanisms: true},
		{Posterior: "particles.csv", Draws: 200, DrawsGiven: true, Mechanisms: true},
	} {
		if err := ok.Check(2); err != nil {
			t.Errorf("%+v: %v", ok, err)
		}
	}
	// Compare checks too, before it writes anything.
	dir := filepath.Join(t.TempDir(), "out")
	c, stdout, _ := console()
	req := CompareRequest{Scenarios: []*sim.Params{scenario(t, tiny), scenario(t, removals)}, DrawsGiven: true, Draws: 3, Dir: dir}
	if err := Compare(context.Background(), c, req); err == nil || !strings.Contains(err.Error(), "--draws") {
		t.Errorf("compare with --draws and no --posterior: got %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) || stdout.Len() > 0 {
		t.Errorf("a refused comparison wrote %s or printed %q", dir, stdout.String())
	}
}

// An interrupted run returns ErrInterrupted and writes nothing.
func TestRunInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := filepath.Join(t.TempDir(), "out")
	c, stdout, _ := console()
	err := Run(ctx, c, RunRequest{Scenario: scenario(t, tiny), Workers: 1, Dir: dir})
	if !errors.Is(err, ErrInterrupted) || err.Error() != "interrupted: nothing was written" {
		t.Errorf("got %v, want %v", err, Stopped())
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) || stdout.Len() > 0 {
		t.Errorf("an interrupted run wrote %s or printed %q", dir, stdout.String())
	}
}

// The outcomes of a sensitivity analysis are measures or metrics, or all;
// an unknown one is refused by the flag's name.
func TestSensitivityOutcomes(t *testing.T) {
	ms, err := outcomeMeasures("departures_total, stock_us_tps")
	if err != nil || len(ms) != 2 {
		t.Errorf("two outcomes: got %d, %v", len(ms), err)
	}
	if ms, err := outcomeMeasures("all"); err != nil || len(ms) != len(results.AllMeasures()) {
		t.Errorf("all: got %d, %v", len(ms), err)
	}
	if _, err := outcomeMeasures("departures_total,frob"); err == nil || !strings.Contains(err.Error(), `--outcome "frob"`) {
		t.Errorf("an unknown outcome: got %v", err)
	}
	c, _, _ := console()
	err = Sensitivity(context.Background(), c, SensitivityRequest{Sweep: t.TempDir(), Outcomes: "departures_total"})
	if err == nil || !strings.Contains(err.Error(), "no sweep plan here") {
		t.Errorf("a folder without a plan: got %v", err)
	}
}
