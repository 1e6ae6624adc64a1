package sweep

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"migrasim/sim"
)

// A run record is one run's series in binary, as a task stores it: the
// values exactly as the engine produced them (not rounded like series.csv),
// so that summaries computed after a merge equal those of a local run.
//
//	magic     4 bytes "MSR1"
//	run       uint32  the run's index in the plan
//	replicate uint32
//	start     int32   sim.Month
//	months    uint32
//	countries uint16
//	metrics   uint16
//	namelen   uint16, then the scenario name
//	values    float64 × months × countries × metrics, in sim.Series order
//
// All integers and floats are little-endian.
const recordMagic = "MSR1"

const recordHead = 4 + 4 + 4 + 4 + 4 + 2 + 2 + 2

// AppendRunRecord appends the record of run's series s to buf.
func AppendRunRecord(buf []byte, run int, s *sim.Series) []byte {
	buf = append(buf, recordMagic...)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(run))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(s.Replicate))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(int32(s.Start)))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(s.Months))
	buf = binary.LittleEndian.AppendUint16(buf, uint16(sim.NumCountries))
	buf = binary.LittleEndian.AppendUint16(buf, uint16(sim.NumMetrics))
	buf = binary.LittleEndian.AppendUint16(buf, uint16(len(s.Scenario)))
	buf = append(buf, s.Scenario...)
	for _, v := range s.Values {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
	}
	return buf
}

// ReadRunRecord decodes a record made by AppendRunRecord.
func ReadRunRecord(b []byte) (run int, s sim.Series, err error) {
	if len(b) < recordHead || string(b[:4]) != recordMagic {
		return 0, s, errors.New("not a run record")
	}
	le := binary.LittleEndian
	run = int(le.Uint32(b[4:]))
	s.Replicate = int(le.Uint32(b[8:]))
	s.Start = sim.Month(int32(le.Uint32(b[12:])))
	s.Months = int(le.Uint32(b[16:]))
	nc, nm, nl := int(le.Uint16(b[20:])), int(le.Uint16(b[22:])), int(le.Uint16(b[24:]))
	if nc != int(sim.NumCountries) || nm != int(sim.NumMetrics) {
		return 0, s, fmt.Errorf("run %d: record has %d countries and %d metrics, this migrasim has %d and %d: merge with the migrasim that ran the sweep",
			run, nc, nm, sim.NumCountries, sim.NumMetrics)
	}
	n := s.Months * nc * nm
	if len(b) != recordHead+nl+8*n {
		return 0, s, fmt.Errorf("run %d: record is %d bytes, want %d", run, len(b), recordHead+nl+8*n)
	}
	s.Scenario = string(b[recordHead : recordHead+nl])
	s.Values = make([]float64, n)
	vals := b[recordHead+nl:]
	for i := range s.Values {
		s.Values[i] = math.Float64frombits(le.Uint64(vals[8*i:]))
	}
	return run, s, nil
}
