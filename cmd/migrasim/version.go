package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"runtime"

	"migrasim/scenarios"
	"migrasim/sim"
)

func init() {
	register(command{name: "version", usage: "",
		summary: "print the engine version, Go version, GOARCH and data hash", run: runVersion})
}

func runVersion(ctx context.Context, e *env, args []string) error {
	fs := newFlags(find("version"), e, details("version"))
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("version: takes no arguments, got %v", pos)
	}
	fmt.Fprint(e.stdout, versionText(runtime.Version(), runtime.GOARCH))
	return nil
}

// versionText is what 'migrasim version' prints, given the Go version and
// GOARCH (parameters so that a golden test does not depend on the toolchain).
func versionText(goVersion, arch string) string {
	return fmt.Sprintf("engine  %s\ngo      %s\ngoarch  %s\ndata    %s\n",
		sim.Version, goVersion, arch, hex.EncodeToString(scenarios.DataHash())[:12])
}
