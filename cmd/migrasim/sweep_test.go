package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"migrasim/scenarios"
	"migrasim/sweep"
)

const sweepSpec = "testdata/sweep.toml" // 6 points x 2 replicates = 12 runs

// mustCLI runs migrasim and fails the test on error.
func mustCLI(t *testing.T, args ...string) string {
	t.Helper()
	out, stderr, err := cli(t, context.Background(), args...)
	if err != nil {
		t.Fatalf("migrasim %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	return out
}

func plan(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "sweep")
	mustCLI(t, "sweep", "plan", sweepSpec, "--out", dir)
	return dir
}

func readMerged(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, f := range []string{sweep.MergedSeries, sweep.MergedSummary, sweep.MergedRuns} {
		b, err := os.ReadFile(filepath.Join(dir, "merged", f))
		if err != nil {
			t.Fatal(err)
		}
		out[f] = b
	}
	return out
}

func sameMerged(t *testing.T, what string, got, want map[string][]byte) {
	t.Helper()
	for f, b := range want {
		if !bytes.Equal(got[f], b) {
			t.Errorf("%s: merged %s differs from the one-process sweep", what, f)
		}
	}
}

func TestSweepPlanGolden(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "plan")
	out := mustCLI(t, "sweep", "plan", sweepSpec, "--out", dir)
	golden(t, "sweep-plan.stdout", []byte(strings.ReplaceAll(out, dir, "DIR")))
	lines, err := os.ReadFile(filepath.Join(dir, sweep.PlanRunsFile))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "sweep-plan.jsonl", lines)
	pl, err := sweep.ReadPlan(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := pl.Header
	if h.Sweep != "tiny-sweep" || h.Runs != 12 || h.Points != 6 || h.Replicates != 2 || h.Seeds != "common" || len(h.Keys) != 2 {
		t.Errorf("header %+v", h)
	}
	// The base scenario is the spec without its sweep, resolved.
	if p, err := scenarios.Parse("base.toml", pl.Base); err != nil || p.Months != 6 || p.Policy.InteriorRemovals.From.String() != "2014-07" {
		t.Errorf("base.toml: %v", err)
	}
	again := mustCLI(t, "sweep", "plan", sweepSpec, "--out", dir)
	if !strings.Contains(again, "already holds this plan; nothing changed") {
		t.Errorf("planning again:\n%s", again)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--replicates", "3"}, "already holds a different plan"},
		{[]string{"--max-runs", "5", "--out", t.TempDir()}, "has 12 runs (6 design points x 2 replicates), more than --max-runs 5; pass --max-runs 12"},
		{[]string{"--scale", "7", "--out", t.TempDir()}, "command line: scale: 7 is out of range"},
	}
	for _, tt := range tests {
		args := append([]string{"sweep", "plan", sweepSpec, "--out", dir}, tt.args...)
		if _, _, err := cli(t, context.Background(), args...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want %q", tt.args, err, tt.want)
		}
	}
}

// The core promise: however the sweep is split into tasks, and whatever the
// workers, the merged files are byte-identical to a one-process sweep; and
// each design point's rows are what 'migrasim run' writes for its scenario.
func TestSweepSplitIdentical(t *testing.T) {
	ref := plan(t)
	mustCLI(t, "sweep", "run", ref, "--workers", "2")
	mustCLI(t, "sweep", "merge", ref)
	want := readMerged(t, ref)

	for _, split := range []struct{ tasks, workers int }{{3, 1}, {5, 3}, {12, 2}} {
		dir := plan(t)
		for i := split.tasks - 1; i >= 0; i-- {
			mustCLI(t, "sweep", "run", dir, "--task", fmt.Sprint(i), "--tasks", fmt.Sprint(split.tasks), "--workers", fmt.Sprint(split.workers))
		}
		mustCLI(t, "sweep", "merge", dir)
		sameMerged(t, fmt.Sprintf("%d tasks, %d workers", split.tasks, split.workers), readMerged(t, dir), want)
	}

	// Design point 3 run on its own, as an ordinary scenario.
	s, err := sweep.Load(sweepSpec)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Params(3)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "point.toml")
	os.WriteFile(file, []byte(scenarios.Format(p)), 0o644)
	out := filepath.Join(t.TempDir(), "point")
	mustCLI(t, "run", file, "--out", out, "--quiet")
	for _, f := range []string{"series.csv", "summary.csv"} {
		single, _ := os.ReadFile(filepath.Join(out, f))
		_, rows, _ := bytes.Cut(single, []byte("\n"))
		var mine []byte
		for _, line := range bytes.SplitAfter(want[f], []byte("\n")) {
			if bytes.HasPrefix(line, []byte(p.Name+",")) {
				mine = append(mine, line...)
			}
		}
		if len(rows) == 0 || !bytes.Equal(mine, rows) {
			t.Errorf("%s: the rows of %s differ from 'migrasim run' of its scenario", f, p.Name)
		}
	}
}

