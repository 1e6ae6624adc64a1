package sensitivity

import (
	"math"
	"strings"
	"testing"

	"migrasim/sweep"
)

// runsCSV builds a runs.csv of the swept keys from rows of the run number
// and the keys' values; every outcome is the run number, the last one NA.
func runsCSV(keys []string, rows [][]string) string {
	var b strings.Builder
	head := sweep.RunsHeader(keys)
	b.WriteString(strings.Join(head, ",") + "\n")
	nOut := len(head) - 5 - len(keys)
	for _, r := range rows {
		out := make([]string, nOut)
		for j := range out {
			out[j] = r[0]
		}
		out[nOut-1] = "NA"
		b.WriteString(strings.Join(append(append([]string{r[0], "0", "p0", "1", "42"}, r[1:]...), out...), ",") + "\n")
	}
	return b.String()
}

func TestReadRuns(t *testing.T) {
	text := runsCSV([]string{"a.b", "c"}, [][]string{{"0", "0.5", "-2"}, {"1", "1e-3", "7"}})
	rs, err := ReadRuns(strings.NewReader(text), "runs.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(rs.Keys) != 2 || rs.Keys[0] != "a.b" || rs.Keys[1] != "c" {
		t.Errorf("keys %q, want [a.b c]", rs.Keys)
	}
	if len(rs.X) != 2 || rs.X[1][0] != 1e-3 || rs.X[0][1] != -2 || rs.Seed[1] != 42 || rs.Replicate[0] != 1 || rs.Scenario[0] != "p0" {
		t.Errorf("rows read as %+v", rs)
	}
	y, err := rs.Outcome(rs.Outcomes[0])
	if err != nil || y[0] != 0 || y[1] != 1 {
		t.Errorf("first outcome %v (%v), want [0 1]", y, err)
	}
	last, _ := rs.Outcome(rs.Outcomes[len(rs.Outcomes)-1])
	if !math.IsNaN(last[0]) {
		t.Errorf("NA read as %g, want NaN", last[0])
	}
	if _, err := rs.Outcome("XX_nothing"); err == nil {
		t.Error("no error for an unknown outcome")
	}
}

func TestReadRunsErrors(t *testing.T) {
	for _, c := range []struct {
		name, text, want string
	}{
		{"string key", runsCSV([]string{"policy"}, [][]string{{"0", "mass"}}), "runs.csv:2: key policy"},
		{"no keys", runsCSV(nil, [][]string{{"0"}}), "runs.csv:1: the sweep varies no key"},
		{"other file", "a,b\n1,2\n", "runs.csv:1: not a merged sweep's runs.csv"},
		{"no runs", runsCSV([]string{"k"}, nil), "runs.csv: no runs"},
		{"bad outcome", strings.Replace(runsCSV([]string{"k"}, [][]string{{"0", "1"}}), ",NA", ",x", 1), "runs.csv:2: outcome"},
	} {
		_, err := ReadRuns(strings.NewReader(c.text), "runs.csv")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}
