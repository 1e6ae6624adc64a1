package main

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"migrasim/scenarios"
	"migrasim/sim"
)

func readme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The README's key table is exactly what 'migrasim keys --markdown' prints.
func TestReadmeKeys(t *testing.T) {
	text := readme(t)
	start := strings.Index(text, "<!-- keys:")
	end := strings.Index(text, "<!-- /keys -->")
	if start < 0 || end < start {
		t.Fatal("README.md has no keys section")
	}
	got := text[strings.Index(text[start:], "\n")+start+1 : end]
	keys, err := scenarios.Keys()
	if err != nil {
		t.Fatal(err)
	}
	if want := formatKeys(keys, true); got != want {
		os.WriteFile(filepath.Join(t.TempDir(), "keys.md"), []byte(want), 0o644)
		t.Error("README.md's key table is out of date: replace it with the output of 'bin/migrasim keys --markdown'")
	}
}

// Every command and every embedded scenario the README should name, it names;
// the README's error example is what the loader prints.
func TestReadmeNamesEverything(t *testing.T) {
	text := readme(t)
	for _, c := range commands {
		if !strings.Contains(text, "| `"+c.name) {
			t.Errorf("README.md's command table lacks %s", c.name)
		}
	}
	infos, _ := scenarios.List()
	for _, in := range infos {
		if !strings.HasPrefix(in.Name, "teach-") && !strings.Contains(text, "`"+in.Name+"`") {
			t.Errorf("README.md's scenario library lacks %s", in.Name)
		}
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("name = \"bad\"\nsclae = 0.1\n\n[policy.interior_removals]\nfrom = \"2018-13\"\nrate_multiplier = \"three\"\n"), 0o644)
	_, err := scenarios.Load(bad)
	if err == nil {
		t.Fatal("bad.toml loads")
	}
	msg := strings.ReplaceAll(err.Error(), bad, "bad.toml")
	for _, line := range strings.Split(msg, "\n") {
		if !strings.Contains(text, line) {
			t.Errorf("README.md does not show the error line %q", line)
		}
	}
	for _, target := range []string{"run", "test", "check", "bench", "race", "build"} {
		if !strings.Contains(text, "make "+target) {
			t.Errorf("README.md does not name make %s", target)
		}
		if err := exec.Command("make", "-n", "-C", "../..", target).Run(); err != nil {
			t.Errorf("make %s: %v", target, err)
		}
	}
}

// docs/ODD.md's parameter tables give each key's default as the code has it:
// rows "| `key` ... | unit | range | default | basis |" whose key is a
// scenario key (or country.*.key, with the SV / HN / GT defaults separated
// by " / ") and whose default is a number.
func TestODDDefaults(t *testing.T) {
	b, err := os.ReadFile("../../docs/ODD.md")
	if err != nil {
		t.Fatal(err)
	}
	keys, err := scenarios.Keys()
	if err != nil {
		t.Fatal(err)
	}
	def := map[string]string{}
	for _, k := range keys {
		def[k.Path] = k.Default
	}
	number := func(s string) (float64, bool) {
		v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(s), "−", "-"), 64)
		return v, err == nil
	}
	checked := 0
	inTable := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "| key | unit | range | default |") {
			inTable = true
			continue
		}
		if !strings.HasPrefix(line, "|") {
			inTable = false
			continue
		}
		cells := strings.Split(line, "|")
		if !inTable || len(cells) < 6 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		key := strings.Trim(strings.Fields(strings.TrimSpace(cells[1]))[0], "`;")
		paths := []string{key}
		if rest, ok := strings.CutPrefix(key, "country.*."); ok {
			paths = []string{"country.SV." + rest, "country.HN." + rest, "country.GT." + rest}
		}
		values := strings.Split(cells[4], " / ")
		if len(values) != len(paths) {
			continue
		}
		for i, path := range paths {
			want, known := def[path]
			got, isNumber := number(values[i])
			if !known || !isNumber {
				continue
			}
			w, _ := number(want)
			if math.Abs(got-w) > 1e-9*math.Max(1, math.Abs(w)) {
				t.Errorf("docs/ODD.md gives %s a default of %s; the code has %s", path, strings.TrimSpace(values[i]), want)
			}
			checked++
		}
	}
	if checked < 50 {
		t.Errorf("only %d defaults checked in docs/ODD.md; its tables have changed shape", checked)
	}
}

// docs/ODD.md names the engine version it describes: a result change
// (which bumps sim.Version) must come with a look at the model description.
func TestODDNamesEngineVersion(t *testing.T) {
	b, err := os.ReadFile("../../docs/ODD.md")
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(string(b), "\n## ")
	if want := "(engine version " + sim.Version + ","; !strings.Contains(head, want) {
		t.Errorf("docs/ODD.md's opening does not say %q", want)
	}
}

// docs/ODD.md 7.1 and 7.12 state the fitted size and adaptation time of
// history's 2014 Mexico window; a refit moves both in scenarios/historical.toml,
// and the ODD must follow (7.12 once kept ×2.12 over 26 months two refits
// after, and 7.1 ×1.66 over 42 one refit after).
func TestODDHistoryMexicoWindow(t *testing.T) {
	b, err := os.ReadFile("../../docs/ODD.md")
	if err != nil {
		t.Fatal(err)
	}
	hist, err := scenarios.Load("historical")
	if err != nil {
		t.Fatal(err)
	}
	w := hist.Policy.Mexico
	re := regexp.MustCompile(`×([0-9.]+) from\s+July 2014[^×]*?e-folding time\s+([0-9.]+)\s+months`)
	ms := re.FindAllSubmatch(b, -1)
	if len(ms) < 2 {
		t.Fatalf("docs/ODD.md states history's 2014 Mexico window as \"×A from July 2014 ... e-folding time N months\" %d times; 7.1 and 7.12 each did", len(ms))
	}
	for _, m := range ms {
		if got, want := string(m[1]), strconv.FormatFloat(w.ApprehensionMultiplier, 'f', -1, 64); got != want {
			t.Errorf("docs/ODD.md gives Mexico's 2014 multiplier ×%s; historical.toml has ×%s", got, want)
		}
		if got, want := string(m[2]), strconv.FormatFloat(w.AdaptMonths, 'f', -1, 64); got != want {
			t.Errorf("docs/ODD.md gives Mexico's 2014 adaptation %s months; historical.toml has %s", got, want)
		}
	}
}
