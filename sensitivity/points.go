package sensitivity

import (
	"fmt"
	"math"
	"slices"
)

// PointMeans averages the outcome y (one value per run of rs) over each
// design point's replicates. It returns the points' key values and means in
// the order of the points' numbers, leaving out a point whose outcome is NA
// in any replicate, and the number left out. An error says that two runs of
// one point disagree on a key's value.
func (rs *Runs) PointMeans(y []float64) (X [][]float64, means []float64, dropped int, err error) {
	if len(y) != len(rs.Run) {
		return nil, nil, 0, fmt.Errorf("point means: %d values for %d runs", len(y), len(rs.Run))
	}
	type acc struct {
		x        []float64
		sum      float64
		n        int
		missing  bool
		firstRun int
	}
	byPoint := map[int]*acc{}
	for k, p := range rs.Point {
		a := byPoint[p]
		if a == nil {
			a = &acc{x: rs.X[k], firstRun: rs.Run[k]}
			byPoint[p] = a
		} else if !slices.Equal(a.x, rs.X[k]) {
			return nil, nil, 0, fmt.Errorf("point means: runs %d and %d are both of point %d but differ in their keys", a.firstRun, rs.Run[k], p)
		}
		if math.IsNaN(y[k]) {
			a.missing = true
			continue
		}
		a.sum += y[k]
		a.n++
	}
	points := make([]int, 0, len(byPoint))
	for p := range byPoint {
		points = append(points, p)
	}
	slices.Sort(points)
	for _, p := range points {
		a := byPoint[p]
		if a.missing {
			dropped++
			continue
		}
		X = append(X, a.x)
		means = append(means, a.sum/float64(a.n))
	}
	return X, means, dropped, nil
}
