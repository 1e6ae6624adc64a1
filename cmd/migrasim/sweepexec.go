package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"migrasim/results"
	"migrasim/sim"
)

// execute runs todo with up to t.workers runs at once, their shards sharing
// t.workers goroutines, and records each run as it finishes.
func (t *sweepTask) execute(ctx context.Context, task *results.Task, todo []int, l *runLog) (succeeded, failed int, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pool := sim.NewPool(t.workers)
	defer pool.Close()
	var mu sync.Mutex
	runs := sim.NewPool(min(t.workers, len(todo)))
	defer runs.Close()
	runs.Run(len(todo), func(i int) {
		if ctx.Err() != nil {
			return
		}
		r := todo[i]
		began := time.Now()
		s, runErr := t.simulate(ctx, r, pool.Run)
		if runErr != nil && ctx.Err() != nil {
			return // interrupted: the run is neither done nor failed
		}
		secs := time.Since(began).Seconds()
		recErr := t.record(task, r, s, runErr, secs)
		l.finished(r, t.plan.Runs[r].Replicate, t.plan.Runs[r].Scenario, secs, runErr)
		mu.Lock()
		defer mu.Unlock()
		if runErr == nil {
			succeeded++
		} else {
			failed++
		}
		if err == nil && recErr != nil {
			err = recErr
		}
		if err == nil && runErr != nil && t.stopOnError {
			err = fmt.Errorf("run %d failed: %w (stopping: --on-error stop)", r, runErr)
		}
		if err != nil {
			cancel()
		}
	})
	return succeeded, failed, err
}

// record stores the outcome of run r in the task's files.
func (t *sweepTask) record(task *results.Task, r int, s *sim.Series, runErr error, secs float64) error {
	if runErr != nil {
		return task.Fail(r, runErr, secs)
	}
	return task.Record(r, s, secs)
}

// simulate runs one run: replicate pr.Replicate of its design point. A
// panic in the engine fails the run, not the task.
func (t *sweepTask) simulate(ctx context.Context, r int, ex sim.Executor) (s *sim.Series, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v", v)
		}
	}()
	if err := sweepRunHook(r); err != nil {
		return nil, err
	}
	p, err := t.params(r)
	if err != nil {
		return nil, err
	}
	w, err := sim.New(p, t.plan.Runs[r].Replicate, ex)
	if err != nil {
		return nil, err
	}
	for !w.Done() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		w.Step(ex)
	}
	return w.Series(), nil
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

// sweepRunHook lets tests make a run fail or stall; it does nothing otherwise.
var sweepRunHook = func(run int) error { return nil }
