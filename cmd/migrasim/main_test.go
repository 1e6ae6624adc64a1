package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// cli runs migrasim with args and returns stdout, stderr and the error.
// refused runs the command with --out in a fresh folder and --quiet, and
// checks that it fails with an error containing want and writes nothing.
func refused(t *testing.T, args []string, want string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	_, _, err := cli(t, context.Background(), append(args, "--out", out, "--quiet")...)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("%v: got %v, want %q", args, err, want)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%v: wrote %s", args, out)
	}
}

func cli(t *testing.T, ctx context.Context, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(ctx, args, &out, &errb)
	return out.String(), errb.String(), err
}

// golden compares got with testdata/name; on mismatch it writes
// testdata/name.got (or, with -update, rewrites the golden file).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run 'go test ./cmd/migrasim -update' to create it)", err)
	}
	if !bytes.Equal(got, want) {
		os.WriteFile(path+".got", got, 0o644)
		t.Errorf("%s differs from the golden file; see %s.got (diff them; -update accepts)", path, path)
	}
}

func TestRunGolden(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, err := cli(t, context.Background(), "run", "testdata/tiny.toml", "--out", dir, "--quiet")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	golden(t, "tiny.stdout", []byte(strings.ReplaceAll(stdout, dir, "OUT")))
	for _, f := range []string{"series.csv", "summary.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "tiny."+f, b)
	}
	m, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"scenario": "tiny"`, `"seed": 5`, `"replicates": 2`, `"input_sha256"`, `"series.csv"`, `"go_version"`} {
		if !bytes.Contains(m, []byte(want)) {
			t.Errorf("manifest lacks %s", want)
		}
	}
}

// series.csv is byte-identical whatever --workers is.
func TestRunDeterministicAcrossWorkers(t *testing.T) {
	var ref []byte
	for _, workers := range []string{"1", "2", "7"} {
		dir := t.TempDir()
		if _, stderr, err := cli(t, context.Background(), "run", "testdata/tiny.toml", "--scale", "0.02", "--out", dir, "--quiet", "--workers", workers); err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		b, err := os.ReadFile(filepath.Join(dir, "series.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if ref == nil {
			ref = b
		} else if !bytes.Equal(b, ref) {
			t.Errorf("--workers %s: series.csv differs from --workers 1", workers)
		}
	}
}

// Bad input is an error naming file, line and key, and nothing is written.
func TestRunBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("months = 12\nscale = 3.0\nfoo = 1\n"), 0o644)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"run", bad}, "bad.toml:3: foo: unknown key"},
		{[]string{"run", "no-such"}, `scenario "no-such": no such embedded scenario`},
		{[]string{"run", "testdata/tiny.toml", "--scale", "2"}, "command line: scale: 2 is out of range"},
		{[]string{"run", "testdata/tiny.toml", "--months", "x"}, `invalid value "x" for flag -months`},
		{[]string{"run", "a", "b"}, "one scenario at a time"},
		{[]string{"check"}, "want one scenario"},
		{[]string{"run", "testdata/sweep.toml"}, "testdata/sweep.toml is a sweep spec: plan it with 'migrasim sweep plan testdata/sweep.toml'"},
		{[]string{"run", "deportation-feedback"}, "deportation-feedback is a sweep spec: plan it with 'migrasim sweep plan deportation-feedback'"},
		{[]string{"check", "testdata/sweep.toml"}, "is a sweep spec"},
		{[]string{"compare", "baseline", "testdata/sweep.toml"}, "is a sweep spec"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
	}
	for _, tt := range tests {
		out := filepath.Join(dir, "out")
		args := tt.args
		if args[0] == "run" {
			args = append(args, "--out", out)
		}
		_, _, err := cli(t, context.Background(), args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: got %v, want %q", tt.args, err, tt.want)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%v: wrote %s", tt.args, out)
		}
	}
}

// An interrupted run writes nothing.
func TestRunInterrupted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := cli(t, ctx, "run", "testdata/tiny.toml", "--out", dir, "--quiet")
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("got %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("an interrupted run created %s", dir)
	}
}

func TestListAndCheck(t *testing.T) {
	out, _, err := cli(t, context.Background(), "list")
	if err != nil || !strings.Contains(out, "baseline") {
		t.Errorf("list: %v\n%s", err, out)
	}
	out, _, err = cli(t, context.Background(), "check", "testdata/tiny.toml")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "tiny.check", []byte(out))
	// The printed scenario is itself a scenario.
	path := filepath.Join(t.TempDir(), "resolved.toml")
	os.WriteFile(path, []byte(out), 0o644)
	again, _, err := cli(t, context.Background(), "check", path)
	if err != nil || again != out {
		t.Errorf("check of check's output: %v", err)
	}
	keys, _, err := cli(t, context.Background(), "keys")
	if err != nil || !strings.Contains(keys, "policy.interior_removals.rate_multiplier") {
		t.Errorf("keys: %v", err)
	}
	help, _, _ := cli(t, context.Background(), "help")
	for _, c := range []string{"run", "list", "check", "keys"} {
		if !strings.Contains(help, "  "+c+" ") {
			t.Errorf("help does not list %s", c)
		}
	}
}

// -h prints a command's help on stdout and is not an error.
func TestHelpFlag(t *testing.T) {
	for _, c := range commands {
		stdout, stderr, err := cli(t, context.Background(), c.name, "-h")
		if err != nil || !strings.HasPrefix(stdout, "Usage: migrasim "+c.name) || stderr != "" {
			t.Errorf("%s -h: %v\n%s%s", c.name, err, stdout, stderr)
		}
	}
}
