package calibrate

import (
	"cmp"
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/optimize"
)

// nelderMead minimises the distance from x0 in a space where each prior range
// maps onto the whole line (x = low + (high-low)·logistic(z)). Progress is
// counted by a gonum optimize.Recorder, outside the objective.
func (f *fitter) nelderMead(ctx context.Context, x0 []float64, budget int) (*Result, error) {
	z0 := f.toZ(x0)
	label := cmp.Or(f.label, "nelder-mead")
	var samples []Sample
	var runErr error
	problem := optimize.Problem{Func: func(z []float64) float64 {
		if runErr != nil || ctx.Err() != nil {
			return math.Inf(1)
		}
		x := f.toX(z)
		s, ok, err := f.journal.next(label, x)
		if err == nil && !ok {
			s.X, s.Method = x, label
			s.Distance, err = f.distance(ctx, x, f.workers)
			if err == nil && ctx.Err() == nil {
				f.journal.add(s)
				if f.journal.due(f.workers) {
					err = f.journal.flush()
				}
			}
		}
		if err != nil {
			runErr = err
			return math.Inf(1)
		}
		samples = append(samples, s)
		return s.Distance
	}}
	// Restart from the best point with a fresh simplex whenever Nelder-Mead
	// converges, until the budget is spent.
	var err error
	for len(samples) < budget && runErr == nil && ctx.Err() == nil {
		before := len(samples)
		rec := &evalRecorder{report: f.ran}
		_, err = optimize.Minimize(problem, z0, &optimize.Settings{FuncEvaluations: budget - len(samples), Recorder: rec,
			Converger: &optimize.FunctionConverge{Absolute: 1e-4, Iterations: 40}}, &optimize.NelderMead{SimplexSize: 0.5})
		if ctx.Err() == nil && runErr == nil {
			runErr = f.journal.flush()
		}
		if len(samples) == before {
			break
		}
		z0 = f.toZ(bestOf(samples).X)
	}
	if runErr != nil {
		return nil, runErr
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil && len(samples) == 0 {
		return nil, fmt.Errorf("nelder-mead: %w", err)
	}
	best := bestOf(samples)
	return &Result{Best: best.X, BestDistance: best.Distance, Samples: samples}, nil
}

// evalRecorder is an optimize.Recorder that reports each new function
// evaluation.
type evalRecorder struct {
	report func(n int)
	seen   int
}

func (r *evalRecorder) Init() error { return nil }

func (r *evalRecorder) Record(_ *optimize.Location, _ optimize.Operation, s *optimize.Stats) error {
	if n := s.FuncEvaluations - r.seen; n > 0 {
		r.seen = s.FuncEvaluations
		r.report(n)
	}
	return nil
}
