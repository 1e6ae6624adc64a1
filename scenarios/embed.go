// Package scenarios is the scenario library and its loader. A scenario is a
// TOML file that states only what differs from the defaults; Load resolves it
// into a sim.Params: defaults (the engine's, plus what the public data in
// data/ gives) -> strict TOML decoding -> per-key range checks -> cross-field
// validation. Every problem names the file, the line where TOML gives one, and
// the key path, and all problems come back together in one error.
//
// The library's *.toml files and the data are embedded in the binary.
package scenarios

import (
	"crypto/sha256"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

//go:embed *.toml data/*.csv data/*.md sweeps/*.toml
var files embed.FS

// Info describes an embedded scenario.
type Info struct {
	Name        string
	Description string
}

// List returns the embedded scenarios, sorted by name.
func List() ([]Info, error) { return list("*.toml") }

// Sweeps lists the embedded sweep specs (sweeps/*.toml: scenarios with a
// [sweep] table, read by package sweep), sorted by name.
func Sweeps() ([]Info, error) { return list("sweeps/*.toml") }

// SweepSource returns the TOML text of the embedded sweep spec name.
func SweepSource(name string) ([]byte, error) {
	return files.ReadFile("sweeps/" + path.Clean(name) + ".toml")
}

// list describes the embedded files that match pattern.
func list(pattern string) ([]Info, error) {
	names, err := fs.Glob(files, pattern)
	if err != nil {
		return nil, err
	}
	var out []Info
	for _, n := range names {
		b, err := files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		var head struct {
			Description string `toml:"description"`
		}
		// Only the description is wanted; the full check happens in Load.
		toml.Decode(string(b), &head)
		out = append(out, Info{Name: strings.TrimSuffix(path.Base(n), ".toml"), Description: head.Description})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Source returns the TOML text of the embedded scenario name.
func Source(name string) ([]byte, error) {
	return files.ReadFile(path.Clean(name) + ".toml")
}

// DataHash is the SHA-256 of the embedded data files (names and contents),
// recorded in manifests so a change of data is visible.
func DataHash() []byte {
	h := sha256.New()
	names, _ := fs.Glob(files, "data/*")
	sort.Strings(names)
	for _, n := range names {
		b, _ := files.ReadFile(n)
		fmt.Fprintf(h, "%s %d\n", n, len(b))
		h.Write(b)
	}
	return h.Sum(nil)
}
