package sensitivity

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Bootstrap configures the percentile bootstrap intervals of the indices.
type Bootstrap struct {
	// Resamples is the number of bootstrap resamples R of the N base rows,
	// drawn with replacement; zero means 500, and at most MaxResamples.
	Resamples int
	// Level is the coverage of the percentile interval, in (0, 1); zero
	// means 0.9.
	Level float64
	// Src draws the resamples; it must not be nil.
	Src *rand.Rand
}

// MaxResamples bounds Bootstrap.Resamples.
const MaxResamples = 100_000

// withDefaults returns b with its zero fields filled, or an error naming the
// bad field.
func (b Bootstrap) withDefaults() (Bootstrap, error) {
	if b.Resamples == 0 {
		b.Resamples = 500
	}
	if b.Level == 0 {
		b.Level = 0.9
	}
	var errs []error
	if b.Resamples < 2 || b.Resamples > MaxResamples {
		errs = append(errs, fmt.Errorf("bootstrap: Resamples is %d, want 2 to %d", b.Resamples, MaxResamples))
	}
	if !(b.Level > 0 && b.Level < 1) {
		errs = append(errs, fmt.Errorf("bootstrap: Level is %g, want a value in (0, 1)", b.Level))
	}
	if b.Src == nil {
		errs = append(errs, errors.New("bootstrap: Src is nil; pass a seeded *rand.Rand"))
	}
	return b, errors.Join(errs...)
}

// resample fills idx with n row numbers drawn uniformly with replacement.
func (b Bootstrap) resample(idx []int, n int) {
	for k := range idx {
		idx[k] = b.Src.IntN(n)
	}
}

// interval returns the percentile interval of level over the estimates,
// which it sorts: the order statistics at (1−level)/2 and (1+level)/2.
func interval(est []float64, level float64) (lo, hi float64) {
	slices.Sort(est)
	last := float64(len(est) - 1)
	// Rounding outwards keeps the interval at least as wide as level asks.
	return est[int(math.Floor((1-level)/2*last))], est[int(math.Ceil((1+level)/2*last))]
}
