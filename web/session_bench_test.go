package web

import (
	"fmt"
	"testing"

	"migrasim/scenarios"
	"migrasim/sim"
)

// BenchmarkStep measures what a page waits for each month: stepping one or
// two sides (side-by-side mode) of the baseline through the server's pool,
// with the month's event encoded.
func BenchmarkStep(b *testing.B) {
	for _, scale := range []float64{0.01, 0.05} {
		for _, sides := range []int{1, 2} {
			b.Run(fmt.Sprintf("scale=%g/sides=%d", scale, sides), func(b *testing.B) {
				s, err := New(Config{})
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				var params []*sim.Params
				for range sides {
					p, err := scenarios.Load("status-quo")
					if err != nil {
						b.Fatal(err)
					}
					p.Scale, p.Months = scale, 600
					params = append(params, p)
				}
				ss := newSession(s, "bench")
				if err := ss.setup(params); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				for i := 0; b.Loop(); i++ {
					if i > 0 && i%600 == 0 {
						b.StopTimer()
						ss.setup(params)
						b.StartTimer()
					}
					ss.mu.Lock()
					ss.stepLocked()
					ss.mu.Unlock()
				}
			})
		}
	}
}
