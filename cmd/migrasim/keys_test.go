package main

import (
	"context"
	"strings"
	"testing"
)

// keys prints a header row and, for each key, what it means.
func TestKeysMeanings(t *testing.T) {
	out, _, err := cli(t, context.Background(), "keys")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], "KEY ") || !strings.HasSuffix(lines[0], "MEANING") {
		t.Errorf("keys has no header row: %q", lines[0])
	}
	for _, want := range []string{"months ", "the number of simulated months", "policy.interior_removals.rate_multiplier", "multiplies the removal rate"} {
		if !strings.Contains(out, want) {
			t.Errorf("keys lacks %q", want)
		}
	}
	md, _, err := cli(t, context.Background(), "keys", "--markdown")
	if err != nil || !strings.HasPrefix(md, "| key | type | unit | range | default | meaning |\n") {
		t.Errorf("keys --markdown: %v\n%.200s", err, md)
	}
}
