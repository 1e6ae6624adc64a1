package sweep

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// A difference record is what a run of a comparison or posterior sweep
// stores: the paired differences B − A of one design point or draw, per
// cell and replicate, exactly as computed (not rounded), so that what a
// merge derives from them equals what a local run derives.
//
//	magic      4 bytes "MSD1"
//	run        uint32  the run's index in the plan
//	cells      uint32
//	replicates uint32
//	values     float64 × cells × replicates, cell by cell (results.Draw order)
//
// All integers and floats are little-endian. The cells are, for a
// comparison sweep, every country and metric (EffectCell), and for a
// posterior sweep, results.Question.Cell's.
const diffMagic = "MSD1"

const diffHead = 4 + 4 + 4 + 4

// maxDiffRecord bounds a difference record: a posterior sweep's cells
// (three countries, a handful of measures, a horizon a year over 50 years)
// times the most replicates.
const maxDiffRecord = diffHead + 8*(1<<22)

// AppendDiffRecord appends the record of run's differences d (d[i][r]: cell
// i, replicate r; every cell the same number of replicates) to buf.
func AppendDiffRecord(buf []byte, run int, d [][]float64) []byte {
	reps := 0
	if len(d) > 0 {
		reps = len(d[0])
	}
	buf = append(buf, diffMagic...)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(run))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(d)))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(reps))
	for _, xs := range d {
		if len(xs) != reps {
			panic("sweep: difference record with ragged cells")
		}
		for _, v := range xs {
			buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
		}
	}
	return buf
}

// ReadDiffRecord decodes a record made by AppendDiffRecord.
func ReadDiffRecord(b []byte) (run int, d [][]float64, err error) {
	if len(b) < diffHead || string(b[:4]) != diffMagic {
		return 0, nil, errors.New("not a difference record")
	}
	le := binary.LittleEndian
	run = int(le.Uint32(b[4:]))
	cells, reps := int(le.Uint32(b[8:])), int(le.Uint32(b[12:]))
	if cells > maxDiffRecord || reps > maxDiffRecord || len(b) != diffHead+8*cells*reps {
		return 0, nil, fmt.Errorf("run %d: difference record is %d bytes, not the %d cells x %d replicates it says", run, len(b), cells, reps)
	}
	vals := b[diffHead:]
	d = make([][]float64, cells)
	for i := range d {
		d[i] = make([]float64, reps)
		for r := range d[i] {
			d[i][r] = math.Float64frombits(le.Uint64(vals[8*(i*reps+r):]))
		}
	}
	return run, d, nil
}
