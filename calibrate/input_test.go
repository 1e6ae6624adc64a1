package calibrate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Targets files with values that would make the distance NaN or meaningless
// are refused, as file:line: column: message (issue 14, item 3).
func TestTargetsRefused(t *testing.T) {
	const head = "target,country,year_type,year,weight,file,metric,value\n"
	const row = "uac_apprehensions,SV,FY,2014,1,,,16000\n"
	tests := []struct {
		name, text, want string
	}{
		{"NaN weight", head + "uac_apprehensions,SV,FY,2014,nan,,,16000\n", `t.csv:2: weight: "nan": want a number from 0 to 100`},
		{"huge weight", head + "uac_apprehensions,SV,FY,2014,1e308,,,16000\n", `t.csv:2: weight: "1e308": want a number from 0 to 100`},
		{"infinite weight", head + "uac_apprehensions,SV,FY,2014,inf,,,16000\n", `t.csv:2: weight: "inf"`},
		{"NaN value", head + "uac_apprehensions,SV,FY,2014,1,,,nan\n", `t.csv:2: value: "nan": want a count from 0 to 1e+08`},
		{"huge value", head + row + "uac_apprehensions,HN,FY,2014,1,,,1e308\n", `t.csv:3: value: "1e308"`},
		{"every weight 0", head + "uac_apprehensions,SV,FY,2014,0,,,16000\nuac_apprehensions,HN,FY,2014,0,,,18000\n", "t.csv: every weight is 0"},
		{"header only", head, "t.csv: no targets: add rows below the header"},
		{"duplicate rows", head + row + "uac_apprehensions,HN,FY,2014,1,,,18000\n" + row, "t.csv:4: target: repeats line 2"},
		{"short row", head + row + "uac_apprehensions,HN,FY\n", "t.csv:3: year: 3 columns, want 8"},
		{"unknown observable", head + "uac_arrivals,SV,FY,2014,1,,,16000\n", `t.csv:2: target: "uac_arrivals": no such observable`},
		{"year", head + "uac_apprehensions,SV,FY,0,1,,,16000\n", `t.csv:2: year: "0": want a year from 1900 to 2200`},
		{"bad quoting", head + "\"uac_apprehensions,SV\n", "t.csv:2:"},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		path := filepath.Join(dir, "t.csv")
		os.WriteFile(path, []byte(tt.text), 0o644)
		_, err := LoadTargets(path)
		if err == nil || !strings.Contains(err.Error(), strings.ReplaceAll(tt.want, "t.csv", path)) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
	path := filepath.Join(dir, "ok.csv")
	os.WriteFile(path, []byte(head+row+"uac_apprehensions,HN,FY,2014,0,,,18000\n"), 0o644)
	if ts, err := LoadTargets(path); err != nil || len(ts) != 2 {
		t.Errorf("good targets: %v, %v", ts, err)
	}
	if _, err := LoadTargets("/dev/zero"); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("/dev/zero: %v", err)
	}
}

// Calibration specs are checked value by value with file, line and key:
// no raw decoder text, no seed that wraps, nothing non-finite (issue 14,
// items 2 and 5, and its error messages).
func TestSpecRefused(t *testing.T) {
	const ok = "scenario = \"historical\"\nfit_to = \"2013-09\"\nscale = 0.001\nreplicates = 2\nseed = 5\n[prior]\n\"decision.homicide\" = [0.0, 2.0]\n"
	if s, err := ParseSpec("s.toml", []byte(ok)); err != nil || s.Seed != 5 || s.Base.Scale != 0.001 || s.Base.Replicates != 2 || len(s.Priors) != 1 {
		t.Fatalf("good spec: %+v, %v", s, err)
	}
	tests := []struct {
		name, old, new string
		want           []string
	}{
		{"negative seed", "seed = 5", "seed = -1", []string{"s.toml:5: seed: -1 is out of range [0, 9223372036854775807]"}},
		{"seed too large", "seed = 5", "seed = 18446744073709551615", []string{"s.toml:5: seed: "}},
		{"wrong type", "scale = 0.001", "scale = \"small\"", []string{`s.toml:3: scale: want a number (fraction of households), got "small"`}},
		{"NaN scale", "scale = 0.001", "scale = nan", []string{"s.toml:3: scale: NaN is out of range [0.0001, 1]"}},
		{"no replicates", "replicates = 2", "replicates = 0", []string{"s.toml:4: replicates: 0 is out of range [1, 100000]"}},
		{"infinite prior", "[0.0, 2.0]", "[0.0, inf]", []string{"s.toml:7: prior.decision.homicide: want [low, high] with low < high, both finite"}},
		{"NaN prior", "[0.0, 2.0]", "[nan, 2.0]", []string{"s.toml:7: prior.decision.homicide: want [low, high] with low < high, both finite"}},
		{"year 0", "fit_to = \"2013-09\"", "fit_to = \"0000-09\"", []string{`s.toml:2: fit_to: month "0000-09": want YYYY-MM with a year from 1900 to 2200`}},
		{"before the start", "fit_to = \"2013-09\"", "fit_to = \"2000-09\"", []string{"s.toml:2: fit_to: 2000-09 gives"}},
		{"unknown key", "seed = 5", "seed = 5\nsede = 6", []string{`s.toml:6: sede: unknown key (did you mean "seed"?)`}},
		{"several at once", "scale = 0.001\nreplicates = 2\nseed = 5", "scale = 2\nreplicates = 2\nseed = -5", []string{"s.toml:5: seed: -5 is out of range", "s.toml:3: scale: 2 is out of range"}},
	}
	for _, tt := range tests {
		text := strings.Replace(ok, tt.old, tt.new, 1)
		_, err := ParseSpec("s.toml", []byte(text))
		for _, w := range tt.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%s: got %v, want %q", tt.name, err, w)
			}
		}
	}
}

// The budget, which sizes the draws held in memory, is bounded.
func TestBudgetBounded(t *testing.T) {
	cfg := Config{Method: "abc", Budget: MaxBudget + 1, Accept: 0.1, Workers: 1}
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "--budget") {
		t.Errorf("budget %d: %v", cfg.Budget, err)
	}
	cfg.Budget, cfg.Workers = 100, 1<<30
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "--workers") {
		t.Errorf("workers %d: %v", cfg.Workers, err)
	}
}
