package sweep

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
)

// Runner runs the runs of one task of a planned sweep: task Index of Of runs
// the runs Index, Index+Of, … of the plan that no task has finished yet, up to
// Workers at once, and records each in the task's files as it finishes.
type Runner struct {
	Plan *Plan
	Base *sim.Params // the plan's base.toml, resolved
	// B is a comparison sweep's scenario B (b.toml), resolved; nil otherwise.
	B *sim.Params

	window    results.Period       // a comparison sweep's policy window
	posterior *PosteriorComparison // a posterior sweep's comparison
	draws     []plannedDraw        // and its draws

	Index, Of   int  // this task and the number of tasks, 0 <= Index < Of
	Workers     int  // goroutines for the runs and their shards, at least 1; never changes results
	StopOnError bool // stop at the first failed run instead of going on with the others

	// Events, if set, receives a "start" event, one "run" event per finished
	// run and an "end" event; calls are serialised.
	Events func(Event)
	// BeforeRun, if set, is called before each run; an error fails the run.
	// Tests use it to inject failures and stalls.
	BeforeRun func(run int) error
}

// Event is a Runner's report, in the shape of the JSON lines 'migrasim sweep
// run --log json' prints; Time is left to the printer.
type Event struct {
	Time      string   `json:"time"`
	Event     string   `json:"event"` // start, run, end
	Task      int      `json:"task"`
	Tasks     int      `json:"tasks"`
	Run       *int     `json:"run,omitempty"`
	Scenario  string   `json:"scenario,omitempty"`
	Replicate *int     `json:"replicate,omitempty"`
	Status    string   `json:"status,omitempty"`
	Error     string   `json:"error,omitempty"`
	Seconds   *float64 `json:"seconds,omitempty"`
	Done      *int     `json:"done,omitempty"` // runs finished by this process so far
	Todo      *int     `json:"todo,omitempty"` // runs this process set out to do
	Runs      *int     `json:"runs,omitempty"` // runs of the task
	Skipped   *int     `json:"skipped,omitempty"`
	Succeeded *int     `json:"succeeded,omitempty"`
	Failed    *int     `json:"failed,omitempty"`
	Workers   int      `json:"workers,omitempty"`
	Host      string   `json:"host,omitempty"`
	Dropped   []int    `json:"dropped,omitempty"` // runs whose stored results failed their check and run again
	Files     string   `json:"-"`                 // where the task's results are, for people
}

func ptr[T any](v T) *T { return &v }

// Outcome counts what a Runner did.
type Outcome struct {
	Runs, Skipped, Succeeded, Failed int
}

// NewRunner reads the plan in dir and its base scenario for task index of
// of, and checks that this binary is the one the plan was made for.
func NewRunner(dir string, index, of, workers int) (*Runner, error) {
	if of < 1 || index < 0 || index >= of {
		return nil, fmt.Errorf("sweep run: task %d of %d: want 0 <= task < tasks (tasks count from 0, like --array=0-%d)", index, of, max(of-1, 0))
	}
	if workers < 1 || workers > scenarios.MaxWorkers() {
		return nil, fmt.Errorf("sweep run: %d workers: want 1 to %d", workers, scenarios.MaxWorkers())
	}
	pl, err := ReadPlan(dir)
	if err != nil {
		return nil, err
	}
	h := &pl.Header
	if h.Engine != sim.Version {
		return nil, fmt.Errorf("%s: planned with engine %s, this migrasim is %s: its results would not match; use the same migrasim, or plan again", dir, h.Engine, sim.Version)
	}
	if data := hex.EncodeToString(scenarios.DataHash()); h.DataHash != data {
		return nil, fmt.Errorf("%s: planned with other scenario data (SHA-256 %.12s…, this migrasim has %.12s…): use the same migrasim, or plan again", dir, h.DataHash, data)
	}
	base, err := scenarios.Parse(filepath.Join(dir, PlanBaseFile), pl.Base)
	if err != nil {
		return nil, err
	}
	t := &Runner{Plan: pl, Base: base, Index: index, Of: of, Workers: workers}
	if err := t.openPaired(); err != nil {
		return nil, err
	}
	return t, nil
}

