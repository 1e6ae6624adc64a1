package main

import (
	"context"
	"runtime"
	"strings"
	"testing"
)

// 'migrasim version' prints the engine version, the toolchain and the data
// hash on stdout; the golden file holds placeholders for the toolchain.
func TestVersion(t *testing.T) {
	stdout, stderr, err := cli(t, context.Background(), "version")
	if err != nil || stderr != "" {
		t.Fatalf("version: %v\n%s", err, stderr)
	}
	if stdout != versionText(runtime.Version(), runtime.GOARCH) {
		t.Errorf("version printed %q", stdout)
	}
	golden(t, "version.stdout", []byte(versionText("GO", "ARCH")))
	if !strings.Contains(stdout, "goarch  "+runtime.GOARCH+"\n") {
		t.Errorf("version lacks GOARCH: %q", stdout)
	}
}
