package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// exampleFigures are the PNGs both scripts in docs/examples write.
var exampleFigures = []string{
	"run_departures_total.png", "run_us_removals_total.png", "run_homicide_rate.png", "run_stock_us_undocumented.png",
	"run_summary_departures_adult.png",
	"compare_departures_total.png", "compare_us_removals_total.png", "compare_homicide_rate.png", "compare_stock_us_undocumented.png",
	"compare_differences_all.png",
}

// pythonWithPandas is the first python3 (on PATH, then the system's) that
// imports pandas and matplotlib, or "".
func pythonWithPandas() string {
	candidates := []string{"/usr/bin/python3"}
	if p, err := exec.LookPath("python3"); err == nil {
		candidates = append([]string{p}, candidates...)
	}
	for _, p := range candidates {
		if exec.Command(p, "-c", "import pandas, matplotlib").Run() == nil {
			return p
		}
	}
	return ""
}

// The scripts in docs/examples load what run and compare write and draw
// every figure they promise.
func TestExampleScripts(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the simulator and the example scripts")
	}
	python := pythonWithPandas()
	rscript, _ := exec.LookPath("Rscript")
	if python == "" && rscript == "" {
		t.Skip("neither python3 with pandas and matplotlib nor Rscript is installed: nothing runs the examples")
	}
	dir := t.TempDir()
	runDir, cmpDir := filepath.Join(dir, "run"), filepath.Join(dir, "compare")
	ctx := context.Background()
	if _, stderr, err := cli(t, ctx, "run", "testdata/tiny.toml", "--replicates", "3", "--out", runDir, "--quiet"); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr)
	}
	if _, stderr, err := cli(t, ctx, "compare", "testdata/tiny.toml", "testdata/tiny-removals.toml",
		"--replicates", "3", "--out", cmpDir, "--quiet"); err != nil {
		t.Fatalf("compare: %v\n%s", err, stderr)
	}
	for _, c := range []struct {
		name, interpreter, script, missing string
	}{
		{"python", python, "plot_results.py", "python3 with pandas and matplotlib is not installed (apt-get install python3-pandas python3-matplotlib)"},
		{"R", rscript, "plot_results.R", "Rscript is not installed (apt-get install r-base-core)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.interpreter == "" {
				t.Skip(c.missing)
			}
			out := filepath.Join(dir, c.name)
			cmd := exec.Command(c.interpreter, filepath.Join("..", "..", "docs", "examples", c.script), runDir, cmpDir, out)
			cmd.Env = append(os.Environ(), "MPLBACKEND=Agg")
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s %s: %v\n%s", c.interpreter, c.script, err, b)
			}
			for _, f := range exampleFigures {
				if fi, err := os.Stat(filepath.Join(out, f)); err != nil || fi.Size() < 10_000 {
					t.Errorf("%s did not write %s: %v", c.script, f, err)
				}
			}
		})
	}
}
