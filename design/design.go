// Package design makes experimental designs in the unit cube: Latin
// hypercubes, Sobol sequences and Saltelli's matrices for variance-based
// sensitivity. Sweeps and calibration map the points onto their keys'
// ranges. Every design is reproducible from its seed alone and uses only PCG
// output (no math/rand helper whose algorithm may change between Go
// releases), so a plan made today can be made again.
package design

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
)

// designStream separates the design's PCG stream from any simulation stream.
const designStream = 0x5eed_de51_9e00_0001

// LatinHypercube returns n points of [0, 1)^d with exactly one point in each
// of the n equal strata of every dimension. For each dimension in turn it
// draws a uniform random permutation of the strata (Fisher–Yates) and then a
// uniform position inside each stratum.
func LatinHypercube(n, d int, seed uint64) [][]float64 {
	r := rand.NewPCG(seed, designStream)
	pts := make([][]float64, n)
	for i := range pts {
		pts[i] = make([]float64, d)
	}
	perm := make([]int, n)
	for j := range d {
		for i := range perm {
			perm[i] = i
		}
		for i := n - 1; i > 0; i-- {
			k := int(boundedUint(r, uint64(i+1)))
			perm[i], perm[k] = perm[k], perm[i]
		}
		for i := range n {
			pts[i][j] = (float64(perm[i]) + unitFloat(r)) / float64(n)
		}
	}
	return pts
}

// sobolDims is the largest number of dimensions Sobol supports: dimension 1
// and the rows of joeKuo.
const sobolDims = 32

// Sobol returns the first n points of the d-dimensional Sobol sequence in
// Gray-code order (the order of Joe and Kuo's reference code and of most
// libraries), each dimension then digitally shifted (XOR) by 32 random bits
// drawn from seed. A digital shift keeps the sequence's net properties: the
// first 2^m points still put exactly one point in each of the 2^m strata of
// every dimension, and the first two dimensions still form a (0, m, 2)-net.
// Without the shift every key would start at its lower bound.
func Sobol(n, d int, seed uint64) ([][]float64, error) {
	if d > sobolDims {
		return nil, fmt.Errorf("a Sobol sample has at most %d dimensions, got %d", sobolDims, d)
	}
	if n > 1<<31 {
		return nil, fmt.Errorf("a Sobol sample has at most 2^31 points, got %d", n)
	}
	r := rand.NewPCG(seed, designStream)
	v := make([][33]uint32, d)
	shift := make([]uint32, d)
	for j := range d {
		v[j] = directions(j)
		shift[j] = uint32(r.Uint64() >> 32)
	}
	return sobolPoints(n, v, shift), nil
}

func sobolPoints(n int, v [][33]uint32, shift []uint32) [][]float64 {
	d := len(v)
	pts := make([][]float64, n)
	x := make([]uint32, d)
	for i := range n {
		if i > 0 {
			c := bits.TrailingZeros(^uint(i-1)) + 1 // rightmost zero bit of i-1, from 1
			for j := range d {
				x[j] ^= v[j][c]
			}
		}
		p := make([]float64, d)
		for j := range d {
			p[j] = float64(x[j]^shift[j]) * 0x1p-32
		}
		pts[i] = p
	}
	return pts
}

// directions returns the 32 direction numbers V[1..32] of dimension j (from 0).
func directions(j int) [33]uint32 {
	var v [33]uint32
	if j == 0 {
		for k := 1; k <= 32; k++ {
			v[k] = 1 << (32 - k)
		}
		return v
	}
	row := joeKuo[j-1]
	s, a, m := row[0], row[1], row[2:]
	for k := 1; k <= 32; k++ {
		if k <= s {
			v[k] = uint32(m[k-1]) << (32 - k)
			continue
		}
		v[k] = v[k-s] ^ (v[k-s] >> s)
		for l := 1; l < s; l++ {
			if (a>>(s-1-l))&1 == 1 {
				v[k] ^= v[k-l]
			}
		}
	}
	return v
}

// joeKuo holds, for Sobol dimensions 2 to 32, the degree s of the primitive
// polynomial, its coefficients a, and the initial direction numbers m_1..m_s:
// the first rows of new-joe-kuo-6.21201 (S. Joe and F. Y. Kuo, "Constructing
// Sobol sequences with better two-dimensional projections", SIAM J. Sci.
// Comput. 30, 2635–2654, 2008).
var joeKuo = [][]int{
	{1, 0, 1},
	{2, 1, 1, 3},
	{3, 1, 1, 3, 1},
	{3, 2, 1, 1, 1},
	{4, 1, 1, 1, 3, 3},
	{4, 4, 1, 3, 5, 13},
	{5, 2, 1, 1, 5, 5, 17},
	{5, 4, 1, 1, 5, 5, 5},
	{5, 7, 1, 1, 7, 11, 19},
	{5, 11, 1, 1, 5, 1, 1},
	{5, 13, 1, 1, 1, 3, 11},
	{5, 14, 1, 3, 5, 5, 31},
	{6, 1, 1, 3, 3, 9, 7, 49},
	{6, 13, 1, 1, 1, 15, 21, 21},
	{6, 16, 1, 3, 1, 13, 27, 49},
	{6, 19, 1, 1, 1, 15, 7, 5},
	{6, 22, 1, 3, 1, 15, 13, 25},
	{6, 25, 1, 1, 5, 5, 19, 61},
	{7, 1, 1, 3, 7, 11, 23, 15, 103},
	{7, 4, 1, 3, 7, 13, 13, 15, 69},
	{7, 7, 1, 1, 3, 13, 7, 35, 63},
	{7, 8, 1, 3, 5, 9, 1, 25, 53},
	{7, 14, 1, 3, 1, 13, 9, 35, 107},
	{7, 19, 1, 3, 1, 5, 27, 61, 31},
	{7, 21, 1, 1, 5, 11, 19, 41, 61},
	{7, 28, 1, 3, 5, 3, 3, 13, 69},
	{7, 31, 1, 1, 7, 13, 1, 19, 1},
	{7, 32, 1, 3, 7, 5, 13, 19, 59},
	{7, 37, 1, 1, 3, 9, 25, 29, 41},
	{7, 41, 1, 3, 5, 13, 23, 1, 55},
	{7, 42, 1, 3, 7, 3, 13, 59, 17},
}

// boundedUint returns a uniform integer in [0, n) (Lemire's method).
func boundedUint(r *rand.PCG, n uint64) uint64 {
	hi, lo := bits.Mul64(r.Uint64(), n)
	if lo < n {
		t := -n % n
		for lo < t {
			hi, lo = bits.Mul64(r.Uint64(), n)
		}
	}
	return hi
}

// unitFloat returns a uniform float64 in [0, 1).
func unitFloat(r *rand.PCG) float64 { return float64(r.Uint64()>>11) * 0x1p-53 }
