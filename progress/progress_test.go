package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// lines parses the JSON lines, failing on any line that is not one.
func lines(t *testing.T, out string) []Line {
	t.Helper()
	var ls []Line
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		p, err := ParseLine(l)
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, p)
	}
	return ls
}

// JSON progress lines come at most one per Every, then one at the
// end: a run of 100 s reporting every 10 ms writes 20 and the end line.
func TestProgressJSONThrottled(t *testing.T) {
	var stderr bytes.Buffer
	p := New(&stderr, false, "run", "x", false)
	clock := p.start
	p.now = func() time.Time { return clock }
	for i := 1; i <= 10000; i++ {
		clock = clock.Add(10 * time.Millisecond)
		p.Update(i, 10000)
	}
	p.Finish()
	p.Finish()
	got := lines(t, stderr.String())
	if len(got) != 21 {
		t.Fatalf("%d lines, want 21:\n%s", len(got), stderr.String())
	}
	if l := got[0]; l.Done != 500 || l.End {
		t.Errorf("first line %+v, want 500 months done after 5 s", l)
	}
	if l := got[20]; l.Done != 10000 || !l.End {
		t.Errorf("last line %+v, want the end at 10000", l)
	}
}
