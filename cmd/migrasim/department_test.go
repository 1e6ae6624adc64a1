package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// departmentNames are the departments of the embedded geography.
func departmentNames(t *testing.T) []string {
	t.Helper()
	p, err := loadScenario("testdata/tiny.toml")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range p.Geography.Regions {
		names = append(names, r.Name)
	}
	return names
}

// readTable reads a CSV file of dir.
func readTable(t *testing.T, dir, name string) [][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows
}

// TestRunByDepartment: run --by department writes the department series
// and summary, with a department column naming every real department, and
// leaves the national outputs as they are without it.
func TestRunByDepartment(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, err := cli(t, context.Background(), "run", "testdata/tiny.toml", "--by", "department", "--out", dir, "--quiet")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "(series.csv, summary.csv, series_department.csv, summary_department.csv, 8 plots, manifest.json)") {
		t.Errorf("stdout does not list the department files:\n%s", stdout)
	}
	for _, f := range []string{"series.csv", "summary.csv"} {
		got, _ := os.ReadFile(filepath.Join(dir, f))
		want, _ := os.ReadFile(filepath.Join("testdata", "tiny."+f))
		if !bytes.Equal(got, want) {
			t.Errorf("--by department changed %s (testdata/tiny.%s)", f, f)
		}
	}
	names := departmentNames(t)
	if len(names) != 54 || !slices.Contains(names, "Ahuachapán") || !slices.Contains(names, "Francisco Morazán") {
		t.Fatalf("the geography has %d departments: %v", len(names), names)
	}
	for _, tc := range []struct {
		file, header string
		col          int // the department's; the country's is before it
	}{
		{"series_department.csv", "scenario,replicate,month,country,department,metric,value", 4},
		{"summary_department.csv", "scenario,country,department,metric,period,aggregate,replicates,mean,sd,ci_low,ci_high", 2},
	} {
		rows := readTable(t, dir, tc.file)
		if got := strings.Join(rows[0], ","); got != tc.header {
			t.Errorf("%s header:\n got %s\nwant %s", tc.file, got, tc.header)
		}
		seen := map[string]bool{}
		for _, row := range rows[1:] {
			if !slices.Contains(names, row[tc.col]) {
				t.Fatalf("%s: department %q is not one of the data's", tc.file, row[tc.col])
			}
			seen[row[tc.col-1]+" "+row[tc.col]] = true // La Paz is in SV and HN
		}
		if len(seen) != len(names) {
			t.Errorf("%s names %d departments by country, want %d", tc.file, len(seen), len(names))
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "summary_department.csv"))
	golden(t, "tiny.summary_department.csv", b)
	if m, _ := os.ReadFile(filepath.Join(dir, "manifest.json")); !bytes.Contains(m, []byte(`"series_department.csv"`)) {
		t.Error("the manifest does not list series_department.csv")
	}
}

// TestCompareByDepartment: compare --by department writes each scenario's
// department series, as run writes them, and comparison_department.csv,
// and leaves comparison.csv as it is without it.
func TestCompareByDepartment(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, err := cli(t, context.Background(), "compare", "testdata/tiny.toml", "testdata/tiny-removals.toml",
		"--replicates", "3", "--by", "department", "--out", dir, "--quiet")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "comparison_department.csv, series_department_*.csv") {
		t.Errorf("stdout does not list the department files:\n%s", stdout)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "comparison.csv"))
	want, _ := os.ReadFile(filepath.Join("testdata", "compare.csv"))
	if !bytes.Equal(got, want) {
		t.Error("--by department changed comparison.csv (testdata/compare.csv)")
	}
	rows := readTable(t, dir, "comparison_department.csv")
	if h := strings.Join(rows[0], ","); h != "scenario,reference,country,department,metric,period,aggregate,replicates,mean,reference_mean,diff_mean,diff_sd,diff_ci_low,diff_ci_high,same_sign_share" {
		t.Errorf("comparison_department.csv header: %s", h)
	}
	names := departmentNames(t)
	removed := false
	for _, row := range rows[1:] {
		if !slices.Contains(names, row[3]) || row[0] != "tiny-removals" || row[1] != "tiny" {
			t.Fatalf("comparison_department.csv row %v", row)
		}
		removed = removed || (row[4] == "us_removals_interior" && row[5] == "all" && !strings.HasPrefix(row[10], "-") && row[10] != "0")
	}
	if !removed {
		t.Error("no department has more interior removals under tiny-removals")
	}
	runDir := t.TempDir()
	for _, name := range []string{"tiny", "tiny-removals"} {
		out := filepath.Join(runDir, name)
		if _, stderr, err := cli(t, context.Background(), "run", "testdata/"+name+".toml", "--replicates", "3", "--by", "department", "--out", out, "--quiet"); err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		alone, _ := os.ReadFile(filepath.Join(out, "series_department.csv"))
		paired, err := os.ReadFile(filepath.Join(dir, "series_department_"+name+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(alone, paired) {
			t.Errorf("series_department_%s.csv differs from run's series_department.csv", name)
		}
	}
}

// TestByRefused: --by takes department only, and compare refuses it with
// --vary or --posterior; nothing is written.
func TestByRefused(t *testing.T) {
	pair := []string{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "testdata/tiny.toml", "--by", "municipality"}, "--by municipality: the outputs can be broken down by department only (--by department)"},
		{[]string{"run", "testdata/tiny.toml", "--by", "foo"}, "--by foo: the outputs can be broken down by department only"},
		{append(slices.Clone(pair), "--by", "municipality"), "--by municipality: the outputs can be broken down by department only"},
		{append(slices.Clone(pair), "--by", "department", "--vary", "feedback.strength=0,1"), "compare --by department: compares the scenarios at their own keys; leave out --vary and --posterior"},
		{append(slices.Clone(pair), "--by", "department", "--posterior", "particles.csv"), "leave out --vary and --posterior"},
	} {
		refused(t, tc.args, tc.want)
	}
}
