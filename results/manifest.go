package results

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
)

// Manifest records how a run was made, so that it can be reproduced: the fully
// resolved scenario (a TOML scenario that 'migrasim run' accepts), the seed,
// the versions, the machine settings, and hashes of the inputs and outputs.
type Manifest struct {
	Scenario    string            `json:"scenario"`
	Seed        uint64            `json:"seed"`
	Replicates  int               `json:"replicates"`
	Engine      string            `json:"engine_version"`
	Arch        string            `json:"goarch"` // GOARCH of the binary; the engine rounds explicitly, so results do not depend on it
	Go          string            `json:"go_version"`
	Workers     int               `json:"workers"`
	WallSeconds float64           `json:"wall_seconds"`
	Command     []string          `json:"command"`
	InputHash   string            `json:"input_sha256"` // of the resolved scenario text and the embedded data
	Outputs     map[string]string `json:"outputs_sha256"`
	Resolved    string            `json:"resolved_scenario_toml"`
	Warnings    []string          `json:"warnings,omitempty"` // levers that never act within the run (scenarios.Warnings)
}

// Write writes the manifest as indented JSON.
func (m *Manifest) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

// Hash returns the hex SHA-256 of the parts, each length-prefixed.
func Hash(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		var n [8]byte
		for i := range n {
			n[i] = byte(uint64(len(p)) >> (8 * i))
		}
		h.Write(n[:])
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil))
}
