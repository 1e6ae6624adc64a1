package results

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"migrasim/sim"
)

func TestEstimate(t *testing.T) {
	e := EstimateOf([]float64{1, 2, 3, 4})
	// mean 2.5, sd 1.29099, t(0.975, 3) = 3.18245
	if e.Mean != 2.5 || math.Abs(e.SD-1.2909944) > 1e-6 || math.Abs(e.High-(2.5+3.1824463*1.2909944/2)) > 1e-5 {
		t.Errorf("got %+v", e)
	}
	one := EstimateOf([]float64{7})
	if one.Mean != 7 || !math.IsNaN(one.SD) || !math.IsNaN(one.Low) {
		t.Errorf("one replicate: %+v", one)
	}
	if s := EstimateOf([]float64{-1, 0, 2}); s.Positive != 1 || s.Zero != 1 {
		t.Errorf("signs: %+v", s)
	}
}

func TestAppendValue(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{{1500, "1500"}, {100.00000000000001, "100"}, {73.25, "73.25"}, {1.23456, "1.235"}, {-0.0001, "0"}, {math.NaN(), "NA"}, {math.Inf(1), "NA"}} {
		if got := string(AppendValue(nil, tt.v)); got != tt.want {
			t.Errorf("AppendValue(%g) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestYears(t *testing.T) {
	got := Years(sim.MonthOf(2014, 6), 20)
	want := []Period{{"2014", 0, 7}, {"2015", 7, 19}, {"2016", 19, 20}, {"all", 0, 20}}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("period %d = %v, want %v", i, got[i], want[i])
		}
	}
}

// series builds a one-country-metric series for tests.
func series(rep int, vals map[sim.Metric][]float64) sim.Series {
	months := 0
	for _, v := range vals {
		months = len(v)
	}
	s := sim.Series{Scenario: "t", Replicate: rep, Start: sim.MonthOf(2015, 11), Months: months,
		Values: make([]float64, months*int(sim.NumCountries)*int(sim.NumMetrics))}
	for m, v := range vals {
		for t, x := range v {
			s.Values[(t*int(sim.NumCountries)+int(sim.HN))*int(sim.NumMetrics)+int(m)] = x
		}
	}
	return s
}

func TestAggregateByKind(t *testing.T) {
	s := series(0, map[sim.Metric][]float64{sim.Returnees: {1, 2, 3}, sim.StockTPS: {10, 20, 30}, sim.HomicideRate: {40, 50, 60}})
	p := Period{"all", 0, 3}
	if got := Aggregate(&s, sim.HN, sim.Returnees, p); got != 6 {
		t.Errorf("flow sums: %g", got)
	}
	if got := Aggregate(&s, sim.HN, sim.StockTPS, p); got != 30 {
		t.Errorf("stock takes the end: %g", got)
	}
	if got := Aggregate(&s, sim.HN, sim.HomicideRate, p); got != 50 {
		t.Errorf("rate averages: %g", got)
	}
}

func TestWriteSummary(t *testing.T) {
	a := series(0, map[sim.Metric][]float64{sim.Returnees: {1, 2, 3}})
	b := series(1, map[sim.Metric][]float64{sim.Returnees: {3, 4, 5}})
	var buf bytes.Buffer
	if err := WriteSummary(&buf, []sim.Series{a, b}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	if lines[0] != strings.Join(SummaryHeader, ",") {
		t.Errorf("header %q", lines[0])
	}
	// Returnees in HN, 2015 (Nov–Dec): 3 and 7; mean 5, sd 2.828, t(1) = 12.706.
	want := "t,HN,returnees,2015,sum,2,5,2.828,-20.412,30.412"
	if !strings.Contains(buf.String(), want+"\n") {
		t.Errorf("summary lacks %q", want)
	}
}

func TestWriteSetIsAtomic(t *testing.T) {
	dir := t.TempDir()
	m := &Manifest{Scenario: "x"}
	ok := Output{Name: "a.csv", Write: func(w io.Writer) error { _, err := io.WriteString(w, "a\n"); return err }}
	if err := WriteSet(context.Background(), dir, []Output{ok}, m); err != nil {
		t.Fatal(err)
	}
	if m.Outputs["a.csv"] == "" {
		t.Error("no hash for a.csv")
	}
	// A failing writer leaves the old file, no temporary files, and the old manifest.
	boom := Output{Name: "a.csv", Write: func(w io.Writer) error { io.WriteString(w, "half"); return errors.New("boom") }}
	if err := WriteSet(context.Background(), dir, []Output{boom}, &Manifest{}); err == nil {
		t.Fatal("no error")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 || entries[0].Name() != "a.csv" || entries[1].Name() != ManifestFile {
		t.Errorf("folder holds %v, want only a.csv and the manifest", entries)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.csv")); string(b) != "a\n" {
		t.Errorf("a.csv = %q", b)
	}
}

// text is an output that writes s.
func text(name, s string) Output {
	return Output{Name: name, Write: func(w io.Writer) error { _, err := io.WriteString(w, s); return err }}
}

// A rewrite that fails (a full disk, an interruption) keeps the previous
// complete set; one that succeeds removes what the new manifest does not list.
func TestWriteSetKeepsPreviousSet(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	ctx := context.Background()
	if err := WriteSet(ctx, dir, []Output{text("a.csv", "a1\n"), text("b.csv", "b1\n")}, &Manifest{Scenario: "one"}); err != nil {
		t.Fatal(err)
	}
	full := Output{Name: "b.csv", Write: func(w io.Writer) error {
		io.WriteString(w, "b2 and then")
		return fmt.Errorf("write: %w", syscall.ENOSPC)
	}}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for what, rewrite := range map[string]func() error{
		"a full disk": func() error {
			return WriteSet(ctx, dir, []Output{text("a.csv", "a2\n"), full}, &Manifest{Scenario: "two"})
		},
		"an interrupt": func() error {
			return WriteSet(cancelled, dir, []Output{text("a.csv", "a2\n")}, &Manifest{Scenario: "two"})
		},
		"a bad name": func() error {
			return WriteSet(ctx, dir, []Output{text("a.csv", "a2\n"), text("../x", "")}, &Manifest{})
		},
	} {
		if err := rewrite(); err == nil {
			t.Errorf("%s: no error", what)
		}
		m, err := Verify(dir)
		if err != nil || m.Scenario != "one" {
			t.Fatalf("after %s: %v, want the first set", what, err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 3 {
			t.Errorf("after %s the folder holds %v", what, entries)
		}
	}
	// What a writer killed with SIGKILL leaves: removed by the next set.
	os.WriteFile(filepath.Join(dir, ".a.csv.tmp-12345"), []byte("half"), 0o644)
	os.WriteFile(filepath.Join(dir, ".notes.tmp-1"), []byte("not ours"), 0o644)
	if err := WriteSet(ctx, dir, []Output{text("a.csv", "a3\n"), text("c.csv", "c3\n")}, &Manifest{Scenario: "three"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".a.csv.tmp-12345")); !os.IsNotExist(err) {
		t.Error("a killed writer's temporary file is still there")
	}
	if _, err := os.Stat(filepath.Join(dir, ".notes.tmp-1")); err != nil {
		t.Error("a file that is not the set's was removed")
	}
	if m, err := Verify(dir); err != nil || m.Scenario != "three" {
		t.Fatalf("third set: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "b.csv")); !os.IsNotExist(err) {
		t.Error("b.csv, which the new manifest does not list, is still there")
	}
	os.WriteFile(filepath.Join(dir, "a.csv"), []byte("changed\n"), 0o644)
	if _, err := Verify(dir); err == nil || !strings.Contains(err.Error(), "a.csv: SHA-256") {
		t.Errorf("Verify of a changed file: %v", err)
	}
}

// CheckDir finds a bad output folder before any work, and leaves nothing.
func TestCheckDir(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "file")
	os.WriteFile(file, nil, 0o644)
	if err := CheckDir(filepath.Join(file, "out"), false); err == nil || !strings.Contains(err.Error(), "is a file, not a folder") {
		t.Errorf("under a file: %v", err)
	}
	if err := CheckDir(file, false); err == nil {
		t.Error("a file as the folder: no error")
	}
	if err := CheckDir(filepath.Join(root, "a", "b"), false); err != nil {
		t.Errorf("a folder to make: %v", err)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 1 {
		t.Errorf("CheckDir left %v", entries)
	}
	// A folder that holds a result is refused, naming the command that
	// wrote it, unless it is to be replaced.
	done := filepath.Join(root, "done")
	m := &Manifest{Command: []string{"migrasim", "run", "baseline"}}
	if err := WriteSet(context.Background(), done, nil, m); err != nil {
		t.Fatal(err)
	}
	if err := CheckDir(done, false); err == nil || !strings.Contains(err.Error(), "'migrasim run baseline'") || !strings.Contains(err.Error(), "--force") {
		t.Errorf("a folder with a result: %v", err)
	}
	if err := CheckDir(done, true); err != nil {
		t.Errorf("a folder with a result, replaced: %v", err)
	}
}

func TestHuman(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{{1.5e6, "1.5M"}, {123456, "123k"}, {12345, "12.3k"}, {950, "950"}, {53.27, "53.3"}, {math.NaN(), "NA"}} {
		if got := Human(tt.v); got != tt.want {
			t.Errorf("Human(%g) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

// Every metric can be named for a comparison, and the headline sums too.
func TestMeasureNamed(t *testing.T) {
	all := AllMeasures()
	if len(all) != len(CompareMeasures)+int(sim.NumMetrics)-9 {
		t.Errorf("AllMeasures has %d measures: %v", len(all), MeasureNames())
	}
	for _, name := range []string{"departures_total", "stock_us_tps", "us_evasions", "unemployment_rate"} {
		m, ok := MeasureNamed(name)
		if !ok || m.Name != name {
			t.Errorf("MeasureNamed(%q) = %v, %v", name, m, ok)
		}
	}
	if _, ok := MeasureNamed("nosuch"); ok {
		t.Error("MeasureNamed accepts nosuch")
	}
}
