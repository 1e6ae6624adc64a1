//go:build browser

// The browser tests drive the page in a real, headless Chromium with
// chromedp: 'make browser-test' runs them. They need /usr/bin/chromium (or
// the browser named by MIGRASIM_CHROMIUM) and write the README screenshot to
// ../out/teaching.png (or the folder named by MIGRASIM_OUT).

package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"migrasim/scenarios"
	"migrasim/sim"
)

// page is a test server and a browser tab on it.
type page struct {
	t   *testing.T
	ctx context.Context
	srv *Server
	url string
}

func openPage(t *testing.T) *page { return openPageSized(t, 1400, 1000) }

func openPageSized(t *testing.T, width, height int) *page {
	t.Helper()
	exe := os.Getenv("MIGRASIM_CHROMIUM")
	if exe == "" {
		exe = "/usr/bin/chromium"
	}
	if _, err := os.Stat(exe); err != nil {
		t.Fatalf("no browser at %s (run 'make browser-deps', or set MIGRASIM_CHROMIUM): %v", exe, err)
	}
	s := newTestServer(t, Config{Workers: 2})
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	t.Cleanup(s.Close)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox, // as root in CI
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	p := &page{t: t, ctx: ctx, srv: s, url: ts.URL}
	// The first action starts the browser; it must not run under a timeout.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL)); err != nil {
		t.Fatalf("starting the browser: %v", err)
	}
	p.wait(`document.body.dataset.ready === 'true'`, "the page to load its controls")
	return p
}

// do runs actions with a time limit.
func (p *page) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

// wait polls a JavaScript condition until it holds.
func (p *page) wait(cond, what string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 60*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingTimeout(0))); err != nil {
		status, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.getElementById('status').textContent + ' | ' + document.getElementById('problems').textContent`))
		p.t.Fatalf("waiting for %s (%s): %v; page says: %s", what, cond, err, status)
	}
}

func (p *page) eval(js string) string {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		p.t.Fatalf("%s: %v", js, err)
	}
	return v
}

// control is the CSS selector of a control's input.
func control(id, input string) chromedp.CSS {
	return chromedp.CSS(fmt.Sprintf(`#controls .control[data-id=%q] %s`, id, input))
}

// slide moves a slider with the keyboard, as a person would.
func (p *page) slide(id string, steps int) {
	p.t.Helper()
	key := kb.ArrowRight
	if steps < 0 {
		key, steps = kb.ArrowLeft, -steps
	}
	p.do("moving slider "+id, chromedp.Focus(control(id, "input[type=range]")), chromedp.KeyEvent(strings.Repeat(key, steps)))
}

// typeInto replaces the text of a control's field by typing, then leaves it.
func (p *page) typeInto(id, text string) {
	p.t.Helper()
	field := control(id, "input")
	p.do("selecting "+id, chromedp.Focus(field), chromedp.Evaluate[chromedp.Void](`document.activeElement.select()`))
	p.do("typing into "+id, chromedp.SendKeys(field, text+kb.Tab))
}

// pick chooses a scenario for the side being edited and waits for its values.
func (p *page) pick(name string, months int) {
	p.t.Helper()
	p.eval(fmt.Sprintf(`(() => { const s = document.getElementById('scenario');
		s.value = %q; s.dispatchEvent(new Event('change')); return s.value; })()`, name))
	p.wait(fmt.Sprintf(`document.querySelector('#controls .control[data-id="months"] output').textContent === '%d'`, months),
		"scenario "+name+" to load")
}

// setMonth sets a month field and lets the page know.
func (p *page) setMonth(id, month string) {
	p.t.Helper()
	p.eval(fmt.Sprintf(`(() => { const e = document.querySelector('#controls .control[data-id=%q] input[type=month]');
		e.value = %q; e.dispatchEvent(new Event('change')); return e.value; })()`, id, month))
}

// points is the number of points drawn by side s of a chart.
func points(chart string, side int) string {
	return fmt.Sprintf(`Array.from(document.querySelectorAll('#chart-%s polyline[data-side="%d"]')).reduce((n, l) => n + l.points.numberOfItems, 0)`, chart, side)
}

// download clicks a link and returns the file the browser saved.
func (p *page) download(link string) []byte {
	p.t.Helper()
	dir := p.t.TempDir()
	_, err := chromedp.CallBrowser(p.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir})
	if err != nil {
		p.t.Fatalf("allowing downloads: %v", err)
	}
	p.do("clicking "+link, chromedp.Click(chromedp.ID(link), chromedp.NodeVisible))
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		if len(files) == 1 && !strings.HasSuffix(files[0], ".crdownload") {
			b, err := os.ReadFile(files[0])
			if err != nil {
				p.t.Fatal(err)
			}
			return b
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.t.Fatalf("no download from %s in 30s", link)
	return nil
}

