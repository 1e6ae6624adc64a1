package sim

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata (only after bumping sim.Version)")

// referenceHash is the SHA-256 of the reference run's series (referenceSeries,
// hashSeries) for each engine version. A change of results must come with a
// new Version and its hash here: the Version recorded in a manifest then
// says which results a run gives.
var referenceHash = map[string]string{
	"0.3.0":  "e111948c7d1161017e21430ca82607de3153d75d6ed09cec109a8fbcac7fc720",
	"0.3.1":  "9dfffd265a7195055a0058387b00ee086b50dfd766b62029435db25ce982641b",
	"0.4.0":  "f4e26c88d1b8dc38a5ef6fbf7e9cd50d6bbf35e360ed3b03cf6355c44e42da60",
	"0.5.0":  "326fd0bdab8dfc4377eb3ac963461ba58b17d476d37cd96da2d161738939f357",
	"0.5.1":  "326fd0bdab8dfc4377eb3ac963461ba58b17d476d37cd96da2d161738939f357", // the historical scenario changed, not this run
	"0.6.0":  "c85a6adfea8f2426b2c6f4c36f03a95b1eeb7a570bf8b1873371c67931765c91", // remittances ease the poverty and unemployment push
	"0.7.0":  "f3cfa6d3d4681da825a9a32708a757b58f82505126c9bc886f05ad808bb85287", // refit on FY2012–2017 after remittances, with Mexico 2013 and 2015 targets; decision.homicide held to Clemens (2017)
	"0.8.0":  "e9ed1fbb30d6219a5e8587d96bb0def8eee1cfaeda60c5f613cb663e563d5c34", // families learn on their own clock (decision.family_belief_months) with a family share by country (country.*.family_shift); refit on FY2012–2017
	"0.9.0":  "ed2b93ec9aab5fe5d201b1b6d088ec90dd707bfec11ef5974864e212658d985f", // families learn by word of mouth too (decision.family_imitation, a Bass curve); refit on FY2012–2017
	"0.10.0": "86b9d8f06886e5fc89dc140959ea0b5755bb2b53e878cbca2288c99c784b3e0d", // interior removal rates by country (country.*.removal_shift) and ICE's 2015 priorities in history; refit on FY2012–2017
	"0.11.0": "b7e4b0501a4856cd4be0287b3f62659de913ff53059f2cf845579228ff61312b", // Mexico's reach learned on its own clock (decision.reach_months); the deterrence shock on every kind's stay; refit on FY2012–2017
}

