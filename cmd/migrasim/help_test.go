package main

import (
	"context"
	"strings"
	"testing"
)

// Help that was asked for goes to stdout with no error, so that
// 'migrasim help run | less' shows it.
func TestHelpOnStdout(t *testing.T) {
	for _, args := range [][]string{
		{}, {"help"}, {"-h"}, {"help", "run"}, {"run", "-h"}, {"run", "--help"},
		{"help", "sweep"}, {"help", "sweep", "plan"}, {"sweep", "plan", "-h"},
	} {
		stdout, stderr, err := cli(t, context.Background(), args...)
		if err != nil || stderr != "" || !strings.HasPrefix(stdout, "Usage: migrasim") && !strings.HasPrefix(stdout, "migrasim: ") {
			t.Errorf("%v: err %v, stderr %q, stdout %.60q", args, err, stderr, stdout)
		}
	}
	stdout, _, _ := cli(t, context.Background(), "help", "run")
	if !strings.Contains(stdout, "-replicates") {
		t.Errorf("help run lacks the flags:\n%s", stdout)
	}
}

// A mistake on the command line is an error of two lines, what was wrong and
// where to look, with nothing else printed; the golden file holds them all.
func TestUsageErrors(t *testing.T) {
	var all strings.Builder
	for _, args := range [][]string{
		{"rn"}, {"frobnicate"}, {"help", "nosuch"}, {"help", "chek"},
		{"run", "--bogus"}, {"run", "testdata/tiny.toml", "--months", "x"}, {"keys", "-x"},
		{"sweep", "pln"}, {"help", "sweep", "pln"}, {"sweep", "plan", "--zz"},
	} {
		stdout, stderr, err := cli(t, context.Background(), args...)
		if err == nil {
			t.Errorf("%v: no error", args)
			continue
		}
		if stdout != "" || stderr != "" {
			t.Errorf("%v printed more than its error:\n%s%s", args, stdout, stderr)
		}
		if n := strings.Count(err.Error(), "\n"); n != 1 {
			t.Errorf("%v: error of %d lines, want 2:\n%v", args, n+1, err)
		}
		if !strings.Contains(err.Error(), "'migrasim help") {
			t.Errorf("%v: error does not point to help: %v", args, err)
		}
		all.WriteString("$ migrasim " + strings.Join(args, " ") + "\n" + err.Error() + "\n")
	}
	golden(t, "usage-errors.txt", []byte(all.String()))
}

// Every long help in help/ is a command's, and 'migrasim help' prints it:
// a help file renamed or a command that stops reading its own fails here.
func TestEveryCommandHasHelp(t *testing.T) {
	entries, err := helpFiles.ReadDir("help")
	if err != nil || len(entries) < 10 {
		t.Fatalf("help/: %d files, %v", len(entries), err)
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".txt")
		args := append([]string{"help"}, strings.SplitN(name, "-", 2)...)
		out, _, err := cli(t, t.Context(), args...)
		if err != nil {
			t.Errorf("%v: %v", args, err)
			continue
		}
		first, _, _ := strings.Cut(details(name), "\n")
		if first == "" || !strings.Contains(out, first) {
			t.Errorf("'migrasim %s' does not print help/%s", strings.Join(args, " "), e.Name())
		}
	}
}
