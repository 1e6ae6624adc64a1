package sweep

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"migrasim/results"
	"migrasim/sim"
)

// fakeSeries is a run's series with values that identify it.
func fakeSeries(run int) *sim.Series {
	s := &sim.Series{Scenario: "s-p0" + string(rune('0'+run/2)), Replicate: run % 2, Start: sim.MonthOf(2014, 6), Months: 3}
	s.Values = make([]float64, s.Months*int(sim.NumCountries)*int(sim.NumMetrics))
	for i := range s.Values {
		s.Values[i] = float64(run*1000+i) + 0.125
	}
	return s
}

// A record gives back the exact values, NaN included.
func TestRunRecord(t *testing.T) {
	s := fakeSeries(3)
	s.Values[1] = math.NaN()
	s.Values[2] = math.Inf(-1)
	run, got, err := ReadRunRecord(AppendRunRecord(nil, 3, s))
	if err != nil {
		t.Fatal(err)
	}
	if run != 3 || got.Scenario != s.Scenario || got.Replicate != 1 || got.Start != s.Start || got.Months != 3 {
		t.Errorf("header: run %d, %+v", run, got)
	}
	for i := range s.Values {
		if math.Float64bits(got.Values[i]) != math.Float64bits(s.Values[i]) {
			t.Fatalf("value %d = %v, want %v", i, got.Values[i], s.Values[i])
		}
	}
	rec := AppendRunRecord(nil, 3, s)
	for _, bad := range [][]byte{rec[:len(rec)-1], append([]byte("XXXX"), rec[4:]...), nil} {
		if _, _, err := ReadRunRecord(bad); err == nil {
			t.Error("no error for a damaged record")
		}
	}
}

