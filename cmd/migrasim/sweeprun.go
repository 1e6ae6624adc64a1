package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
)

func init() {
	registerSweep(command{name: "sweep run",
		usage:   "DIR [--task I --tasks N] [--workers W] [--on-error continue|stop] [--log auto|json|text] [--quiet]",
		summary: "run the runs of one task of a planned sweep (all of them by default)",
		run:     runSweepRun})
}

const sweepRunDetails = `
Task I of N runs the runs I, I+N, I+2N, … of DIR/plan.jsonl. Without --task
and --tasks, they come from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT,
and without those the task is 0 of 1: the whole sweep in this process.

Results go to DIR/tasks/task-I-of-N.runs, and each run's outcome (succeeded,
or failed with its error) to the status log DIR/tasks/task-I-of-N.status,
both written so that a task killed at any moment leaves nothing half-done
that a later try would trust. Running a task again skips the runs that
already succeeded (in any task's files) and tries the others: resume after a
time limit, a node failure or a failed run by running the same command.

With --on-error continue (the default) a failing run is recorded and the
others go on; with stop, the task stops at the first failure. Either way the
exit status is 1 if any run failed.

Progress goes to a progress bar when stderr is a terminal; otherwise (or with
--log json) one JSON object per line goes to stdout for each finished run,
with a "start" and an "end" line, for cluster logs.`

// sweepTask is one task of a sweep, ready to run.
type sweepTask struct {
	plan        *results.Plan
	base        *sim.Params
	index, of   int
	workers     int
	stopOnError bool
}

func runSweepRun(ctx context.Context, e *env, args []string) error {
	fs := newFlags(findSweep("run"), e, sweepRunDetails)
	task := fs.Int("task", -1, "this task's index, from 0 (default: $SLURM_ARRAY_TASK_ID, or 0)")
	tasks := fs.Int("tasks", 0, "number of tasks the sweep is split into (default: $SLURM_ARRAY_TASK_COUNT, or 1)")
	workers := fs.Int("workers", 0, "goroutines to use (default: $SLURM_CPUS_PER_TASK, or all cores); never changes results")
	onError := fs.String("on-error", "continue", "after a failed run: continue with the others, or stop")
	logMode := fs.String("log", "auto", "progress: text (a progress bar), json (a line per run), or auto (text on a terminal)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("sweep run: want the plan's folder, got %d arguments", len(pos))
	}
	if *onError != "continue" && *onError != "stop" {
		return fmt.Errorf("sweep run: --on-error %q: want continue or stop", *onError)
	}
	if *logMode != "auto" && *logMode != "json" && *logMode != "text" {
		return fmt.Errorf("sweep run: --log %q: want auto, json or text", *logMode)
	}
	t := &sweepTask{stopOnError: *onError == "stop"}
	if t.index, t.of, err = taskSlot(*task, *tasks); err != nil {
		return err
	}
	if t.workers, err = taskWorkers(*workers); err != nil {
		return err
	}
	if err := t.load(pos[0]); err != nil {
		return err
	}
	l := &runLog{e: e, json: *logMode == "json" || (*logMode == "auto" && !e.tty), quiet: *quiet, task: t.index, tasks: t.of}
	return t.run(ctx, l)
}

// taskSlot resolves the task index and count from the flags, then Slurm's
// environment, then the default of one task.
func taskSlot(task, tasks int) (int, int, error) {
	fromEnv := func(name string) (int, bool, error) {
		s := os.Getenv(name)
		if s == "" {
			return 0, false, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, false, fmt.Errorf("sweep run: %s=%q is not a whole number", name, s)
		}
		return n, true, nil
	}
	if tasks == 0 {
		n, ok, err := fromEnv("SLURM_ARRAY_TASK_COUNT")
		if err != nil {
			return 0, 0, err
		}
		tasks = 1
		if ok {
			tasks = n
		} else if task >= 0 {
			return 0, 0, errors.New("sweep run: --task needs --tasks (the number of tasks the sweep is split into)")
		}
	}
	if task < 0 {
		n, ok, err := fromEnv("SLURM_ARRAY_TASK_ID")
		if err != nil {
			return 0, 0, err
		}
		task = 0
		if ok {
			task = n
		}
	}
	if tasks < 1 || task < 0 || task >= tasks {
		return 0, 0, fmt.Errorf("sweep run: task %d of %d: want 0 <= task < tasks (tasks count from 0, like --array=0-%d)", task, tasks, max(tasks-1, 0))
	}
	return task, tasks, nil
}

