package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"migrasim/results"
	"migrasim/scenarios"
	"migrasim/sim"
)

func download(t *testing.T, url string) (string, []byte) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: status %d: %s", url, res.StatusCode, b)
	}
	return res.Header.Get("Content-Disposition"), b
}

// TestExportReproduces: the exported scenarios, run by the engine as
// 'migrasim run' runs them, give exactly the page's CSV.
func TestExportReproduces(t *testing.T) {
	_, c := startServer(t, Config{Workers: 2})
	id := c.create(`{"a":{"scenario":"status-quo","values":{"scale":0.003,"months":24,"seed":"5","push.violence":1.4}},
		"b":{"scenario":"status-quo","values":{"policy.interior_removals.from":"2012-06","policy.interior_removals.rate_multiplier":4,"policy.cam.open":"2012-03","policy.cam.close":"2013-01"}}}`)
	c.finish(id)
	disp, csv := download(t, c.url+"/api/runs/"+id+"/series.csv")
	if !strings.Contains(disp, "attachment") || !strings.Contains(disp, "status-quo-edited-vs-status-quo-edited-b-series.csv") {
		t.Errorf("Content-Disposition %q", disp)
	}
	var runs []sim.Series
	for _, side := range []string{"a", "b"} {
		disp, toml := download(t, c.url+"/api/runs/"+id+"/scenario.toml?side="+side)
		if !strings.Contains(disp, ".toml") {
			t.Errorf("side %s: Content-Disposition %q", side, disp)
		}
		p, err := scenarios.Parse("exported-"+side+".toml", toml)
		if err != nil {
			t.Fatalf("side %s: the exported scenario does not load: %v", side, err)
		}
		p.Replicates = 1
		s, err := sim.Run(context.Background(), p, sim.Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, s[0])
	}
	var want bytes.Buffer
	if err := results.WriteSeries(&want, runs); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(csv, want.Bytes()) {
		t.Errorf("page CSV (%d bytes) differs from running its exported scenarios (%d bytes)", len(csv), want.Len())
	}
	if !bytes.HasPrefix(csv, []byte(strings.Join(results.SeriesHeader, ",")+"\n")) {
		t.Errorf("CSV starts %.80q", csv)
	}
}

// TestExportPartial: mid-run, the CSV holds the months simulated so far.
func TestExportPartial(t *testing.T) {
	_, c := startServer(t, Config{})
	id := c.create(small)
	for range 3 {
		c.control(id, `{"action":"step"}`)
	}
	_, csv := download(t, c.url+"/api/runs/"+id+"/series.csv")
	rows := strings.Count(string(csv), "\n") - 1
	if want := 3 * int(sim.NumCountries) * int(sim.NumMetrics); rows != want {
		t.Errorf("%d rows after 3 months, want %d", rows, want)
	}
	if strings.Contains(string(csv), "2012-04") {
		t.Error("CSV has a month not yet simulated")
	}
}
