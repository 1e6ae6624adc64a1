package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A lever that never acts is a warning on stderr from run, compare and check,
// and is recorded in run's and compare's manifest.
func TestLeverWarnings(t *testing.T) {
	dir := t.TempDir()
	late := filepath.Join(dir, "late.toml")
	os.WriteFile(late, []byte("name = \"late\"\nstart = \"2014-06\"\nmonths = 3\nscale = 0.001\nreplicates = 1\nseed = 5\n"+
		"[policy.interior_removals]\nfrom = \"2015-01\"\nrate_multiplier = 3\n[policy.mexico]\napprehension_multiplier = 2\n"), 0o644)
	want := []string{
		"warning: late: policy.interior_removals: from = 2015-01 is after the run's last month (2014-08), so it never acts within the run\n",
		"warning: late: policy.mexico: set, but without from it never acts (add from = \"YYYY-MM\")\n",
	}
	out := filepath.Join(dir, "out")
	for _, args := range [][]string{
		{"check", late},
		{"run", late, "--quiet", "--out", out + "-run"},
		{"compare", "testdata/tiny.toml", late, "--months", "3", "--scale", "0.001", "--replicates", "1", "--quiet", "--out", out + "-compare"},
	} {
		_, stderr, err := cli(t, context.Background(), args...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr)
		}
		for _, w := range want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", args[0], w, stderr)
			}
		}
		if args[0] == "check" {
			continue
		}
		m, err := os.ReadFile(filepath.Join(out+"-"+args[0], "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(m), `"warnings": [`) || !strings.Contains(string(m), "late: policy.mexico: set, but without from") {
			t.Errorf("%s: manifest lacks the warnings", args[0])
		}
	}
	_, stderr, err := cli(t, context.Background(), "check", "testdata/tiny-removals.toml")
	if err != nil || strings.Contains(stderr, "warning") {
		t.Errorf("a lever that acts is warned about: %v %s", err, stderr)
	}
}
