//go:build unix

package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"migrasim/results"
)

// TestFaultInjection interrupts a run, a compare, a calibration and a sweep
// merge with SIGINT, SIGTERM and SIGKILL at random points (from a seeded
// stream), and runs each on a full disk (a file size limit, as 'ulimit -f'
// sets). Afterwards every output folder holds either a complete result that
// its manifest verifies, or no manifest; an interrupted command exits with
// status 130 and leaves no new result; and a rewrite that fails leaves the
// previous complete result as it was.
func TestFaultInjection(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it many times")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "migrasim")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	spec := filepath.Join(dir, "spec.toml")
	os.WriteFile(spec, []byte("scenario = \"historical\"\nfit_to = \"2012-06\"\nscale = 0.001\nreplicates = 1\nseed = 3\n[prior]\n\"decision.homicide\" = [0.0, 2.0]\n"), 0o644)
	sweepDir := filepath.Join(dir, "sweep")
	for _, args := range [][]string{{"sweep", "plan", sweepSpec, "--out", sweepDir}, {"sweep", "run", sweepDir, "--quiet"}} {
		if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	tests := []struct {
		name  string
		args  []string
		kills int
	}{
		{"run", []string{"run", "testdata/tiny.toml", "--quiet"}, 15},
		{"compare", []string{"compare", "testdata/tiny.toml", "testdata/tiny-removals.toml", "--quiet"}, 12},
		{"calibrate", []string{"calibrate", "--spec", spec, "--method", "none", "--quiet"}, 5},
		{"sweep merge", []string{"sweep", "merge", sweepDir}, 15},
	}
	rng := rand.New(rand.NewPCG(14, 1))
	signals := []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGKILL}
	for _, tt := range tests {
		out := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-"))
		args := append(append([]string(nil), tt.args...), "--out", out, "--force")
		// A clean run: the first complete result, and how long one takes.
		start := time.Now()
		if b, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", tt.name, err, b)
		}
		took := time.Since(start)
		checkFolder(t, tt.name, out)

		for i := range tt.kills {
			sig := signals[i%len(signals)]
			delay := time.Duration(rng.Float64() * 1.3 * float64(took))
			before := manifestBytes(out)
			cmd := exec.Command(bin, args...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(delay)
			cmd.Process.Signal(sig)
			err := cmd.Wait()
			what := tt.name + " " + sig.String() + " after " + delay.Round(time.Millisecond).String()
			code, signalled := exitOf(err)
			switch {
			case sig == syscall.SIGKILL:
			case code == 0, code == 130, signalled == sig:
			default:
				t.Errorf("%s: exit status %d (%v), want 0 or 130\n%s", what, code, err, stderr.String())
			}
			m := checkFolder(t, what, out)
			if code == 130 && m != nil && !bytes.Equal(manifestBytes(out), before) {
				t.Errorf("%s: exited 130 but left a new complete result", what)
			}
		}

		// A full disk: no file may grow past a few kilobytes. The rewrite
		// fails and the previous complete result stays as it was.
		clean := func() {
			if b, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", tt.name, err, b)
			}
		}
		if _, err := results.Verify(out); err != nil {
			clean()
		}
		before := manifestBytes(out)
		full := exec.Command("sh", append([]string{"-c", `ulimit -f 8 && exec "$0" "$@"`, bin}, args...)...)
		b, err := full.CombinedOutput()
		if code, _ := exitOf(err); code != 1 || !strings.Contains(string(b), "file too large") || !strings.Contains(string(b), "is kept") {
			t.Errorf("%s on a full disk: exit %d (%v), want 1 with the cause\n%s", tt.name, code, err, b)
		}
		if checkFolder(t, tt.name+" on a full disk", out) == nil || !bytes.Equal(manifestBytes(out), before) {
			t.Errorf("%s: a failed rewrite lost the previous result", tt.name)
		}
		// The next complete result leaves no temporary file behind, not
		// even those of writers killed by SIGKILL.
		if entries, _ := os.ReadDir(out); strings.Contains(fmt.Sprint(entries), ".tmp-") {
			clean()
		}
		entries, _ := os.ReadDir(out)
		for _, e := range entries {
			if strings.Contains(e.Name(), ".tmp-") {
				t.Errorf("%s: %s left behind", tt.name, e.Name())
			}
		}
	}
}

// checkFolder fails t unless dir holds a complete, verified result set or
// no manifest at all; it returns the manifest, if any.
func checkFolder(t *testing.T, what, dir string) *results.Manifest {
	t.Helper()
	m, err := results.Verify(dir)
	if errors.Is(err, fs.ErrNotExist) && !strings.Contains(err.Error(), results.ManifestFile) {
		t.Errorf("%s: a manifest lists a missing file: %v", what, err)
		return nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return nil
	}
	return m
}

func manifestBytes(dir string) []byte {
	b, _ := os.ReadFile(filepath.Join(dir, results.ManifestFile))
	return b
}

// exitOf returns a finished command's exit status and the signal that
// ended it, if one did.
func exitOf(err error) (int, syscall.Signal) {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		if err != nil {
			return -1, 0
		}
		return 0, 0
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return -1, ws.Signal()
	}
	return ee.ExitCode(), 0
}

// A second Ctrl-C ends the process at once, while the first is still
// winding it down: here, a server waiting for a request that does not come.
func TestSecondInterruptKills(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "migrasim")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	i := strings.Index(line, "http://")
	if err != nil || i < 0 {
		t.Fatalf("serve said %q (%v)", line, err)
	}
	host := strings.TrimSuffix(strings.Fields(line[i+len("http://"):])[0], "/")
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A request whose body never comes keeps the server's shutdown waiting.
	fmt.Fprintf(conn, "POST /api/check HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{", host)
	time.Sleep(200 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	time.Sleep(200 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	code, sig := exitOf(cmd.Wait())
	if sig != syscall.SIGINT {
		t.Errorf("after a second SIGINT: exit status %d, signal %v; want the process ended by SIGINT", code, sig)
	}
}
