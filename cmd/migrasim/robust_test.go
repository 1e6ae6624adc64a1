package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"migrasim/report"
	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sweep"
)

// An interrupted command exits with status 130, whatever it returns.
func TestExitStatus(t *testing.T) {
	live := context.Background()
	done, cancel := context.WithCancel(live)
	cancel()
	for _, tt := range []struct {
		ctx  context.Context
		err  error
		want int
		msg  string
	}{
		{live, nil, 0, ""},
		{live, errors.New("bad.toml:1: months: out of range"), 1, "migrasim: bad.toml:1: months"},
		{live, report.Stopped(), 130, "migrasim: interrupted: nothing was written"},
		{done, errors.New("context canceled"), 130, "migrasim: interrupted: context canceled"},
		{done, nil, 0, ""},
	} {
		var b bytes.Buffer
		if got := exitStatus(tt.ctx, tt.err, &b); got != tt.want || !strings.HasPrefix(b.String(), tt.msg) {
			t.Errorf("exitStatus(%v) = %d, %q; want %d, %q", tt.err, got, b.String(), tt.want, tt.msg)
		}
	}
}

// --workers is bounded on every command that takes it.
func TestWorkersBounded(t *testing.T) {
	dir := plan(t)
	for _, args := range [][]string{
		{"run", "testdata/tiny.toml"},
		{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml"},
		{"calibrate", "--method", "none"},
		{"sweep", "run", dir},
		{"serve", "--addr", "127.0.0.1:0"},
	} {
		for _, n := range []string{"99999999999", "-1"} {
			a := append(append([]string(nil), args...), "--workers", n, "--out", filepath.Join(t.TempDir(), "out"))
			if args[0] == "sweep" || args[0] == "serve" {
				a = a[:len(a)-2]
			}
			_, _, err := cli(t, context.Background(), a...)
			if err == nil || !strings.Contains(err.Error(), "--workers "+n+": want 0 (all cores) to") {
				t.Errorf("%v: %v", a, err)
			}
		}
	}
}

// A bad --out is found before any work: with a context that is already
// cancelled, the error is the folder's, not the interruption's.
func TestOutCheckedFirst(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	out := filepath.Join(file, "out")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sweepDir := plan(t)
	for _, args := range [][]string{
		{"run", "testdata/tiny.toml", "--out", out, "--quiet"},
		{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml", "--out", out, "--quiet"},
		{"calibrate", "--method", "none", "--out", out, "--quiet"},
		{"sweep", "plan", sweepSpec, "--out", out},
		{"sweep", "merge", sweepDir, "--out", out},
	} {
		_, _, err := cli(t, ctx, args...)
		if err == nil || !strings.Contains(err.Error(), "is a file, not a folder") {
			t.Errorf("%v: %v", args, err)
		}
	}
}

// Names cannot lead outside out/: a scenario or sweep named with a path is
// refused before anything is written (issue 14, item 10).
func TestNamesStayInOut(t *testing.T) {
	dir := t.TempDir()
	escape := filepath.Join(dir, "escaped")
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("name = \"../../../"+escape+"\"\nmonths = 2\nscale = 0.001\nreplicates = 1\n[sweep.grid]\nfeedback.strength = [0.1]\n"), 0o644)
	for _, args := range [][]string{{"run", bad}, {"check", bad}, {"sweep", "plan", bad}} {
		_, _, err := cli(t, context.Background(), args...)
		if err == nil || !strings.Contains(err.Error(), "bad.toml:1: name: ") {
			t.Errorf("%v: %v", args, err)
		}
	}
	if _, err := os.Stat(escape); !os.IsNotExist(err) {
		t.Errorf("%s was written", escape)
	}
	if got := sweep.Folder([]string{strings.Repeat("a", 100), strings.Repeat("b", 100)}); got != strings.Repeat("a", 100)+"-vs-1-others" {
		t.Errorf("sweep.Folder of long names = %q", got)
	}
}

// One seed range, 0 to 2^63-1, on flags and files; a manifest is always a
// scenario that runs again (issue 14, item 5).
func TestSeedRange(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"run", "testdata/tiny.toml", "--seed", "18446744073709551615", "--out", dir},
		{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml", "--seed", "9223372036854775808", "--out", dir},
		{"sweep", "plan", sweepSpec, "--seed", "9223372036854775808", "--out", dir},
	} {
		_, _, err := cli(t, context.Background(), args...)
		if err == nil || !strings.Contains(err.Error(), "seed: ") || !strings.Contains(err.Error(), "out of range [0, 9223372036854775807]") {
			t.Errorf("%v: %v", args, err)
		}
	}
	out := filepath.Join(dir, "max")
	mustCLI(t, "run", "testdata/tiny.toml", "--seed", "9223372036854775807", "--months", "1", "--out", out, "--quiet")
	m, err := results.Verify(out)
	if err != nil {
		t.Fatal(err)
	}
	p, err := scenarios.Parse("manifest.toml", []byte(m.Resolved))
	if err != nil || p.Seed != scenarios.MaxSeed || m.Seed != scenarios.MaxSeed {
		t.Errorf("the manifest does not run again: %v", err)
	}
}