// TestBrowserRun is the teacher's path: move a slider, press Go, watch the
// charts draw, switch on side-by-side mode, download the CSV and the scenario.
func TestBrowserRun(t *testing.T) {
	p := openPage(t)
	p.pick("status-quo", 120)
	p.slide("push.violence", 10) // 1 → 1.5 in steps of 0.05
	if v := p.eval(`document.querySelector('#controls .control[data-id="push.violence"] output').textContent`); v != "1.5" {
		t.Fatalf("violence slider shows %q after 10 steps right, want 1.5", v)
	}
	p.slide("scale", -40) // 0.05 → 0.01: quicker
	p.do("setting full speed", chromedp.Focus(chromedp.ID("speed")), chromedp.KeyEvent(kb.End))
	p.do("pressing Go", chromedp.Click(chromedp.ID("go")))
	p.wait(points("departures", 0)+` >= 3 * 24`, "two years of departures on the chart")
	p.wait(points("homicide", 0)+` > 0`, "the homicide chart")
	p.wait(`document.querySelectorAll('#maps circle.dept').length === 54`, "the map's 54 departments")

	p.do("switching on side-by-side", chromedp.Click(chromedp.ID("sbs")))
	p.wait(`document.body.dataset.pending === '0' && document.querySelectorAll('#maps figure').length === 2`,
		"the run to be set up again with two sides")
	// Switching mode goes on running a run that was running; a finished one waits for Go.
	if !strings.Contains(p.eval(`document.getElementById('status').textContent`), "running") {
		p.do("pressing Go again", chromedp.Click(chromedp.ID("go")))
	}
	p.wait(points("departures", 1)+` >= 3 * 24`, "side B's lines")
	p.wait(`document.getElementById('status').textContent.includes('finished')`, "the run to finish")
	if got := p.eval(`String(` + points("departures", 0) + `) + ' ' + String(` + points("departures", 1) + `)`); got != "360 360" {
		t.Errorf("the status says finished, but the departures chart has %s points on sides A and B, want 360 each (120 months × 3 countries)", got)
	}

	rows, err := csv.NewReader(strings.NewReader(string(p.download("export-csv")))).ReadAll()
	if err != nil {
		t.Fatalf("downloaded CSV: %v", err)
	}
	names := map[string]int{}
	for _, r := range rows[1:] {
		names[r[0]]++
	}
	want := 120 * int(sim.NumCountries) * int(sim.NumMetrics)
	if strings.Join(rows[0], ",") != "scenario,replicate,month,country,metric,value" ||
		names["status-quo-edited"] != want || names["status-quo-edited-b"] != want {
		t.Errorf("CSV header %v, rows per scenario %v; want %d rows each for status-quo-edited and status-quo-edited-b", rows[0], names, want)
	}

	sc, err := scenarios.Parse("a.toml", p.download("export-toml-a"))
	if err != nil {
		t.Fatalf("the downloaded scenario does not load: %v", err)
	}
	if sc.Scale != 0.01 || len(sc.Shocks) == 0 || sc.Shocks[len(sc.Shocks)-1].Path[pushFrom] != 1.5 {
		t.Errorf("downloaded scenario: scale %g, shocks %+v; want 0.01 and violence × 1.5", sc.Scale, sc.Shocks)
	}
}

// TestBrowserBadParameter: a bad value gets a message beside its control
// and at the top, Setup refuses it, and fixing it clears the message.
func TestBrowserBadParameter(t *testing.T) {
	p := openPage(t)
	p.do("opening All parameters", chromedp.Click(chromedp.CSS(`details[data-group="All parameters"] > summary`)))
	p.typeInto("feedback.strength", "-3")
	p.wait(`document.querySelector('#controls .control[data-id="feedback.strength"]').classList.contains('invalid')`, "the field to be marked")
	msg := p.eval(`document.querySelector('#controls .control[data-id="feedback.strength"] .message').textContent`)
	if !strings.Contains(msg, "-3 is out of range [0, 10]") {
		t.Errorf("message beside the field: %q", msg)
	}
	if banner := p.eval(`document.getElementById('problems').textContent`); !strings.Contains(banner, "feedback.strength: -3 is out of range") {
		t.Errorf("banner: %q", banner)
	}
	p.do("pressing Setup", chromedp.Click(chromedp.ID("setup")))
	p.wait(`document.body.dataset.pending === '0'`, "Setup to be answered")
	p.srv.mu.Lock()
	runs := len(p.srv.runs)
	p.srv.mu.Unlock()
	if cls := p.eval(`document.getElementById('export-csv').className`); runs != 0 || !strings.Contains(cls, "disabled") {
		t.Errorf("a run was set up with a bad value (%d runs on the server, export link %q)", runs, cls)
	}
	p.typeInto("feedback.strength", "0.8")
	p.wait(`document.getElementById('problems').classList.contains('hidden')`, "the banner to go")
	p.do("pressing Step", chromedp.Click(chromedp.ID("step")))
	p.wait(points("departures", 0)+` === 3`, "one month on the chart")
}

