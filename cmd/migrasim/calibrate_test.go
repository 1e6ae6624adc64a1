package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"migrasim/results"
	"migrasim/scenarios"
)

// 'migrasim calibrate' writes the fitted scenario (which runs), the
// posterior, the samples and the fit, under a manifest that records the run
// behind fit.csv: the spec's seed and scale, five times its replicates, and
// the arguments given.
func TestCalibrateWrites(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "spec.toml")
	os.WriteFile(spec, []byte(`scenario = "historical"
fit_to = "2013-09"
scale = 0.001
replicates = 2
seed = 5
design_seed = 1
[prior]
"decision.uac_share" = [0.05, 0.5]
`), 0o644)
	out := filepath.Join(dir, "out")
	args := []string{"calibrate", "--spec", spec, "--method", "none", "--out", out, "--quiet"}
	stdout, stderr, err := cli(t, context.Background(), args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	for _, f := range []string{"fitted.toml", "posterior.csv", "samples.csv", "fit.csv", "manifest.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	if _, err := scenarios.Load(filepath.Join(out, "fitted.toml")); err != nil {
		t.Errorf("fitted.toml: %v", err)
	}
	if !strings.Contains(stdout, "none, 1 runs of") {
		t.Errorf("report does not count the one run:\n%s", stdout)
	}
	b, _ := os.ReadFile(filepath.Join(out, "manifest.json"))
	var m results.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.Seed != 5 || m.Replicates != 10 || !strings.Contains(m.Resolved, "scale = 0.001") {
		t.Errorf("manifest records seed %d, %d replicates, want 5 and 10 at scale 0.001:\n%s", m.Seed, m.Replicates, m.Resolved)
	}
	if strings.Join(m.Command, " ") != "migrasim "+strings.Join(args, " ") {
		t.Errorf("manifest command %q, want the arguments given %q", m.Command, args)
	}
}

func TestCalibrateBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("scenario = \"baseline\"\n[prior]\n\"decision.homicde\" = [0.0, 1.0]\n\"decision.uac_share\" = [0.5, 0.1]\n\"months\" = [1.0, 2.0]\n"), 0o644)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"calibrate", "--spec", bad}, "bad.toml:3: prior.decision.homicde: not a scenario key"},
		{[]string{"calibrate", "--spec", bad}, "bad.toml:4: prior.decision.uac_share: want [low, high] with low < high"},
		{[]string{"calibrate", "--spec", bad}, "prior.months: only number keys can be fitted"},
		{[]string{"calibrate", "--method", "grid"}, "want abc, smc, nelder-mead, both or none"},
		{[]string{"calibrate", "--budget", "3"}, "want at least 10 runs"},
		{[]string{"calibrate", "--targets", filepath.Join(dir, "none.csv")}, "no such file"},
	} {
		refused(t, tt.args, tt.want)
	}
}
