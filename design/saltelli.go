package design

import "fmt"

// Saltelli is the sample of Saltelli's scheme for first-order and total
// Sobol indices of d factors from N base points (Saltelli et al. 2010,
// "Variance based sensitivity analysis of model output", Comput. Phys.
// Commun. 181): two independent N×d matrices A and B, and for each factor i
// the matrix AB[i], which is A with column i taken from B. A model evaluated
// at every row of A, B and each AB[i] (N·(d+2) runs) gives the Jansen and
// Saltelli estimators of S1 and ST.
type Saltelli struct {
	A, B [][]float64
	AB   [][][]float64 // AB[i][k] is row k of A with column i from B
}

// NewSaltelli builds the Saltelli matrices for d factors from the first n
// points of a 2d-dimensional shifted Sobol sequence: A takes its first d
// coordinates and B the last d, as in SALib's saltelli.sample. It allows at
// most 16 factors (Sobol's 32 dimensions).
func NewSaltelli(n, d int, seed uint64) (*Saltelli, error) {
	if d < 1 || n < 1 {
		return nil, fmt.Errorf("a Saltelli design needs at least one factor and one point, got %d factors and %d points", d, n)
	}
	if 2*d > sobolDims {
		return nil, fmt.Errorf("a Saltelli design has at most %d factors, got %d", sobolDims/2, d)
	}
	pts, err := Sobol(n, 2*d, seed)
	if err != nil {
		return nil, err
	}
	s := &Saltelli{A: make([][]float64, n), B: make([][]float64, n), AB: make([][][]float64, d)}
	for k, p := range pts {
		s.A[k], s.B[k] = p[:d:d], p[d:]
	}
	for i := range d {
		s.AB[i] = make([][]float64, n)
		for k := range n {
			row := append([]float64(nil), s.A[k]...)
			row[i] = s.B[k][i]
			s.AB[i][k] = row
		}
	}
	return s, nil
}

// Rows returns every point of the design in run order: A, B, then AB[0],
// AB[1], …; N·(d+2) rows.
func (s *Saltelli) Rows() [][]float64 {
	out := append(append([][]float64(nil), s.A...), s.B...)
	for _, ab := range s.AB {
		out = append(out, ab...)
	}
	return out
}
