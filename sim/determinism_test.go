package sim

import (
	"context"
	"math"
	"slices"
	"testing"
)

// Same scenario and seed give identical series whatever the number of
// workers, with enough households for several shards.
func TestDeterministicAcrossWorkers(t *testing.T) {
	p := testParams(t)
	p.Scale = 0.05 // about 105k households: 4 shards
	p.Months = 18
	p.Replicates = 3
	var ref []Series
	for _, workers := range []int{1, 2, 7} {
		got, err := Run(context.Background(), p, Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if ref == nil {
			ref = got
			if n := len(newTestWorld(t, p).shards); n < 3 {
				t.Fatalf("only %d shards: the test needs several", n)
			}
			continue
		}
		for r := range ref {
			if !slices.EqualFunc(ref[r].Values, got[r].Values, func(a, b float64) bool {
				return math.Float64bits(a) == math.Float64bits(b)
			}) {
				t.Errorf("workers=%d: replicate %d differs from workers=1", workers, r)
			}
		}
	}
}

// Different replicates and seeds give different series.
func TestReplicatesDiffer(t *testing.T) {
	p := testParams(t)
	p.Replicates = 2
	got, err := Run(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(got[0].Values, got[1].Values) {
		t.Error("replicates 0 and 1 are identical")
	}
	p.Seed++
	other, err := Run(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(got[0].Values, other[0].Values) {
		t.Error("seeds 7 and 8 give identical replicate 0")
	}
}

// Cancelling the context stops the run with the context's error.
func TestRunCancelled(t *testing.T) {
	p := testParams(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, p, Options{}); err != context.Canceled {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

// Progress reaches the total exactly once per simulated month.
func TestProgress(t *testing.T) {
	p := testParams(t)
	p.Replicates = 2
	p.Months = 6
	last, calls := 0, 0
	_, err := Run(context.Background(), p, Options{Workers: 2, Progress: func(done, total int) {
		calls++
		last = done
		if total != 2*(6+warmup) {
			t.Errorf("total %d", total)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 2*(6+warmup) || last != calls {
		t.Errorf("%d calls, last %d", calls, last)
	}
}

// The decision loop allocates nothing once the shard's slices have grown.
func TestDecideDoesNotAllocate(t *testing.T) {
	p := testParams(t)
	w := newTestWorld(t, p)
	w.Step(Serial)
	s := &w.shards[0]
	s.travel = make([]traveller, 0, 1<<16)
	s.cam = make([]camApp, 0, 1<<12)
	allocs := testing.AllocsPerRun(20, func() {
		s.travel = s.travel[:0]
		s.decide(w)
	})
	if allocs != 0 {
		t.Errorf("decide allocates %.1f times per month", allocs)
	}
}
