package sensitivity

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The charts render as PNG and SVG (set SENSITIVITY_PLOTS to a folder to
// keep them for a look).
func TestCharts(t *testing.T) {
	fA, fB, fAB := ishigamiSaltelli(t, 512, 1)
	ix, err := Sobol(fA, fB, fAB, Bootstrap{Resamples: 100, Src: rand.New(rand.NewPCG(1, 1))})
	if err != nil {
		t.Fatal(err)
	}
	sobol, err := PlotSobol("Ishigami, N = 512", []string{"x1", "x2", "x3"}, ix)
	if err != nil {
		t.Fatal(err)
	}
	X, y := planted(2000, 4, 1)
	tr, err := FindBox(X, y, PRIM{Threshold: 0.85})
	if err != nil {
		t.Fatal(err)
	}
	traj, err := PlotTrajectory("planted box", tr)
	if err != nil {
		t.Fatal(err)
	}
	keep := os.Getenv("SENSITIVITY_PLOTS")
	for name, c := range map[string]*Chart{"sobol": sobol, "prim": traj} {
		for _, format := range []string{"png", "svg"} {
			var buf bytes.Buffer
			if err := c.Write(&buf, format); err != nil {
				t.Fatalf("%s.%s: %v", name, format, err)
			}
			head := map[string]string{"png": "\x89PNG", "svg": "<?xml"}[format]
			if !strings.HasPrefix(buf.String(), head) {
				t.Errorf("%s.%s starts %q, want %q", name, format, buf.String()[:min(8, buf.Len())], head)
			}
			if keep != "" {
				os.WriteFile(filepath.Join(keep, name+"."+format), buf.Bytes(), 0o644)
			}
		}
	}
	if err := sobol.Write(&bytes.Buffer{}, "pdf"); err == nil {
		t.Error("no error for format pdf")
	}
	if _, err := PlotSobol("x", []string{"a"}, nil); err == nil {
		t.Error("no error for keys without indices")
	}
}
