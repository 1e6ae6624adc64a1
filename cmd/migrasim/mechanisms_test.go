package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"migrasim/results"
)

// compare --mechanisms writes mechanisms.csv beside comparison.csv, lists it
// in the manifest and prints the decomposition of departures over the
// whole window; both are golden (three replicates, two shards' worth of
// households in every department).
func TestMechanismsGolden(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, err := cli(t, context.Background(), "compare", "testdata/tiny.toml", "testdata/tiny-removals.toml",
		"--mechanisms", "--replicates", "3", "--out", dir, "--quiet")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	golden(t, "mechanisms.stdout", []byte(strings.ReplaceAll(stdout, dir, "OUT")))
	csv, err := os.ReadFile(filepath.Join(dir, "mechanisms.csv"))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "mechanisms.csv", csv)
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	if lines[0] != strings.Join(results.MechanismsHeader, ",") {
		t.Errorf("mechanisms.csv header %q", lines[0])
	}
	// 3 countries × 4 departures measures × 2 horizons × (5 mechanisms and the residual).
	if len(lines) != 1+3*4*2*6 {
		t.Errorf("mechanisms.csv has %d rows, want %d", len(lines)-1, 3*4*2*6)
	}
	m, err := results.Verify(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.Outputs["mechanisms.csv"]; !ok {
		t.Errorf("manifest does not list mechanisms.csv: %v", m.Outputs)
	}
}

// Over a posterior the decomposition runs at the answer's draws: its full
// effect is answer.csv's mean in every cell they share.
func TestMechanismsPosterior(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, err := cli(t, context.Background(), "compare", "testdata/tiny.toml", "testdata/tiny-removals.toml",
		"--posterior", particlesFile(t), "--draws", "2", "--replicates", "1", "--mechanisms", "--out", dir, "--quiet")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	for _, want := range []string{"over 2 posterior draws of 1 paired replicates", "deterrence", "residual",
		"wrote " + dir + " (answer.csv, mechanisms.csv, 2 plots, manifest.json)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	answer, _ := os.ReadFile(filepath.Join(dir, "answer.csv"))
	mean := map[string]string{} // country,metric,horizon → mean
	for _, line := range strings.Split(strings.TrimSpace(string(answer)), "\n")[1:] {
		f := strings.Split(line, ",")
		mean[strings.Join(f[2:5], ",")] = f[5]
	}
	mech, _ := os.ReadFile(filepath.Join(dir, "mechanisms.csv"))
	rows := strings.Split(strings.TrimSpace(string(mech)), "\n")[1:]
	if len(rows) != 3*4*2*6 {
		t.Fatalf("mechanisms.csv has %d rows, want %d", len(rows), 3*4*2*6)
	}
	shared := 0
	for _, line := range rows {
		f := strings.Split(line, ",")
		if m, ok := mean[strings.Join(f[2:5], ",")]; ok {
			shared++
			if f[7] != m {
				t.Errorf("%s: full effect %s, answer.csv's mean %s", line, f[7], m)
			}
		}
		if n := f[len(f)-2]; n != "2" {
			t.Errorf("%s: draws %s, want 2", line, n)
		}
	}
	if shared == 0 {
		t.Error("mechanisms.csv shares no cell with answer.csv")
	}
}

// --mechanisms decomposes B against A: two scenarios, no --vary.
func TestMechanismsRefused(t *testing.T) {
	pair := []string{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml", "--mechanisms"}
	refused(t, append(pair, "--vary", "feedback.strength=0,1"), "give two scenarios and no --vary")
	refused(t, []string{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml", "baseline", "--mechanisms"}, "give two scenarios and no --vary")
}
