package sensitivity

import (
	"math"
	"slices"
	"testing"
)

func TestPointMeans(t *testing.T) {
	rs := &Runs{
		Run:   []int{0, 1, 2, 3, 4, 5},
		Point: []int{1, 0, 1, 0, 2, 2},
		X:     [][]float64{{2}, {1}, {2}, {1}, {3}, {3}},
	}
	X, m, dropped, err := rs.PointMeans([]float64{4, 1, 6, 3, 5, math.NaN()})
	if err != nil {
		t.Fatal(err)
	}
	if dropped != 1 || !slices.Equal(m, []float64{2, 5}) || len(X) != 2 || X[0][0] != 1 || X[1][0] != 2 {
		t.Errorf("got X %v, means %v, dropped %d; want [[1] [2]], [2 5], 1", X, m, dropped)
	}
	rs.X[2] = []float64{7}
	if _, _, _, err := rs.PointMeans(make([]float64, 6)); err == nil {
		t.Error("runs of one point with different keys: no error")
	}
}