// jsonEvents parses a task's JSON log.
func jsonEvents(t *testing.T, out string) []sweep.Event {
	t.Helper()
	var evs []sweep.Event
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var ev sweep.Event
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		evs = append(evs, ev)
	}
	return evs
}

// ranRuns returns the runs a log says succeeded, and the start event.
func ranRuns(t *testing.T, out string) (runs []int, start sweep.Event) {
	for _, ev := range jsonEvents(t, out) {
		switch {
		case ev.Event == "start":
			start = ev
		case ev.Event == "run" && ev.Status == "succeeded":
			runs = append(runs, *ev.Run)
		}
	}
	return runs, start
}

// A failed run and a killed task: the next tries redo only what is missing,
// merge refuses until then, and the result is identical to a clean sweep.
func TestSweepResume(t *testing.T) {
	ref := plan(t)
	mustCLI(t, "sweep", "run", ref)
	mustCLI(t, "sweep", "merge", ref)
	want := readMerged(t, ref)

	dir := plan(t)
	defer func() { sweepRunHook = func(int) error { return nil } }()

	// Task 0 of 2 (runs 0, 2, …, 10): run 4 fails, the others go on.
	sweepRunHook = func(r int) error {
		if r == 4 {
			return errors.New("injected failure")
		}
		return nil
	}
	out, _, err := cli(t, context.Background(), "sweep", "run", dir, "--task", "0", "--tasks", "2", "--workers", "1")
	if err == nil || !strings.Contains(err.Error(), "task 0 of 2: 1 of 6 runs failed") {
		t.Fatalf("task 0: %v", err)
	}
	if runs, _ := ranRuns(t, out); len(runs) != 5 {
		t.Errorf("task 0 finished %v, want 5 runs", runs)
	}

	// Task 1 of 2 is killed (as by a time limit) while its third run is in flight.
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	sweepRunHook = func(r int) error {
		if calls.Add(1) == 3 {
			cancel()
		}
		return nil
	}
	out, _, err = cli(t, ctx, "sweep", "run", dir, "--task", "1", "--tasks", "2", "--workers", "1")
	if err == nil || !strings.Contains(err.Error(), "interrupted after 2 of 6 runs") {
		t.Fatalf("killed task 1: %v", err)
	}
	killedRuns, _ := ranRuns(t, out)
	// … and a SIGKILL mid-write would leave half a record behind.
	f, _ := os.OpenFile(filepath.Join(dir, "tasks", "task-0001-of-0002.runs"), os.O_APPEND|os.O_WRONLY, 0)
	f.Write([]byte("MSR1 half a record"))
	f.Close()

	status := mustCLI(t, "sweep", "status", dir)
	for _, want := range []string{"12 runs, 7 succeeded, 1 failed, 4 not run", "rerun tasks 0, 1 of 2", "sbatch --array=0,1"} {
		if !strings.Contains(status, want) {
			t.Errorf("status lacks %q:\n%s", want, status)
		}
	}
	_, _, err = cli(t, context.Background(), "sweep", "merge", dir)
	for _, want := range []string{"5 of 12 runs have no result", "4 never ran: 5, 7, 9, 11", "run 4 failed in task-0000-of-0002 (1 tries): injected failure"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("merge of an incomplete sweep: %v, want %q", err, want)
		}
	}

	// Rerun both: only the failed and the unfinished runs run.
	sweepRunHook = func(int) error { return nil }
	out = mustCLI(t, "sweep", "run", dir, "--task", "0", "--tasks", "2")
	if runs, start := ranRuns(t, out); fmt.Sprint(runs) != "[4]" || *start.Skipped != 5 {
		t.Errorf("rerun of task 0 ran %v (skipped %d), want [4] (5)", runs, *start.Skipped)
	}
	out = mustCLI(t, "sweep", "run", dir, "--task", "1", "--tasks", "2", "--workers", "1")
	rerun, start := ranRuns(t, out)
	if len(rerun) != 4 || *start.Skipped != 2 {
		t.Errorf("rerun of task 1 ran %v (skipped %d), want 4 runs (2)", rerun, *start.Skipped)
	}
	for _, r := range rerun {
		for _, k := range killedRuns {
			if r == k {
				t.Errorf("run %d ran again", r)
			}
		}
	}
	// Done runs are skipped even when the sweep is re-split.
	out = mustCLI(t, "sweep", "run", dir, "--task", "2", "--tasks", "3")
	if runs, start := ranRuns(t, out); len(runs) != 0 || *start.Skipped != 4 {
		t.Errorf("re-split task ran %v, skipped %d", runs, *start.Skipped)
	}
	mustCLI(t, "sweep", "merge", dir)
	sameMerged(t, "resumed sweep", readMerged(t, dir), want)
}

