package sensitivity

import "fmt"

// SaltelliFromRuns splits the outcome y (one value per run of rs) of a sweep
// planned as a Saltelli sample of n base points into the model values Sobol
// needs: the design point means (over replicates, as PointMeans) in the
// row order of design.Saltelli.Rows, A's n, then B's n, then n for each
// AB_i, i over rs.Keys. It refuses runs that are not such a sample: a
// count of points other than n·(d+2), a point left out (NA), or a row of
// AB_i that is not its row of A with key i from B.
func SaltelliFromRuns(rs *Runs, n int, y []float64) (fA, fB []float64, fAB [][]float64, err error) {
	d := len(rs.Keys)
	if n < 2 {
		return nil, nil, nil, fmt.Errorf("saltelli: %d base points, want at least 2", n)
	}
	X, means, dropped, err := rs.PointMeans(y)
	if err != nil {
		return nil, nil, nil, err
	}
	if dropped > 0 {
		return nil, nil, nil, fmt.Errorf("saltelli: %d design points have an NA outcome; every point of a Saltelli sample is needed", dropped)
	}
	if want := n * (d + 2); len(means) != want {
		return nil, nil, nil, fmt.Errorf("saltelli: %d design points, want %d (n = %d base points, %d keys: n·(d+2))", len(means), want, n, d)
	}
	A, B := X[:n], X[n:2*n]
	for i := range d {
		ab := X[(2+i)*n : (3+i)*n]
		for k := range n {
			for j := range d {
				want, from := A[k][j], "A"
				if j == i {
					want, from = B[k][j], "B"
				}
				if ab[k][j] != want {
					return nil, nil, nil, fmt.Errorf("saltelli: design point %d has %s = %g, want %g (row %d of AB_%d takes key %d from %s): not a Saltelli sample of %d base points",
						(2+i)*n+k, rs.Keys[j], ab[k][j], want, k, i, j, from, n)
				}
			}
		}
		fAB = append(fAB, means[(2+i)*n:(3+i)*n])
	}
	return means[:n], means[n : 2*n], fAB, nil
}
