package sim

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// fused matches a fused multiply-add or multiply-subtract in a -S listing:
// FMADDD, FNMSUBD, … on arm64, riscv64 and loong64, FMADD on ppc64 and
// s390x, VFMADD231SD, … on amd64 from GOAMD64=v3.
var fused = regexp.MustCompile(`^\s*0x[0-9a-f]+ \d+ \(([^)]+)\)\s+(V?FN?M(?:ADD|SUB)\w*)\b`)

// The engine computes the same numbers on every architecture: where a
// compiler may fuse a multiplication and an addition into one instruction
// with a single rounding, the code writes float64(a*b), an explicit
// conversion that rounds and so forbids the fusion (the Go spec, "Floating-
// point operators"). This test compiles the package for targets that fuse
// and fails on every fused instruction it finds, naming its source line.
func TestNoFusedMultiplyAdd(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: compiling for other architectures takes a while the first time")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH:", err)
	}
	targets := []struct {
		name string
		env  []string
	}{
		{"arm64", []string{"GOARCH=arm64"}},
		{"amd64 v3", []string{"GOARCH=amd64", "GOAMD64=v3"}},
	}
	for _, tt := range targets {
		cmd := exec.Command(goCmd, "build", "-gcflags=-S", ".")
		cmd.Env = append(os.Environ(), append([]string{"CGO_ENABLED=0"}, tt.env...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: go build -gcflags=-S: %v\n%s", tt.name, err, out)
		}
		if !bytes.Contains(out, []byte("fillHazards")) {
			t.Fatalf("%s: go build -gcflags=-S printed no listing of the package:\n%.2000s", tt.name, out)
		}
		var found []string
		sc := bufio.NewScanner(bytes.NewReader(out))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			m := fused.FindStringSubmatch(sc.Text())
			if m == nil {
				continue
			}
			found = append(found, m[1]+": "+m[2]+": "+sourceLine(m[1]))
		}
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
		slices.Sort(found)
		found = slices.Compact(found)
		if len(found) > 0 {
			t.Errorf("%s: %d fused multiply-adds; write the product that feeds the addition as float64(a*b):\n%s",
				tt.name, len(found), strings.Join(found, "\n"))
		}
	}
}

// sourceLine returns the text of file:line, trimmed, or "" if it cannot be read.
func sourceLine(pos string) string {
	i := strings.LastIndexByte(pos, ':')
	if i < 0 {
		return ""
	}
	b, err := os.ReadFile(pos[:i])
	if err != nil {
		return ""
	}
	n, err := strconv.Atoi(pos[i+1:])
	if err != nil {
		return ""
	}
	lines := strings.Split(string(b), "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return strings.TrimSpace(lines[n-1])
}
