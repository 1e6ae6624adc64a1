package results

import (
	"bufio"
	"io"
	"math"
	"strconv"

	"migrasim/sim"
)

// SeriesHeader is the column order of series.csv.
var SeriesHeader = []string{"scenario", "replicate", "month", "country", "metric", "value"}

// WriteSeries writes series in tidy long format: one row per scenario,
// replicate, month, country and metric, in that nesting order.
func WriteSeries(w io.Writer, series []sim.Series) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	WriteRow(bw, SeriesHeader)
	buf := make([]byte, 0, 128)
	for _, s := range series {
		for t := range s.Months {
			month := s.Start.Add(t).String()
			for c := sim.Country(0); c < sim.NumCountries; c++ {
				for m := sim.Metric(0); m < sim.NumMetrics; m++ {
					buf = buf[:0]
					buf = AppendField(buf, s.Scenario)
					buf = append(buf, ',')
					buf = strconv.AppendInt(buf, int64(s.Replicate), 10)
					buf = append(buf, ',')
					buf = append(buf, month...)
					buf = append(buf, ',')
					buf = append(buf, c.Code()...)
					buf = append(buf, ',')
					buf = append(buf, m.Name()...)
					buf = append(buf, ',')
					buf = AppendValue(buf, s.At(t, c, m))
					buf = append(buf, '\n')
					bw.Write(buf)
				}
			}
		}
	}
	return bw.Flush()
}

// AppendValue formats a value for CSV: rounded to 3 decimals, shortest form,
// and NA (which R and pandas read as missing) for NaN or infinities.
func AppendValue(buf []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(buf, "NA"...)
	}
	r := math.Round(v*1000) / 1000
	if r == 0 {
		r = 0 // no "-0"
	}
	return strconv.AppendFloat(buf, r, 'f', -1, 64)
}

// AppendField appends a CSV field, quoted when it needs to be.
func AppendField(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ',' || c == '"' || c == '\n' || c == '\r' {
			buf = append(buf, '"')
			for j := 0; j < len(s); j++ {
				if s[j] == '"' {
					buf = append(buf, '"')
				}
				buf = append(buf, s[j])
			}
			return append(buf, '"')
		}
	}
	return append(buf, s...)
}

// WriteRow writes one CSV row of fields.
func WriteRow(w io.Writer, fields []string) {
	var buf []byte
	for i, f := range fields {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = AppendField(buf, f)
	}
	buf = append(buf, '\n')
	w.Write(buf)
}
