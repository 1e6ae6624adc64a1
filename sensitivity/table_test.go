package sensitivity

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// golden compares got with testdata/name and writes testdata/name.got on a
// mismatch.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		os.WriteFile(path+".got", got, 0o644)
		t.Errorf("%s differs from the golden file; see %s.got", name, path)
	}
}

func TestWriteSobol(t *testing.T) {
	var buf bytes.Buffer
	nan := Index{math.NaN(), math.NaN(), math.NaN()}
	err := WriteSobol(&buf, []SobolRow{
		{"departures_total effect", "SV", "decision.deterrence", Indices{S1: Index{0.31391, 0.28, 0.35}, ST: Index{0.5576, 0.52, 0.59}}},
		{"departures_total effect", "SV", "return, \"re-migration\"", Indices{S1: Index{-0.00001, -0.03, 0.03}, ST: nan}},
	})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "sobol.csv", buf.Bytes())
}

func TestWritePRIM(t *testing.T) {
	tr := &Trajectory{Steps: []Box{
		{Lo: []float64{0, -1}, Hi: []float64{1, 1}, Points: 10, Coverage: 1, Density: 0.4, Mass: 1},
		{Lo: []float64{0.25, -1}, Hi: []float64{1, 1}, Points: 8, Coverage: 1, Density: 0.5, Mass: 0.8},
	}, Chosen: 1}
	var buf bytes.Buffer
	if err := WritePRIM(&buf, []PRIMRow{{"backfires", "GT", []string{"a", "b"}, tr}}); err != nil {
		t.Fatal(err)
	}
	golden(t, "prim.csv", buf.Bytes())
}
