package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"migrasim/calibrate"
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
		{[]string{"calibrate", "--method", "grid"}, "want abc, smc, mcmc, nelder-mead, both or none"},
		{[]string{"calibrate", "--budget", "3"}, "want at least 10 runs"},
		{[]string{"calibrate", "--targets", filepath.Join(dir, "none.csv")}, "no such file"},
	} {
		refused(t, tt.args, tt.want)
	}
}

// 'migrasim calibrate' stopped after its first checkpoint says how to
// resume; --resume then refuses a checkpoint of another seed, and with the
// same arguments writes the files of an uninterrupted run byte for byte,
// taking the checkpoint's runs instead of running them again, and removes
// the checkpoint.
func TestCalibrateResume(t *testing.T) {
	dir := t.TempDir()
	writeSpec := func(name string, seed int) string {
		path := filepath.Join(dir, name)
		os.WriteFile(path, fmt.Appendf(nil, `scenario = "historical"
fit_to = "2013-09"
scale = 0.001
replicates = 1
seed = %d
design_seed = 1
[prior]
"decision.uac_share" = [0.05, 0.5]
`, seed), 0o644)
		return path
	}
	spec, other := writeSpec("spec.toml", 5), writeSpec("other.toml", 6)
	args := func(spec, out string, more ...string) []string {
		return append([]string{"calibrate", "--spec", spec, "--method", "abc", "--budget", "40", "--workers", "2", "--out", out, "--quiet"}, more...)
	}
	whole := filepath.Join(dir, "whole")
	if _, stderr, err := cli(t, context.Background(), args(spec, whole)...); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}

	// Stop the run as soon as its first checkpoint is there.
	out := filepath.Join(dir, "out")
	checkpoint := filepath.Join(out, calibrate.CheckpointFile)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for ctx.Err() == nil {
			if _, err := os.Stat(checkpoint); err == nil {
				cancel()
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	_, _, err := cli(t, ctx, args(spec, out)...)
	var msg bytes.Buffer
	if code := exitStatus(ctx, err, &msg); code != 130 || !strings.Contains(msg.String(), checkpoint+" keeps 10 finished runs (up to abc); run the same command with --resume") {
		t.Fatalf("stopped run: exit %d, %q", code, msg.String())
	}

	if _, _, err := cli(t, context.Background(), args(other, out, "--resume")...); err == nil || !strings.Contains(err.Error(), checkpoint+":1: seed: the checkpoint was written for 5, this calibration has 6") {
		t.Errorf("--resume with another seed: %v", err)
	}
	_, stderr, err := cli(t, context.Background(), args(spec, out, "--resume")...)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "took 10 runs from "+checkpoint) {
		t.Errorf("stderr does not say the checkpoint's runs were taken:\n%s", stderr)
	}
	for _, f := range []string{"fitted.toml", "posterior.csv", "particles.csv", "samples.csv", "fit.csv"} {
		want, _ := os.ReadFile(filepath.Join(whole, f))
		got, err := os.ReadFile(filepath.Join(out, f))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s after --resume differs from an uninterrupted run (%v):\n%s\nwant:\n%s", f, err, got, want)
		}
	}
	if _, err := os.Stat(checkpoint); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the checkpoint is still there after the results were written: %v", err)
	}
}