// Params resolves the scenario of run r of the plan.
func (t *Runner) Params(r int) (*sim.Params, error) {
	pr := &t.Plan.Runs[r]
	values, err := t.pointValues(r)
	if err != nil {
		return nil, err
	}
	return Resolve(t.Base, pr.Scenario, pr.Seed, t.Plan.Header.Replicates, t.Plan.Header.Keys, values)
}

// pointValues decodes the values of run r's design point, in the order of
// the plan's keys.
func (t *Runner) pointValues(r int) ([]any, error) {
	pr := &t.Plan.Runs[r]
	values := make([]any, len(pr.Params))
	for i, p := range pr.Params {
		v, err := decodeJSONValue(p.Value)
		if err != nil {
			return nil, fmt.Errorf("plan run %d: %s: %w", r, p.Key, err)
		}
		values[i] = v
	}
	return values, nil
}

func (t *Runner) emit(ev Event) {
	if t.Events != nil {
		ev.Task, ev.Tasks = t.Index, t.Of
		t.Events(ev)
	}
}

// Run runs the task's runs that no task has finished. It returns an error
// when interrupted, when a record cannot be written, when a run fails with
// StopOnError, and when any run failed.
func (t *Runner) Run(ctx context.Context) (*Outcome, error) {
	start := time.Now()
	task, err := OpenTask(t.Plan, t.Index, t.Of)
	if err != nil {
		return nil, err
	}
	defer task.Close()
	doneElsewhere, err := t.finishedElsewhere(task.Name)
	if err != nil {
		return nil, err
	}
	mine := t.Plan.TaskRuns(t.Index, t.Of)
	var todo []int
	for _, r := range mine {
		if st, ok := task.Status(r); ok && st.Status == Succeeded {
			continue
		}
		if doneElsewhere[r] {
			continue
		}
		todo = append(todo, r)
	}
	out := &Outcome{Runs: len(mine), Skipped: len(mine) - len(todo)}
	host, _ := os.Hostname()
	t.emit(Event{Event: "start", Runs: ptr(out.Runs), Skipped: ptr(out.Skipped), Todo: ptr(len(todo)), Workers: t.Workers, Host: host, Dropped: task.Dropped})

	out.Succeeded, out.Failed, err = t.execute(ctx, task, todo)
	files := filepath.Join(t.Plan.Dir, TasksDir, task.Name)
	t.emit(Event{Event: "end", Runs: ptr(out.Runs), Skipped: ptr(out.Skipped), Succeeded: ptr(out.Succeeded), Failed: ptr(out.Failed),
		Todo: ptr(len(todo)), Seconds: ptr(time.Since(start).Seconds()), Files: files + ".{runs,status}"})
	switch {
	case ctx.Err() != nil:
		return out, fmt.Errorf("interrupted after %d of %d runs; the finished runs are kept: run the same command again to resume", out.Succeeded+out.Failed, len(todo))
	case err != nil:
		return out, err
	case out.Failed > 0:
		return out, fmt.Errorf("task %d of %d: %d of %d runs failed (see %s.status); fix the cause and run the task again to retry them",
			t.Index, t.Of, out.Failed, len(todo), files)
	}
	return out, nil
}

// finishedElsewhere returns the runs that another task's files of this
// plan hold as succeeded (a sweep re-split into a different number of
// tasks). Files that cannot be used (damaged, or another plan's) count for
// nothing here; status and merge name them.
func (t *Runner) finishedElsewhere(self string) (map[int]bool, error) {
	statuses, _, err := t.Plan.taskFiles()
	if err != nil {
		return nil, err
	}
	done := map[int]bool{}
	for _, ts := range statuses {
		if ts.Name == self {
			continue
		}
		for _, st := range ts.Runs {
			if st.Status == Succeeded {
				done[st.Run] = true
			}
		}
	}
	return done, nil
}

