// Package sim is the migrasim engine: an agent-based model of households in
// the departments of El Salvador, Honduras and Guatemala deciding each month
// whether to send someone north, of their migrants' journeys through Mexico,
// at the U.S. border and abroad, and of returns home and their effect on
// violence and jobs. docs/ODD.md describes the model; the code follows it.
//
// A World is one replicate. Each month (Step) runs eight steps in a fixed
// order: (1) the policy timeline, (2) origin conditions, (3) household
// decisions, (4) transit through Mexico, (5) the U.S. border, (6) life abroad,
// (7) returns, (8) observation. Steps 1–2 are serial and cheap; steps 3–7 run
// per shard, in parallel; step 8 sums the shards in shard order.
//
// Determinism contract: households are split into shards of ShardSize, a
// constant. Each shard owns its households and the migrants that came from
// them, and draws from its own PCG streams seeded from (seed, replicate,
// shard). Same Params, same seed: same results, byte for byte, whatever the
// number of workers. Replicate r of two scenarios with the same seed uses the
// same streams (common random numbers).
//
// The engine's own arithmetic is the same on every architecture: a product
// that feeds an addition or subtraction is written float64(a*b), because an
// explicit conversion rounds and so keeps compilers for arm64 (and amd64 from
// GOAMD64=v3) from fusing the two into one multiply-add (TestNoFusedMultiplyAdd
// checks the compiled code). The math package's Exp, Log, Log1p and Pow are
// not used: they have other implementations, or fused code, on arm64, and on
// amd64 Exp takes an FMA path on CPUs that have one. The engine uses its own
// exp, log and powInt (fmath.go), the same algorithms rounded explicitly, and
// only math functions that IEEE 754 defines exactly (Sqrt, Ldexp, Frexp,
// Floor, Max, Min). So results are byte for byte the same on every machine
// and architecture.
//
// The package knows nothing of files, TOML, terminals or HTTP: Params come in,
// Series come out, and progress goes to a callback.
package sim

// Version is the engine version recorded in every manifest. It changes when
// results for the same scenario and seed change: TestVersionPinsResults ties
// it to a hash of a reference run's results.
const Version = "0.11.0"