func taskWorkers(w int) (int, error) {
	if w < 0 {
		return 0, fmt.Errorf("sweep run: --workers %d: want 0 (automatic) or more", w)
	}
	if w > 0 {
		return w, nil
	}
	if s := os.Getenv("SLURM_CPUS_PER_TASK"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n, nil
		}
	}
	return runtime.GOMAXPROCS(0), nil
}

// load reads the plan and its base scenario, and checks that this binary
// is the one the plan was made for.
func (t *sweepTask) load(dir string) error {
	pl, err := results.ReadPlan(dir)
	if err != nil {
		return err
	}
	h := &pl.Header
	if h.Engine != sim.Version {
		return fmt.Errorf("%s: planned with engine %s, this migrasim is %s: its results would not match; use the same migrasim, or plan again", dir, h.Engine, sim.Version)
	}
	if data := hex.EncodeToString(scenarios.DataHash()); h.DataHash != data {
		return fmt.Errorf("%s: planned with other scenario data (SHA-256 %.12s…, this migrasim has %.12s…): use the same migrasim, or plan again", dir, h.DataHash, data)
	}
	base, err := scenarios.Parse(filepath.Join(dir, results.PlanBaseFile), pl.Base)
	if err != nil {
		return err
	}
	t.plan, t.base = pl, base
	return nil
}

// params resolves the scenario of run r.
func (t *sweepTask) params(r int) (*sim.Params, error) {
	pr := &t.plan.Runs[r]
	values := make([]any, len(pr.Params))
	for i, p := range pr.Params {
		v, err := decodeJSONValue(p.Value)
		if err != nil {
			return nil, fmt.Errorf("plan run %d: %s: %w", r, p.Key, err)
		}
		values[i] = v
	}
	return scenarios.Resolve(t.base, pr.Scenario, pr.Seed, t.plan.Header.Replicates, t.plan.Header.Keys, values)
}

// run runs the task's runs that no task has finished.
func (t *sweepTask) run(ctx context.Context, l *runLog) error {
	start := time.Now()
	task, err := results.OpenTask(t.plan.Dir, t.index, t.of)
	if err != nil {
		return err
	}
	defer task.Close()
	if len(task.Dropped) > 0 {
		fmt.Fprintf(l.e.stderr, "%s: the results of runs %v failed their check (a damaged file?); they run again\n", task.Name, task.Dropped)
	}
	doneElsewhere, err := t.finishedElsewhere(task.Name)
	if err != nil {
		return err
	}
	mine := t.plan.TaskRuns(t.index, t.of)
	var todo []int
	for _, r := range mine {
		if st, ok := task.Status(r); ok && st.Status == results.Succeeded {
			continue
		}
		if doneElsewhere[r] {
			continue
		}
		todo = append(todo, r)
	}
	skipped := len(mine) - len(todo)
	host, _ := os.Hostname()
	l.total = len(todo)
	l.start(len(mine), skipped, t.workers, host)

	succeeded, failed, err := t.execute(ctx, task, todo, l)
	files := fmt.Sprintf("results in %s.{runs,status}", filepath.Join(t.plan.Dir, results.TasksDir, task.Name))
	l.end(len(mine), skipped, succeeded, failed, time.Since(start), files)
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("interrupted after %d of %d runs; the finished runs are kept: run the same command again to resume", succeeded+failed, len(todo))
	case err != nil:
		return err
	case failed > 0:
		return fmt.Errorf("task %d of %d: %d of %d runs failed (see %s.status); fix the cause and run the task again to retry them",
			t.index, t.of, failed, len(todo), filepath.Join(t.plan.Dir, results.TasksDir, task.Name))
	}
	return nil
}

// finishedElsewhere returns the runs that another task's files hold as
// succeeded (a sweep re-split into a different number of tasks).
func (t *sweepTask) finishedElsewhere(self string) (map[int]bool, error) {
	statuses, err := results.ReadStatuses(t.plan.Dir)
	if err != nil {
		return nil, err
	}
	done := map[int]bool{}
	for _, ts := range statuses {
		if ts.Name == self {
			continue
		}
		for _, st := range ts.Runs {
			if st.Status == results.Succeeded {
				done[st.Run] = true
			}
		}
	}
	return done, nil
}
