package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"migrasim/progress"
)

// progressLines parses stderr's JSON progress lines, failing on any line
// that is not one.
func progressLines(t *testing.T, stderr string) []progress.Line {
	t.Helper()
	var out []progress.Line
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if !strings.HasPrefix(l, "{") {
			continue
		}
		p, err := progress.ParseLine(l)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// When stderr is not a terminal, run, compare and calibrate report progress
// as JSON lines ending with an end line at the last count; --quiet
// silences them.
func TestProgressJSONLines(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "spec.toml")
	os.WriteFile(spec, []byte("scenario = \"historical\"\nfit_to = \"2013-09\"\nscale = 0.001\nreplicates = 2\nseed = 5\n[prior]\n\"decision.uac_share\" = [0.05, 0.5]\n"), 0o644)
	for _, args := range [][]string{
		{"run", "testdata/tiny.toml", "--replicates", "1", "--months", "2"},
		{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml", "--replicates", "1", "--months", "2"},
		{"calibrate", "--spec", spec, "--method", "none", "--budget", "10"},
	} {
		out := filepath.Join(dir, args[0])
		_, stderr, err := cli(t, context.Background(), append(args, "--out", out)...)
		if err != nil {
			t.Fatalf("%s: %v\n%s", args[0], err, stderr)
		}
		lines := progressLines(t, stderr)
		if len(lines) == 0 {
			t.Fatalf("%s: no progress lines on stderr:\n%s", args[0], stderr)
		}
		last := lines[len(lines)-1]
		if last.Command != args[0] || !last.End || last.Done != last.Total || last.Total == 0 {
			t.Errorf("%s: last progress line %+v, want the end at the total", args[0], last)
		}
		_, stderr, err = cli(t, context.Background(), append(args, "--out", out, "--quiet", "--force")...)
		if err != nil {
			t.Fatalf("%s --quiet: %v", args[0], err)
		}
		if strings.Contains(stderr, `"command"`) {
			t.Errorf("%s --quiet: progress on stderr:\n%s", args[0], stderr)
		}
	}
}
