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
