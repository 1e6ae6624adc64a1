package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"migrasim/results"
	"migrasim/sim"
	"migrasim/sweep"
)

// comparisonSpec writes a comparison sweep of the tiny scenarios over a grid
// of 3 x 2 points, 2 replicates each, with extra [sweep] lines.
func comparisonSpec(t *testing.T, a, b, extra string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cmp.toml")
	spec := fmt.Sprintf("name = \"tcmp\"\n\n[sweep]\nreplicates = 2\ncompare = [%q, %q]\n%s", a, b, extra)
	if err := os.WriteFile(path, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const comparisonGrid = "[sweep.grid]\nfeedback.strength = [0.0, 2.5, 5.0]\ndecision.deterrence = [-6.0, 0.0]\n"

// A comparison sweep's runs.csv is the same bytes however its runs are split
// into tasks and run in whatever order, and each value is B − A of the
// point's scenarios run on their own, replicate by replicate.
func TestSweepCompareSplitIdentical(t *testing.T) {
	spec := comparisonSpec(t, "testdata/tiny.toml", "testdata/tiny-removals.toml", comparisonGrid)
	ref := filepath.Join(t.TempDir(), "ref")
	out := mustCLI(t, "sweep", "plan", spec, "--out", ref)
	if !strings.Contains(out, "tcmp: 6 design points, each a paired run of tiny and tiny-removals over 2 replicates: 6 runs") {
		t.Errorf("plan says:\n%s", out)
	}
	mustCLI(t, "sweep", "run", ref, "--workers", "2")
	mustCLI(t, "sweep", "merge", ref)
	want, err := os.ReadFile(filepath.Join(ref, "merged", sweep.MergedRuns))
	if err != nil {
		t.Fatal(err)
	}
	for _, split := range []struct{ tasks, workers int }{{3, 1}, {4, 3}} {
		dir := filepath.Join(t.TempDir(), "split")
		mustCLI(t, "sweep", "plan", spec, "--out", dir)
		for i := split.tasks - 1; i >= 0; i-- {
			mustCLI(t, "sweep", "run", dir, "--task", fmt.Sprint(i), "--tasks", fmt.Sprint(split.tasks), "--workers", fmt.Sprint(split.workers))
		}
		mustCLI(t, "sweep", "merge", dir)
		got, _ := os.ReadFile(filepath.Join(dir, "merged", sweep.MergedRuns))
		if !bytes.Equal(got, want) {
			t.Errorf("%d tasks, %d workers: runs.csv differs from the one-task sweep", split.tasks, split.workers)
		}
	}

	lines := strings.Split(strings.TrimSpace(string(want)), "\n")
	head := strings.Split(lines[0], ",")
	if len(lines) != 1+6*2 || head[5] != "feedback.strength" || head[6] != "decision.deterrence" || head[7] != "effect_SV_departures_uac" {
		t.Fatalf("runs.csv: %d lines, header %v", len(lines), head[:8])
	}
	// Point 4, replicate 1, against A and B run one by one.
	r, err := sweep.NewRunner(ref, 0, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	arms, err := r.Arms(4)
	if err != nil {
		t.Fatal(err)
	}
	var runs [2][]sim.Series
	for i, p := range arms {
		if runs[i], err = sim.Run(t.Context(), p, sim.Options{Workers: 1}); err != nil {
			t.Fatal(err)
		}
	}
	h := r.Plan.Header
	from, _ := sim.ParseMonth(h.From)
	to, _ := sim.ParseMonth(h.To)
	window := results.Period{From: int(from - r.Base.Start), To: int(to-r.Base.Start) + 1}
	row := strings.Split(lines[1+4*2+1], ",")
	if row[1] != "4" || row[3] != "1" || row[5] != "5" || row[6] != "-6" {
		t.Fatalf("row of point 4, replicate 1: %v", row[:7])
	}
	nonzero := false
	for c := sim.Country(0); c < sim.NumCountries; c++ {
		for m := sim.Metric(0); m < sim.NumMetrics; m++ {
			col := 7 + sweep.EffectCell(c, m)
			v := results.Aggregate(&runs[1][1], c, m, window) - results.Aggregate(&runs[0][1], c, m, window)
			nonzero = nonzero || v != 0
			if want := string(results.AppendValue(nil, v)); row[col] != want {
				t.Errorf("%s: runs.csv has %s, B - A run alone is %s", head[col], row[col], want)
			}
		}
	}
	if !nonzero {
		t.Error("every effect of point 4 is 0: the test cannot tell A from B")
	}
}

// A posterior sweep merges to the answer.csv of 'compare --posterior', byte
// for byte, whether its draws ran in one task or several; it refuses a
// posterior that changed after the plan.
func TestSweepPosteriorMatchesCompare(t *testing.T) {
	post := particlesFile(t)
	cmpDir := filepath.Join(t.TempDir(), "cmp")
	mustCLI(t, "compare", "testdata/tiny.toml", "testdata/tiny-removals.toml", "--posterior", post, "--draws", "5",
		"--replicates", "2", "--out", cmpDir, "--quiet")
	want, err := os.ReadFile(filepath.Join(cmpDir, "answer.csv"))
	if err != nil {
		t.Fatal(err)
	}
	spec := comparisonSpec(t, "testdata/tiny.toml", "testdata/tiny-removals.toml", fmt.Sprintf("posterior = %q\ndraws = 5\n", post))
	for _, tasks := range []int{1, 3} {
		dir := filepath.Join(t.TempDir(), "post")
		out := mustCLI(t, "sweep", "plan", spec, "--out", dir)
		if !strings.Contains(out, "tcmp: 5 posterior draws of "+post) {
			t.Errorf("plan says:\n%s", out)
		}
		for i := tasks - 1; i >= 0; i-- {
			mustCLI(t, "sweep", "run", dir, "--task", fmt.Sprint(i), "--tasks", fmt.Sprint(tasks), "--workers", "2")
		}
		mustCLI(t, "sweep", "merge", dir)
		got, _ := os.ReadFile(filepath.Join(dir, "merged", sweep.MergedAnswer))
		if !bytes.Equal(got, want) {
			t.Errorf("%d tasks: merged answer.csv differs from compare --posterior's:\n%s\nwant:\n%s", tasks, got, want)
		}
	}

	// Task 1 of 3 runs a contiguous block of the draws.
	dir := filepath.Join(t.TempDir(), "post")
	mustCLI(t, "sweep", "plan", spec, "--out", dir)
	pl, err := sweep.ReadPlan(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(pl.TaskRuns(1, 3)); got != "[1 2]" {
		t.Errorf("task 1 of 3 runs draws %s, want [1 2]", got)
	}
	for r := range 5 {
		if o := pl.Owner(r, 3); !strings.Contains(fmt.Sprint(pl.TaskRuns(o, 3)), fmt.Sprint(r)) {
			t.Errorf("Owner(%d, 3) = %d, whose runs are %v", r, o, pl.TaskRuns(o, 3))
		}
	}

	mustCLI(t, "sweep", "run", dir)
	os.WriteFile(post, []byte("particle,weight,decision.deterrence,feedback.strength\n1,0.5,-2,1.8\n2,0.5,-10,0.6\n"), 0o644)
	_, _, err = cli(t, t.Context(), "sweep", "merge", dir)
	if err == nil || !strings.Contains(err.Error(), post+": changed since the sweep was planned") {
		t.Errorf("merge after the posterior changed: %v", err)
	}
}

// The spec's errors name the key.
func TestSweepCompareSpecErrors(t *testing.T) {
	for _, c := range []struct{ extra, want string }{
		{"compare2 = 1\n", "sweep.compare2: unknown key"},
		{"draws = 3\n", "sweep.draws: draws needs posterior"},
		{"posterior = \"x.csv\"\n" + comparisonGrid, "sweep.posterior: a posterior sweep draws its parameters from the posterior"},
		{"posterior = \"x.csv\"\n", "sweep.draws: a posterior sweep needs draws"},
		{"from = \"2014\"\n", "sweep.from: want a month"},
	} {
		spec := comparisonSpec(t, "testdata/tiny.toml", "testdata/tiny-removals.toml", c.extra)
		_, _, err := cli(t, t.Context(), "sweep", "plan", spec, "--out", filepath.Join(t.TempDir(), "x"))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.extra, err, c.want)
		}
	}
	spec := comparisonSpec(t, "testdata/tiny.toml", "testdata/no-such.toml", "")
	if _, _, err := cli(t, t.Context(), "sweep", "plan", spec, "--out", filepath.Join(t.TempDir(), "x")); err == nil || !strings.Contains(err.Error(), "sweep.compare[1]") {
		t.Errorf("a missing B: %v", err)
	}
}
