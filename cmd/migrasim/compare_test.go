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
	// The default measures add what the lever in which the scenarios differ
	// (interior removals) acts on.
	if !bytes.Contains(csv, []byte(",tiny-removals,tiny,SV,us_removals_criminal,all,")) {
		t.Error("comparison.csv lacks us_removals_criminal, which interior removals touch")
	}
	// Each scenario's series, as run writes it.
	runDir := t.TempDir()
	for _, name := range []string{"tiny", "tiny-removals"} {
		if _, stderr, err := cli(t, context.Background(), "run", "testdata/"+name+".toml", "--replicates", "3", "--out", runDir, "--quiet", "--force"); err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		want, _ := os.ReadFile(filepath.Join(runDir, "series.csv"))
		got, err := os.ReadFile(filepath.Join(dir, "series_"+name+".csv"))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("series_%s.csv is not run's series.csv: %v", name, err)
		}
	}
	plots, _ := filepath.Glob(filepath.Join(dir, "*.png"))
	svgs, _ := filepath.Glob(filepath.Join(dir, "*.svg"))
	// Series and differences per measure, and one figure per question.
	if want := 2*len(results.PlotMeasures) + len(results.Topics); len(plots) != want || len(svgs) != len(plots) {
		t.Fatalf("%d PNG and %d SVG plots, want %d each", len(plots), len(svgs), want)
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

// --metrics picks what is compared; all is every measure and metric.
func TestCompareMetrics(t *testing.T) {
	for _, tt := range []struct {
		list string
		want []string
	}{
		{"stock_us_tps,us_evasions,departures_total", []string{"stock_us_tps", "us_evasions", "departures_total"}},
		{"all", results.MeasureNames()},
	} {
		dir := t.TempDir()
		_, stderr, err := cli(t, context.Background(), "compare", "testdata/tiny.toml", "testdata/tiny-removals.toml",
			"--months", "2", "--replicates", "1", "--metrics", tt.list, "--out", dir, "--quiet")
		if err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		csv, _ := os.ReadFile(filepath.Join(dir, "comparison.csv"))
		var got []string
		for _, line := range strings.Split(string(csv), "\n") {
			f := strings.Split(line, ",")
			if len(f) > 6 && f[4] == "SV" && f[6] == "all" {
				got = append(got, f[5])
			}
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("--metrics %s: compared %v", tt.list, got)
		}
	}
}

func TestCompareBadInput(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"compare", "baseline"}, "want two or more scenarios"},
		{[]string{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml", "--metrics", "stok_us_tps"}, `--metrics: "stok_us_tps" is not a metric or measure (did you mean "stock_us_tps"?)`},
		{[]string{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml", "--metrics", "us_evasions,us_evasions"}, "--metrics: us_evasions given twice"},
		{[]string{"compare", "baseline", "baseline"}, "given twice"},
		{[]string{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml", "--vary", "feedback.strength"}, "want KEY=V1,V2"},
		{[]string{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml", "--vary", "feedback.strenght=1"}, `feedback.strenght: unknown key (did you mean "feedback.strength"?)`},
		{[]string{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml", "--vary", "feedback.strength=1,x,-3"}, `feedback.strength = "x": want a number`},
		{[]string{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml", "--vary", "policy.cam.close=2015-01"}, "a month key; --vary takes number keys"},
		{[]string{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml", "--from", "2010-01"}, "want a window inside the run"},
	} {
		refused(t, tt.args, tt.want)
	}
}

// particlesFile writes a two-particle posterior over deterrence and the
// feedback's strength, as 'migrasim calibrate' writes particles.csv.
func particlesFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "particles.csv")
	os.WriteFile(path, []byte("particle,weight,decision.deterrence,feedback.strength\n1,0.5,-2,1.8\n2,0.5,-10,0.5\n"), 0o644)
	return path
}

// With --posterior, compare runs the draws and writes answer.csv with
// exactly its columns, the plot of P(departures rise) and a manifest that
// records the posterior.
func TestComparePosterior(t *testing.T) {
	dir := t.TempDir()
	post := particlesFile(t)
	stdout, stderr, err := cli(t, context.Background(), "compare", "testdata/tiny.toml", "testdata/tiny-removals.toml",
		"--posterior", post, "--draws", "3", "--replicates", "1", "--out", dir, "--quiet")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	for _, want := range []string{
		"tiny vs tiny-removals over the posterior in " + post + " (2 particles): 3 draws of 1 paired replicates, 2014-06 to 2014-11",
		"policy window 2014-06 to 2014-11 (tiny-removals differs from tiny from the run's start; --from to choose)",
		"departures_total, tiny-removals - tiny: posterior mean [90% credible interval] and P(increase), over 3 draws",
		"P(increase)\n  2014-06..2014-11", "Guatemala (GT):", "wrote " + dir + " (answer.csv, 2 plots, manifest.json)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "answer.csv"))
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	if lines[0] != "scenario_a,scenario_b,country,metric,horizon,mean,lo90,hi90,p_increase,draws" {
		t.Errorf("answer.csv header %q", lines[0])
	}
	// 3 countries × 7 measures × 2 horizons (the year's part of the window, and all).
	if len(lines) != 1+3*7*2 || !strings.HasPrefix(lines[1], "tiny,tiny-removals,SV,departures_total,2014-06..2014-11,") || !strings.HasSuffix(lines[1], ",3") {
		t.Errorf("answer.csv:\n%s", csv)
	}
	for _, f := range []string{"p_increase_departures_total.png", "p_increase_departures_total.svg"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	m, err := results.Verify(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Resolved, "# ---- posterior ----\n# "+post+": 2 particles, sha256 ") || !strings.Contains(m.Resolved, "3 draws from seed 5") {
		t.Errorf("manifest does not record the posterior:\n%s", m.Resolved[strings.Index(m.Resolved, "# ---- posterior"):])
	}
}

// The same seed gives the same answer.csv, whatever the worker count.
func TestComparePosteriorWorkers(t *testing.T) {
	post := particlesFile(t)
	var answers []string
	for _, workers := range []string{"1", "2"} {
		dir := t.TempDir()
		if _, stderr, err := cli(t, context.Background(), "compare", "testdata/tiny.toml", "testdata/tiny-removals.toml",
			"--posterior", post, "--draws", "2", "--workers", workers, "--out", dir, "--quiet"); err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		b, _ := os.ReadFile(filepath.Join(dir, "answer.csv"))
		answers = append(answers, string(b))
	}
	if answers[0] != answers[1] {
		t.Errorf("answer.csv with 1 and 2 workers differ:\n%s\n%s", answers[0], answers[1])
	}
}

func TestComparePosteriorBadInput(t *testing.T) {
	dir := t.TempDir()
	post := particlesFile(t)
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("particle,weight,decision.deterrence\n1,0.5,-2\n2,NaN,-3\n"), 0o644)
	pair := []string{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml"}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{append(pair, "testdata/tiny.toml", "--posterior", post), "compares two scenarios, A and B; got 3"},
		{append(pair, "--posterior", post, "--vary", "feedback.strength=0,1"), "leave out --vary"},
		{append(pair, "--posterior", post, "--draws", "0"), "--draws 0: want 1 to 100000"},
		{append(pair, "--posterior", post, "--draws", "100001"), "--draws 100001: want 1 to 100000"},
		{append(pair, "--draws", "10"), "--draws: only with --posterior"},
		{append(pair, "--posterior", bad), bad + `:3: weight: "NaN": want a finite number, at least 0`},
		{append(pair, "--posterior", filepath.Join(dir, "none.csv")), "none.csv"},
		{append(pair, "--posterior", post, "--from", "2013-01"), "want a window inside the run"},
	} {
		refused(t, tt.args, tt.want)
	}
}

// A run into a folder that holds an earlier result replaces it whole: a
// --vary comparison after a plain one leaves none of the plain one's
// series_* or difference_* files, and the folder holds exactly what the
// new manifest lists.
func TestCompareReplacesPreviousResult(t *testing.T) {
	dir := t.TempDir()
	pair := []string{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml", "--months", "2", "--replicates", "1", "--out", dir, "--quiet"}
	if _, stderr, err := cli(t, context.Background(), pair...); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if before, _ := filepath.Glob(filepath.Join(dir, "series_*")); len(before) == 0 {
		t.Fatal("the plain comparison wrote no series_* files")
	}
	// Without --force the folder, which holds a result, is refused.
	if _, _, err := cli(t, context.Background(), append(pair, "--vary", "feedback.strength=0,2")...); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("a second comparison into the same folder without --force: %v", err)
	}
	if _, stderr, err := cli(t, context.Background(), append(pair, "--vary", "feedback.strength=0,2", "--force")...); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	m, err := results.Verify(dir)
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if _, ok := m.Outputs[e.Name()]; !ok && e.Name() != results.ManifestFile {
			t.Errorf("%s is left from the earlier comparison; the manifest does not list it", e.Name())
		}
	}
	if len(entries) != len(m.Outputs)+1 {
		t.Errorf("folder holds %d files, the manifest lists %d", len(entries), len(m.Outputs))
	}
}