// --vary lists every bad value, and refuses a value given twice.
func TestCompareVaryAllProblems(t *testing.T) {
	_, _, err := cli(t, context.Background(), "compare", "testdata/tiny.toml", "testdata/tiny-removals.toml",
		"--vary", "feedback.strength=1,x,-3,y,1", "--out", t.TempDir(), "--quiet")
	for _, want := range []string{`feedback.strength = "x": want a number`, `feedback.strength = "y": want a number`, "feedback.strength: -3 is out of range", "feedback.strength = 1 is given twice"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

// 'check' on something that is not a regular file refuses at once.
func TestCheckNotAFile(t *testing.T) {
	for path, want := range map[string]string{"/dev/zero": "a device, not a regular file", t.TempDir(): "a folder, not a file"} {
		if _, err := os.Stat(path); err != nil {
			continue
		}
		_, _, err := cli(t, context.Background(), "check", path)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("check %s: %v", path, err)
		}
	}
}

// The reproduction of stale records: plan and run at one scale,
// delete the plan and the merge but keep tasks/, plan again at another:
// the old records are refused, not skipped and merged (issue 14, item 1).
func TestSweepStaleRecords(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sweep")
	mustCLI(t, "sweep", "plan", sweepSpec, "--out", dir, "--scale", "0.001", "--months", "3")
	mustCLI(t, "sweep", "run", dir)
	mustCLI(t, "sweep", "merge", dir)
	for _, f := range []string{"sweep.json", "plan.jsonl", "base.toml", "merged"} {
		os.RemoveAll(filepath.Join(dir, f))
	}
	_, _, err := cli(t, context.Background(), "sweep", "plan", sweepSpec, "--out", dir, "--scale", "0.002", "--months", "3")
	if err == nil || !strings.Contains(err.Error(), "holds results of another plan") {
		t.Errorf("planning over old results: %v", err)
	}
}

// Status checks the records merge would use and names what to do; a
// cut-short status file is named by every command (issue 14, item 11).
func TestSweepStatusChecksRecords(t *testing.T) {
	dir := plan(t)
	mustCLI(t, "sweep", "run", dir, "--task", "0", "--tasks", "2")
	mustCLI(t, "sweep", "run", dir, "--task", "1", "--tasks", "2", "--workers", "1") // records in run order: run 11 is last
	if out := mustCLI(t, "sweep", "status", dir); !strings.Contains(out, "complete, every record checked") {
		t.Fatalf("status of a complete sweep:\n%s", out)
	}
	runs := filepath.Join(dir, "tasks", "task-0001-of-0002.runs")
	b, _ := os.ReadFile(runs)
	b[len(b)-5] ^= 0xff
	os.WriteFile(runs, b, 0o644)
	out := mustCLI(t, "sweep", "status", dir)
	for _, want := range []string{"1 with a damaged record", "run 11: " + runs, "does not match its SHA-256", "'migrasim sweep run " + dir + " --task 1 --tasks 2' runs it again"} {
		if !strings.Contains(out, want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "complete") {
		t.Errorf("status says complete with a damaged record:\n%s", out)
	}
	if _, _, err := cli(t, context.Background(), "sweep", "merge", dir); err == nil || !strings.Contains(err.Error(), "--task 1 --tasks 2' runs it again") {
		t.Errorf("merge with a damaged record: %v", err)
	}
	mustCLI(t, "sweep", "run", dir, "--task", "1", "--tasks", "2")
	mustCLI(t, "sweep", "merge", dir)

	status := filepath.Join(dir, "tasks", "task-0000-of-0002.status")
	b, _ = os.ReadFile(status)
	os.WriteFile(status, b[:len(b)/2], 0o644)
	for _, args := range [][]string{{"sweep", "run", dir, "--task", "0", "--tasks", "2"}, {"sweep", "status", dir}, {"sweep", "merge", dir, "--force"}} {
		out, _, err := cli(t, context.Background(), args...)
		if msg := out + errString(err); !strings.Contains(msg, status+":") || !strings.Contains(msg, "damaged") || !strings.Contains(msg, "delete "+status) {
			t.Errorf("%v: %s", args, msg)
		}
	}
	if _, err := results.Verify(filepath.Join(dir, "merged")); err != nil {
		t.Errorf("a refused merge damaged the previous one: %v", err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
