package sim_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"migrasim/scenarios"
	"migrasim/sim"
)

// benchParams is the baseline at the given scale: one replicate, 120 months.
func benchParams(b testing.TB, scale float64) *sim.Params {
	b.Helper()
	p, err := scenarios.Load("status-quo")
	if err != nil {
		b.Fatal(err)
	}
	p.Scale, p.Months, p.Replicates = scale, 120, 1
	return p
}

// BenchmarkRun runs the baseline, every mechanism on, for ten years at three
// sizes and with one and two workers, and reports household-months per second
// (warm-up months included) and the peak heap.
func BenchmarkRun(b *testing.B) {
	for _, size := range []struct {
		name  string
		scale float64
	}{{"1e5", 0.0148}, {"1e6", 0.148}, {"full", 1}} {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("households=%s/workers=%d", size.name, workers), func(b *testing.B) {
				p := benchParams(b, size.scale)
				w, err := sim.New(p, 0, sim.Serial)
				if err != nil {
					b.Fatal(err)
				}
				households := w.Households()
				runtime.GC()
				b.ResetTimer()
				for range b.N {
					if _, err := sim.Run(context.Background(), p, sim.Options{Workers: workers}); err != nil {
						b.Fatal(err)
					}
				}
				hm := float64(households) * float64(p.Months+12) * float64(b.N)
				b.ReportMetric(hm/b.Elapsed().Seconds(), "household-months/s")
				b.ReportMetric(float64(households), "households")
			})
		}
	}
}

// BenchmarkDecide is the household decision step alone (step 3 for every
// shard) at full scale: the loop the numpy reference does.
func BenchmarkDecide(b *testing.B) {
	p := benchParams(b, 1)
	w, err := sim.New(p, 0, sim.Serial)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		sim.DecideOnly(w)
	}
	b.ReportMetric(float64(w.Households())*float64(b.N)/b.Elapsed().Seconds(), "household-months/s")
}

// BenchmarkInit builds the full-scale world (households, relatives abroad)
// without the warm-up, on one goroutine.
func BenchmarkInit(b *testing.B) {
	p := benchParams(b, 1)
	b.ReportAllocs()
	for range b.N {
		if _, err := sim.Build(p); err != nil {
			b.Fatal(err)
		}
	}
}