// A task keeps what succeeded across reopenings, cuts off a torn record,
// drops a record that fails its check, and cannot be opened twice at once.
func TestTaskResume(t *testing.T) {
	dir := t.TempDir()
	pl := testPlan(t, dir, 5, 2)
	task, err := OpenTask(pl, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenTask(pl, 1, 3); err == nil || !strings.Contains(err.Error(), "another copy of this task is running") {
		t.Errorf("second open: %v", err)
	}
	for _, r := range []int{1, 4} {
		if err := task.Record(r, fakeSeries(r), 0.5); err != nil {
			t.Fatal(err)
		}
	}
	if err := task.Fail(7, errors.New("boom"), 0.1); err != nil {
		t.Fatal(err)
	}
	task.Close()

	// A kill in the middle of writing run 7's record: half a record at the end.
	runs := filepath.Join(dir, TasksDir, "task-0001-of-0003.runs")
	rec := AppendRunRecord(nil, 7, fakeSeries(7))
	f, _ := os.OpenFile(runs, os.O_APPEND|os.O_WRONLY, 0)
	f.Write(rec[:len(rec)/2])
	f.Close()
	size := func() int64 { fi, _ := os.Stat(runs); return fi.Size() }
	torn := size()

	task, err = OpenTask(pl, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	if st, ok := task.Status(4); !ok || st.Status != Succeeded || st.Attempts != 1 {
		t.Errorf("run 4: %+v, %v", st, ok)
	}
	if st, ok := task.Status(7); !ok || st.Status != Failed || st.Error != "boom" {
		t.Errorf("run 7: %+v, %v", st, ok)
	}
	if got := size(); got != torn-int64(len(rec)/2) {
		t.Errorf("torn record not cut off: %d bytes, want %d", got, torn-int64(len(rec)/2))
	}
	if err := task.Record(7, fakeSeries(7), 0.2); err != nil {
		t.Fatal(err)
	}
	task.Close()

	// Damage run 1's record: the next open drops it, so it runs again.
	b, _ := os.ReadFile(runs)
	b[10] ^= 0xff
	os.WriteFile(runs, b, 0o644)
	task, err = OpenTask(pl, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer task.Close()
	if !reflect.DeepEqual(task.Dropped, []int{1}) {
		t.Errorf("dropped %v, want [1]", task.Dropped)
	}
	if _, ok := task.Status(1); ok {
		t.Error("run 1 still listed")
	}
	st, _ := task.Status(7)
	if st.Status != Succeeded || st.Attempts != 2 {
		t.Errorf("run 7 after retry: %+v", st)
	}
	all, err := ReadStatuses(dir)
	if err != nil || len(all) != 1 || all[0].Name != "task-0001-of-0003" || len(all[0].Runs) != 2 {
		t.Errorf("ReadStatuses = %+v, %v", all, err)
	}
}

// testPlan writes a plan of points x replicates runs over one key.
func testPlan(t *testing.T, dir string, points, reps int) *Plan {
	t.Helper()
	h := &PlanHeader{Sweep: "s", Engine: sim.Version, Keys: []string{"feedback.strength"}, Points: points, Replicates: reps, Runs: points * reps, Seeds: "common"}
	var runs []PlanRun
	for p := range points {
		for r := range reps {
			v, _ := json.Marshal(float64(p) / 2)
			runs = append(runs, PlanRun{Run: len(runs), Point: p, Replicate: r, Scenario: "s-p0" + string(rune('0'+p)), Seed: 9,
				Params: ParamValues{{Key: "feedback.strength", Value: v}}})
		}
	}
	if err := WritePlan(dir, h, []byte("name = \"s\"\n"), runs); err != nil {
		t.Fatal(err)
	}
	pl, err := ReadPlan(dir)
	if err != nil {
		t.Fatal(err)
	}
	return pl
}

func TestPlanFiles(t *testing.T) {
	dir := t.TempDir()
	pl := testPlan(t, dir, 3, 2)
	if len(pl.Runs) != 6 || pl.Runs[5].Point != 2 || string(pl.Runs[5].Params[0].Value) != "1" || pl.Header.Keys[0] != "feedback.strength" {
		t.Errorf("plan read back: %+v", pl.Runs[5])
	}
	if got := pl.TaskRuns(1, 4); !reflect.DeepEqual(got, []int{1, 5}) {
		t.Errorf("task 1 of 4 runs %v, want [1 5]", got)
	}
	if err := WritePlan(dir, &pl.Header, pl.Base, pl.Runs); !errors.Is(err, ErrSamePlan) {
		t.Errorf("same plan again: %v", err)
	}
	if err := WritePlan(dir, &pl.Header, []byte("name = \"other\"\n"), pl.Runs); err == nil || !strings.Contains(err.Error(), "already holds a different plan") {
		t.Errorf("different plan: %v", err)
	}
	os.WriteFile(filepath.Join(dir, PlanRunsFile), []byte("{}\n"), 0o644)
	if _, err := ReadPlan(dir); err == nil || !strings.Contains(err.Error(), "changed since it was planned") {
		t.Errorf("tampered plan: %v", err)
	}
	if _, err := ReadPlan(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no sweep plan here") {
		t.Errorf("no plan: %v", err)
	}
}

// Merging reports missing and failed runs and writes nothing then; with all
// runs present, the outputs do not depend on which task ran what.
func TestMergeSweep(t *testing.T) {
	dir := t.TempDir()
	pl := testPlan(t, dir, 3, 2)
	a, _ := OpenTask(pl, 0, 2)
	for _, r := range pl.TaskRuns(0, 2) {
		a.Record(r, fakeSeries(r), 1)
	}
	a.Close()
	b, _ := OpenTask(pl, 1, 2)
	b.Record(1, fakeSeries(1), 1)
	b.Fail(3, errors.New("disk full"), 1)
	b.Close()

	out := filepath.Join(dir, "merged")
	rep, err := MergeSweep(context.Background(), pl, out, &results.Manifest{})
	if err == nil {
		t.Fatal("no error with runs missing")
	}
	for _, want := range []string{"2 of 6 runs have no result", "1 never ran: 5", "run 3 failed in task-0001-of-0002 (1 tries): disk full"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if rep.Succeeded != 4 || !reflect.DeepEqual(rep.Missing, []int{5}) || len(rep.Failed) != 1 {
		t.Errorf("report %+v", rep)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("an incomplete merge wrote its folder")
	}

	b, _ = OpenTask(pl, 1, 2)
	b.Record(3, fakeSeries(3), 1)
	b.Record(5, fakeSeries(5), 1)
	b.Close()
	if _, err := MergeSweep(context.Background(), pl, out, &results.Manifest{}); err != nil {
		t.Fatal(err)
	}
	// The same results from one task, in another order of completion.
	dir1 := t.TempDir()
	pl1 := testPlan(t, dir1, 3, 2)
	one, _ := OpenTask(pl1, 0, 1)
	for _, r := range []int{5, 2, 0, 4, 1, 3} {
		one.Record(r, fakeSeries(r), 1)
	}
	one.Close()
	out1 := filepath.Join(dir1, "merged")
	if _, err := MergeSweep(context.Background(), pl1, out1, &results.Manifest{}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{MergedSeries, MergedSummary, MergedRuns} {
		x, _ := os.ReadFile(filepath.Join(out, f))
		y, _ := os.ReadFile(filepath.Join(out1, f))
		if len(x) == 0 || string(x) != string(y) {
			t.Errorf("%s differs between a 2-task and a 1-task sweep", f)
		}
	}
	runs, _ := os.ReadFile(filepath.Join(out, MergedRuns))
	lines := strings.Split(string(runs), "\n")
	if !strings.HasPrefix(lines[0], "run,point,scenario,replicate,seed,feedback.strength,SV_departures_uac,") ||
		!strings.HasPrefix(lines[6], "5,2,s-p02,1,9,1,") || len(lines) != 8 {
		t.Errorf("runs.csv:\n%s", runs)
	}
	series, _ := os.ReadFile(filepath.Join(out, MergedSeries))
	if n := strings.Count(string(series), "scenario,replicate,month"); n != 1 {
		t.Errorf("series.csv has %d headers", n)
	}

	// A run with two different results is an error, not a silent pick.
	c, _ := OpenTask(pl, 0, 3)
	other := fakeSeries(0)
	other.Values[0]++
	c.Record(0, other, 1)
	c.Close()
	if _, err := MergeSweep(context.Background(), pl, out, &results.Manifest{}); err == nil || !strings.Contains(err.Error(), "different results") {
		t.Errorf("conflicting copies: %v", err)
	}
}

func TestRunList(t *testing.T) {
	for _, tt := range []struct {
		runs []int
		want string
	}{
		{[]int{3}, "3"},
		{[]int{1, 2, 3, 4, 9, 12, 13}, "1-4, 9, 12-13"},
	} {
		if got := runList(tt.runs); got != tt.want {
			t.Errorf("runList(%v) = %q, want %q", tt.runs, got, tt.want)
		}
	}
}

func TestTaskSlot(t *testing.T) {
	tests := []struct {
		task, tasks int
		id, count   string
		want        string // "i/n" or an error substring
	}{
		{-1, 0, "", "", "0/1"},
		{2, 4, "", "", "2/4"},
		{-1, 0, "3", "4", "3/4"},
		{-1, 4, "1", "", "1/4"},
		{1, 0, "3", "4", "1/4"},
		{2, 0, "", "", "--task needs --tasks"},
		{-1, 0, "4", "4", "task 4 of 4: want 0 <= task < tasks"},
		{-1, 0, "x", "4", `SLURM_ARRAY_TASK_ID="x" is not a whole number`},
	}
	for _, tt := range tests {
		t.Setenv("SLURM_ARRAY_TASK_ID", tt.id)
		t.Setenv("SLURM_ARRAY_TASK_COUNT", tt.count)
		i, n, err := TaskSlot(tt.task, tt.tasks)
		got := fmt.Sprintf("%d/%d", i, n)
		if err != nil {
			got = err.Error()
		}
		if !strings.Contains(got, tt.want) {
			t.Errorf("TaskSlot(%d, %d) with id %q count %q = %s, want %s", tt.task, tt.tasks, tt.id, tt.count, got, tt.want)
		}
	}
}

// Records are tied to their plan: after the plan files are deleted and a
// different plan is made in the folder, the old records are refused, not
// skipped and merged as the new plan's (issue 14, item 1).
func TestStaleRecords(t *testing.T) {
	dir := t.TempDir()
	pl := testPlan(t, dir, 3, 2)
	task, err := OpenTask(pl, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	for r := range pl.Runs {
		task.Record(r, fakeSeries(r), 1)
	}
	task.Close()
	for _, f := range []string{PlanHeaderFile, PlanRunsFile, PlanBaseFile} {
		os.Remove(filepath.Join(dir, f))
	}
	// The same runs on another base scenario (another scale, say).
	h := pl.Header
	if err := WritePlan(dir, &h, []byte("name = \"s\"\nscale = 0.002\n"), pl.Runs); err == nil || !strings.Contains(err.Error(), "holds results of another plan") {
		t.Fatalf("planning over old results: %v", err)
	}
	// Had the plan been made anyway (tasks/ moved aside and back), nothing
	// takes the old records for the new plan's.
	aside := filepath.Join(t.TempDir(), "tasks")
	os.Rename(filepath.Join(dir, TasksDir), aside)
	if err := WritePlan(dir, &h, []byte("name = \"s\"\nscale = 0.002\n"), pl.Runs); err != nil {
		t.Fatal(err)
	}
	os.Rename(aside, filepath.Join(dir, TasksDir))
	pl2, err := ReadPlan(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := "task-0000-of-0001.status holds results of another plan"
	if _, err := OpenTask(pl2, 0, 1); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("OpenTask: %v, want %q", err, want)
	}
	pr, err := ReadProgress(dir, 0)
	if err != nil || len(pr.Done) != 0 || pr.Complete() || len(pr.Unused) != 1 || !strings.Contains(pr.Unused[0].Error(), want) {
		t.Errorf("progress: %+v, %v", pr, err)
	}
	if _, err := MergeSweep(context.Background(), pl2, filepath.Join(dir, "merged"), &results.Manifest{}); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("merge: %v", err)
	}
	// A new engine version is another plan too.
	h.Engine = "0.0.0-other"
	if h.ID() == pl.Header.ID() {
		t.Error("the plan ID does not depend on the engine version")
	}
}

// Status checks what merge checks, and says which file to delete or task
// to rerun; a cut-short status file is named, not "unexpected end of JSON
// input" (issue 14, item 11).
func TestStatusVerifies(t *testing.T) {
	dir := t.TempDir()
	pl := testPlan(t, dir, 3, 2)
	for i := range 2 {
		task, err := OpenTask(pl, i, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range pl.TaskRuns(i, 2) {
			task.Record(r, fakeSeries(r), 1)
		}
		task.Close()
	}
	if pr, err := ReadProgress(dir, 0); err != nil || !pr.Complete() {
		t.Fatalf("complete sweep: %+v, %v", pr, err)
	}
	// Damage run 3's record (task 1 of 2).
	runs := filepath.Join(dir, TasksDir, "task-0001-of-0002.runs")
	b, _ := os.ReadFile(runs)
	b[len(b)-3] ^= 0xff
	os.WriteFile(runs, b, 0o644)
	pr, err := ReadProgress(dir, 0)
	if err != nil || pr.Complete() || len(pr.Damaged) != 1 || pr.Damaged[0].Run != 5 || fmt.Sprint(pr.Owners) != "[1]" {
		t.Fatalf("damaged record: %+v, %v", pr, err)
	}
	wantRerun := fmt.Sprintf("'migrasim sweep run %s --task 1 --tasks 2' runs it again", dir)
	for _, want := range []string{"run 5: " + runs + ": record at", "does not match its SHA-256", wantRerun} {
		if !strings.Contains(pr.Err().Error(), want) {
			t.Errorf("status error lacks %q:\n%v", want, pr.Err())
		}
	}
	out := filepath.Join(dir, "merged")
	if _, err := MergeSweep(context.Background(), pl, out, &results.Manifest{}); err == nil || !strings.Contains(err.Error(), wantRerun) {
		t.Errorf("merge: %v", err)
	}
	// A missing .runs file: every succeeded run of the task has no record.
	os.Remove(runs)
	if pr, _ := ReadProgress(dir, 0); len(pr.Damaged) != 3 || !strings.Contains(pr.Err().Error(), "cannot be read") {
		t.Errorf("missing runs file: %+v", pr)
	}
	// A status file cut short.
	status := filepath.Join(dir, TasksDir, "task-0000-of-0002.status")
	b, _ = os.ReadFile(status)
	os.WriteFile(status, b[:len(b)-20], 0o644)
	want := status + ":3: damaged"
	pr, err = ReadProgress(dir, 0)
	if err != nil || len(pr.Unused) != 1 || !strings.Contains(pr.Unused[0].Error(), want) || !strings.Contains(pr.Unused[0].Error(), "delete "+status) {
		t.Errorf("cut-short status: %+v, %v", pr, err)
	}
	if _, err := OpenTask(pl, 0, 2); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("OpenTask of a cut-short status: %v", err)
	}
	// Another task opens and runs, whatever the damaged file.
	if task, err := OpenTask(pl, 1, 2); err != nil {
		t.Errorf("OpenTask of another task: %v", err)
	} else {
		task.Close()
	}
}

// A design point whose values would make a plan line too long for the
// reader is refused when planned (issue 14, item 11).
func TestPlanLineLimit(t *testing.T) {
	long := strings.Repeat("x", MaxPlanLine)
	s, err := Parse("s.toml", []byte("name = \"s\"\nmonths = 12\n[sweep.grid]\ndescription = [\"short\", \""+long+"\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Plan(context.Background(), "s.toml", nil); err == nil || !strings.Contains(err.Error(), "design point 1: its values are") {
		t.Errorf("got %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := s.Plan(ctx, "s.toml", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("planning after an interrupt: %v", err)
	}
	if err := s.Check(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("checking after an interrupt: %v", err)
	}
}
