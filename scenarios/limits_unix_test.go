//go:build unix

package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Only regular files are read: a FIFO without a writer does not hang, and
// /dev/zero is not read forever.
func TestReadFileRegularOnly(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	big := filepath.Join(dir, "big.toml")
	os.WriteFile(big, make([]byte, MaxFileSize+1), 0o644)
	for path, want := range map[string]string{
		fifo:        "a named pipe, not a regular file",
		"/dev/zero": "a device, not a regular file",
		dir:         "a folder, not a file",
		big:         "more than the limit of 1048576 (1 MiB)",
	} {
		if _, err := os.Stat(path); err != nil {
			continue
		}
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load(%s): %v, want %q", path, err, want)
		}
	}
}
