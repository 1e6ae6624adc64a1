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

const versionDetails = `
The engine version changes whenever results for the same scenario and seed
change; the data hash is the first 12 hex digits of the SHA-256 of the
embedded data (the input_sha256 of a manifest covers it and the scenario).`

func runVersion(ctx context.Context, e *env, args []string) error {
	fs := newFlags(find("version"), e, versionDetails)
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