// execute runs todo with up to t.Workers runs at once, their shards sharing
// t.Workers goroutines, and records each run as it finishes.
func (t *Runner) execute(ctx context.Context, task *Task, todo []int) (succeeded, failed int, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pool := sim.NewPool(t.Workers)
	defer pool.Close()
	var mu sync.Mutex
	runs := sim.NewPool(min(t.Workers, len(todo)))
	defer runs.Close()
	runs.Run(len(todo), func(i int) {
		if ctx.Err() != nil {
			return
		}
		r := todo[i]
		began := time.Now()
		rec, runErr := t.simulate(ctx, r, pool.Run, max(1, t.Workers/min(t.Workers, len(todo))))
		if runErr != nil && ctx.Err() != nil {
			return // interrupted: the run is neither done nor failed
		}
		secs := time.Since(began).Seconds()
		var recErr error
		if runErr != nil {
			recErr = task.Fail(r, runErr, secs)
		} else {
			recErr = task.Store(r, rec, secs)
		}
		mu.Lock()
		defer mu.Unlock()
		status, msg := Succeeded, ""
		if runErr == nil {
			succeeded++
		} else {
			failed++
			status, msg = Failed, runErr.Error()
		}
		pr := &t.Plan.Runs[r]
		t.emit(Event{Event: "run", Run: ptr(r), Scenario: pr.Scenario, Replicate: ptr(pr.Replicate), Status: status,
			Error: msg, Seconds: ptr(secs), Done: ptr(succeeded + failed), Todo: ptr(len(todo))})
		if err == nil && recErr != nil {
			err = recErr
		}
		if err == nil && runErr != nil && t.StopOnError {
			err = fmt.Errorf("run %d failed: %w (stopping: --on-error stop)", r, runErr)
		}
		if err != nil {
			cancel()
		}
	})
	return succeeded, failed, err
}

// simulate runs one run and returns its record: replicate pr.Replicate of
// its design point on ex, or in a comparison sweep, the paired run of its
// point or draw on workers goroutines of its own. A panic in the engine
// fails the run, not the task.
func (t *Runner) simulate(ctx context.Context, r int, ex sim.Executor, workers int) (rec []byte, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v", v)
		}
	}()
	if t.BeforeRun != nil {
		if err := t.BeforeRun(r); err != nil {
			return nil, err
		}
	}
	if t.Plan.Header.Kind != KindRuns {
		return t.simulatePaired(ctx, r, workers)
	}
	p, err := t.Params(r)
	if err != nil {
		return nil, err
	}
	w, err := sim.New(p, t.Plan.Runs[r].Replicate, ex)
	if err != nil {
		return nil, err
	}
	for !w.Done() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		w.Step(ex)
	}
	return AppendRunRecord(nil, r, w.Series()), nil
}

// decodeJSONValue decodes a planned value, numbers as json.Number so that
// whole numbers stay whole.
func decodeJSONValue(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// TaskSlot resolves a task's index and the number of tasks from the values
// given (task < 0 and tasks 0 mean not given), then Slurm's job-array
// environment (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT), then the default
// of one task.
func TaskSlot(task, tasks int) (int, int, error) {
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

// TaskWorkers resolves the workers of a task: w if given (> 0), else
// SLURM_CPUS_PER_TASK, else all cores.
func TaskWorkers(w int) (int, error) {
	if err := scenarios.CheckWorkers("--workers", w); err != nil {
		return 0, fmt.Errorf("sweep run: %w", err)
	}
	if w > 0 {
		return w, nil
	}
	if s := os.Getenv("SLURM_CPUS_PER_TASK"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return min(n, scenarios.MaxWorkers()), nil
		}
	}
	return runtime.GOMAXPROCS(0), nil
}