func TestSweepStopOnError(t *testing.T) {
	dir := plan(t)
	defer func() { sweepRunHook = func(int) error { return nil } }()
	sweepRunHook = func(r int) error { return errors.New("injected failure") }
	out, _, err := cli(t, context.Background(), "sweep", "run", dir, "--on-error", "stop", "--workers", "1")
	if err == nil || !strings.Contains(err.Error(), "run 0 failed: injected failure (stopping: --on-error stop)") {
		t.Errorf("got %v", err)
	}
	if n := strings.Count(out, `"event":"run"`); n != 1 {
		t.Errorf("%d runs tried after the first failure, want 1:\n%s", n, out)
	}
}

func TestSweepSlurmGolden(t *testing.T) {
	dir := plan(t)
	out := mustCLI(t, "sweep", "slurm", dir, "--tasks", "4", "--concurrent", "2", "--partition", "short", "--time", "00:20:00", "--binary", "/opt/migrasim/bin/migrasim")
	golden(t, "sweep-slurm.stdout", []byte(strings.ReplaceAll(out, dir, "DIR")))
	for _, f := range []string{"sweep.sbatch", "merge.sbatch", "submit.sh"} {
		b, err := os.ReadFile(filepath.Join(dir, "slurm", f))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "sweep-slurm."+f, []byte(strings.ReplaceAll(string(b), dir, "DIR")))
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--tasks", "13"}, "more tasks than the 12 runs"},
		{[]string{"--time", "1 hour"}, "--time \"1 hour\": want minutes"},
		{[]string{"--partition", "a b"}, "no spaces or shell characters"},
	} {
		if _, _, err := cli(t, context.Background(), append([]string{"sweep", "slurm", dir}, tt.args...)...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want %q", tt.args, err, tt.want)
		}
	}
}

// The task comes from the flags, then Slurm's environment, then 0 of 1.
func TestSweepHelp(t *testing.T) {
	out := mustCLI(t, "help", "sweep")
	for _, want := range []string{"migrasim sweep plan SPEC --out DIR", "deportation-feedback"} {
		if !strings.Contains(out, want) {
			t.Errorf("sweep help lacks %q:\n%s", want, out)
		}
	}
	if _, _, err := cli(t, context.Background(), "sweep", "frob"); err == nil || !strings.Contains(err.Error(), `unknown command "frob"`) {
		t.Errorf("sweep frob: %v", err)
	}
	if _, _, err := cli(t, context.Background(), "sweep", "run", t.TempDir()); err == nil || !strings.Contains(err.Error(), "no sweep plan here") {
		t.Errorf("run without a plan: %v", err)
	}
}