// referenceParams is a run that spans several shards and most mechanisms:
// the test world at scale 0.05 (about 105,000 households, 4 shards) for two
// years from 2014 with two replicates, CAM opening in December 2014, tripled
// interior removals aimed half at gangs and a violence shock in Honduras
// (both from 2014-07: the status-quo twin runs too), and DACA rescinded in
// 2015-06.
func referenceParams(t testing.TB) *Params {
	t.Helper()
	p := testParams(t)
	p.Name = "reference"
	p.Scale = 0.05
	p.Start = MonthOf(2014, 1)
	p.Months = 24
	p.Replicates = 2
	p.Policy.InteriorRemovals = InteriorRemovals{Window: Window{From: MonthOf(2014, 7), RampMonths: 3}, RateMultiplier: 3, GangTargeting: 0.5}
	p.Policy.DACA.Rescind = MonthOf(2015, 6)
	p.Shocks = []Shock{{Country: "HN", Variable: "homicide", Mode: "multiply", Path: map[string]float64{"2014-06": 1, "2015-06": 1.3}}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	return p
}

// referenceSeries runs referenceParams (on 2 workers: the number never
// changes results) and checks that it spans several shards.
func referenceSeries(t *testing.T) []Series {
	t.Helper()
	p := referenceParams(t)
	w, err := newWorld(p, 0, Serial)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(w.shards); n < 3 {
		t.Fatalf("the reference run has %d shards, want at least 3", n)
	}
	series, err := Run(context.Background(), p, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	return series
}

// hashSeries is the SHA-256 of every value of every series, in order, as
// little-endian IEEE 754 bits.
func hashSeries(series []Series) string {
	h := sha256.New()
	var b [8]byte
	for _, s := range series {
		for _, v := range s.Values {
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
			h.Write(b[:])
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Results change only with the engine version: the reference run's hash is
// the one recorded for the current Version.
func TestVersionPinsResults(t *testing.T) {
	got := hashSeries(referenceSeries(t))
	want, ok := referenceHash[Version]
	switch {
	case !ok || want == "":
		t.Fatalf("sim.Version %s has no recorded reference hash: record\n\t%q: %q,\nin referenceHash", Version, Version, got)
	case got != want:
		t.Fatalf("results changed: bump sim.Version and record the new hash\n\t(sim.Version %s: reference hash %s, recorded %s)", Version, got, want)
	}
}

// The reference run's series, every value in full precision, against
// testdata/reference.csv. On a mismatch the test writes
// testdata/reference.csv.got to diff against. -update rewrites the golden
// file, but only when the Version it records is not the current one: results
// that change need a new Version (TestVersionPinsResults).
func TestReferenceGolden(t *testing.T) {
	got := formatSeries(referenceSeries(t))
	path := filepath.Join("testdata", "reference.csv")
	want, err := os.ReadFile(path)
	if err != nil && !(*update && os.IsNotExist(err)) {
		t.Fatalf("%v (run 'go test ./sim -run TestReferenceGolden -update' to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	if *update {
		if v := goldenVersion(want); v == Version {
			t.Fatalf("%s: results differ from the golden file of sim.Version %s: bump sim.Version before -update", path, v)
		}
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err := os.WriteFile(path+".got", got, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Errorf("%s: %s; see %s.got (diff them; -update accepts after a Version bump)", path, firstDifference(want, got), path)
}

// formatSeries writes series as CSV: a comment with the engine version, a
// header, then one row per replicate, month and country with every metric,
// each value the shortest decimal that reads back to the same float64.
func formatSeries(series []Series) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# sim.Version %s\n", Version)
	b.WriteString("replicate,month,country")
	for m := Metric(0); m < NumMetrics; m++ {
		b.WriteString("," + m.Name())
	}
	b.WriteByte('\n')
	for _, s := range series {
		for t := range s.Months {
			for c := Country(0); c < NumCountries; c++ {
				fmt.Fprintf(&b, "%d,%s,%s", s.Replicate, s.Start.Add(t), c.Code())
				for m := Metric(0); m < NumMetrics; m++ {
					b.WriteByte(',')
					b.WriteString(strconv.FormatFloat(s.At(t, c, m), 'g', -1, 64))
				}
				b.WriteByte('\n')
			}
		}
	}
	return b.Bytes()
}

// goldenVersion returns the Version a golden file records, or "".
func goldenVersion(b []byte) string {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	v, ok := strings.CutPrefix(string(line), "# sim.Version ")
	if !ok {
		return ""
	}
	return v
}

// firstDifference names the first line where want and got differ.
func firstDifference(want, got []byte) string {
	ws, gs := bufio.NewScanner(bytes.NewReader(want)), bufio.NewScanner(bytes.NewReader(got))
	for n := 1; ; n++ {
		wok, gok := ws.Scan(), gs.Scan()
		switch {
		case !wok && !gok:
			return "the files differ only in line endings"
		case !wok:
			return fmt.Sprintf("line %d is extra: %s", n, gs.Text())
		case !gok:
			return fmt.Sprintf("line %d is missing: %s", n, ws.Text())
		case ws.Text() != gs.Text():
			return fmt.Sprintf("line %d differs:\n\twant %s\n\tgot  %s", n, ws.Text(), gs.Text())
		}
	}
}