// TestBrowserPolicyBoxes ticks each policy box alone for policy B, on the
// teaching reference at the smallest scale: its sliders must show the
// strength of its library scenario, and B's run must differ from A's (the
// comparison is not ±0.0%, or some chart's B lines differ). Unticking must
// put the sliders back to the status quo.
func TestBrowserPolicyBoxes(t *testing.T) {
	p := openPage(t)
	const months = 72 // teach-baseline, the page's first scenario
	p.wait(fmt.Sprintf(`document.querySelector('#controls .control[data-id="months"] output').textContent === '%d'`, months), "teach-baseline")
	p.do("setting the smallest scale", chromedp.Focus(control("scale", "input[type=range]")), chromedp.KeyEvent(kb.Home))
	if v := p.eval(`document.querySelector('#controls .control[data-id="scale"] output').textContent`); v != "0.001" {
		t.Fatalf("scale slider shows %q after Home, want 0.001", v)
	}
	p.do("setting full speed", chromedp.Focus(chromedp.ID("speed")), chromedp.KeyEvent(kb.End))
	p.do("switching on side-by-side", chromedp.Click(chromedp.ID("sbs")))
	p.do("editing policy B", chromedp.Click(chromedp.CSS(`#tabs button[data-side="b"]`)))
	p.wait(`document.body.dataset.pending === '0'`, "side B")
	boxes := 0
	for _, c := range p.srv.list {
		if c.Kind != "policy" {
			continue
		}
		boxes++
		p.do("ticking "+c.ID, chromedp.Click(control(c.ID, "input.switch")))
		p.checkSliders(c.ID, c.On, "ticked")
		// Mark the chart stale, so that only the new run's months count.
		p.eval(`document.querySelector('#chart-departures svg').dataset.points = 'stale'`)
		p.do("pressing Setup", chromedp.Click(chromedp.ID("setup")))
		p.do("pressing Go", chromedp.Click(chromedp.ID("go")))
		p.wait(fmt.Sprintf(`document.querySelector('#chart-departures svg').dataset.points === '%d' && document.getElementById('status').textContent.includes('finished')`,
			2*months*int(sim.NumCountries)), "the run with "+c.ID+" ticked to finish")
		summary := p.eval(`document.getElementById('summary').textContent`)
		differs := p.eval(`(() => {
			for (const f of document.querySelectorAll('#charts figure.chart')) {
				for (const a of f.querySelectorAll('polyline[data-side="0"]')) {
					const b = f.querySelector('polyline[data-side="1"][data-country="' + a.dataset.country + '"]');
					if (b && a.getAttribute('points') !== b.getAttribute('points')) return f.id;
				}
			}
			return '';
		})()`)
		if !strings.Contains(summary, "with policy B") || (strings.Contains(summary, "±0.0%") && differs == "") {
			t.Errorf("%s ticked alone: B runs as A (%q, no chart differs)", c.ID, summary)
		} else {
			t.Logf("%s ticked alone: %s; B first differs on %s", c.ID, summary, differs)
		}
		p.do("unticking "+c.ID, chromedp.Click(control(c.ID, "input.switch")))
		p.checkSliders(c.ID, c.Off, "unticked")
		p.wait(`document.body.dataset.pending === '0'`, "the page to settle")
	}
	if boxes == 0 {
		t.Fatal("no policy boxes on the page")
	}
}

// checkSliders checks that the sliders of a policy show values.
func (p *page) checkSliders(policy string, values map[string]any, when string) {
	p.t.Helper()
	for id, v := range values {
		want := fmt.Sprint(v)
		got := p.eval(fmt.Sprintf(`document.querySelector('#controls .control[data-id=%q] output').textContent`, id))
		pos := p.eval(fmt.Sprintf(`document.querySelector('#controls .control[data-id=%q] input[type=range]').value`, id))
		if got != want || pos != want {
			p.t.Errorf("%s %s: slider %s shows %s at position %s, want %s", policy, when, id, got, pos, want)
		}
	}
}

// TestBrowserScreenshot runs mass deportation against the baseline side by
// side and saves the page for the README.
func TestBrowserScreenshot(t *testing.T) {
	p := openPageSized(t, 1440, 1240)
	p.pick("status-quo", 120)
	p.do("switching on side-by-side", chromedp.Click(chromedp.ID("sbs")))
	p.do("editing policy B", chromedp.Click(chromedp.CSS(`#tabs button[data-side="b"]`)))
	p.do("switching on mass deportation", chromedp.Click(control("policy.interior_removals.from", "input.switch")))
	p.setMonth("policy.interior_removals.from", "2014-01")
	p.slide("policy.interior_removals.rate_multiplier", 4) // teach-removals' 3 → 5
	p.slide("policy.interior_removals.gang_targeting", 10) // 0 → 0.5
	p.do("setting full speed", chromedp.Focus(chromedp.ID("speed")), chromedp.KeyEvent(kb.End))
	p.do("pressing Setup", chromedp.Click(chromedp.ID("setup")))
	p.do("pressing Go", chromedp.Click(chromedp.ID("go")))
	p.wait(`document.getElementById('status').textContent.includes('finished')`, "the run to finish")
	p.wait(`document.getElementById('summary').textContent.includes('with policy B')`, "the comparison")
	p.do("scrolling to the top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	time.Sleep(200 * time.Millisecond) // one more frame for the last month
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("MIGRASIM_OUT")
	if dir == "" {
		dir = filepath.Join("..", "out")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "teaching.png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes); %s", path, len(png), p.eval(`document.getElementById('summary').textContent`))
}
