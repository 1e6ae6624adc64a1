package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"image/png"
	"migrasim/results"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCompareGolden(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, err := cli(t, context.Background(), "compare", "testdata/tiny.toml", "testdata/tiny-removals.toml",
		"--replicates", "3", "--out", dir, "--quiet")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	golden(t, "compare.stdout", []byte(strings.ReplaceAll(stdout, dir, "OUT")))
	csv, err := os.ReadFile(filepath.Join(dir, "comparison.csv"))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "compare.csv", csv)
	plots, _ := filepath.Glob(filepath.Join(dir, "*.png"))
	svgs, _ := filepath.Glob(filepath.Join(dir, "*.svg"))
	if len(plots) != 2*len(results.PlotMeasures) || len(svgs) != len(plots) {
		t.Fatalf("%d PNG and %d SVG plots, want %d each", len(plots), len(svgs), 2*len(results.PlotMeasures))
	}
	for _, f := range plots {
		b, _ := os.ReadFile(f)
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if r := img.Bounds(); r.Dx() < 600 || r.Dy() < 200 {
			t.Errorf("%s: %v is too small", f, r)
		}
	}
	for _, f := range svgs {
		b, _ := os.ReadFile(f)
		var doc struct {
			XMLName xml.Name
		}
		if err := xml.Unmarshal(b, &doc); err != nil || doc.XMLName.Local != "svg" {
			t.Errorf("%s: not an SVG document: %v", f, err)
		}
	}
}

// With --vary the comparison repeats for each value and plots the
// differences against it.
func TestCompareVary(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, err := cli(t, context.Background(), "compare", "testdata/tiny.toml", "testdata/tiny-removals.toml",
		"--vary", "feedback.strength=0,2", "--out", dir, "--quiet")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "with feedback.strength = 0\n") || !strings.Contains(stdout, "with feedback.strength = 2\n") {
		t.Errorf("stdout lacks the varied values:\n%s", stdout)
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "comparison.csv"))
	if !bytes.Contains(csv, []byte("\nfeedback.strength,2,tiny-removals,tiny,HN,homicide_rate,all,mean,")) {
		t.Error("comparison.csv lacks the varied rows")
	}
	if _, err := os.Stat(filepath.Join(dir, "varied_homicide_rate.png")); err != nil {
		t.Error(err)
	}
}

func TestCompareBadInput(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"compare", "baseline"}, "want two or more scenarios"},
		{[]string{"compare", "baseline", "baseline"}, "given twice"},
		{[]string{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml", "--vary", "feedback.strength"}, "want KEY=V1,V2"},
		{[]string{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml", "--vary", "feedback.strenght=1"}, `feedback.strenght: unknown key (did you mean "feedback.strength"?)`},
		{[]string{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml", "--vary", "feedback.strength=1,x,-3"}, `feedback.strength = "x": want a number`},
		{[]string{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml", "--vary", "policy.cam.close=2015-01"}, "a month key; --vary takes number keys"},
		{[]string{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml", "--from", "2010-01"}, "want a window inside the run"},
	} {
		out := filepath.Join(t.TempDir(), "out")
		_, _, err := cli(t, context.Background(), append(tt.args, "--out", out, "--quiet")...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: got %v, want %q", tt.args, err, tt.want)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%v: wrote %s", tt.args, out)
		}
	}
}
