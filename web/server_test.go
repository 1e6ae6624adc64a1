package web

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// client talks to a test server.
type client struct {
	t   *testing.T
	url string
}

func startServer(t *testing.T, cfg Config) (*Server, *client) {
	t.Helper()
	s := newTestServer(t, cfg)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	t.Cleanup(s.Close) // before ts.Close: ends the event streams
	return s, &client{t: t, url: ts.URL}
}

// do sends a request and decodes a JSON answer into out (if not nil).
func (c *client) do(method, path, body string, out any) int {
	c.t.Helper()
	req, err := http.NewRequest(method, c.url+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return res.StatusCode
}

// create sets up a run and returns its ID.
func (c *client) create(settings string) string {
	c.t.Helper()
	var ans runAnswer
	var raw map[string]any
	if code := c.do("POST", "/api/runs", settings, &raw); code != http.StatusCreated {
		c.t.Fatalf("create: status %d: %v", code, raw)
	}
	b, _ := json.Marshal(raw)
	json.Unmarshal(b, &ans)
	return ans.Run
}

func (c *client) control(id, body string) stateEvent {
	c.t.Helper()
	var st stateEvent
	if code := c.do("POST", "/api/runs/"+id+"/control", body, &st); code != http.StatusOK {
		c.t.Fatalf("control %s: status %d", body, code)
	}
	return st
}

// finish runs a run to its end as fast as the server can.
func (c *client) finish(id string) stateEvent {
	c.t.Helper()
	c.control(id, `{"action":"go","speed":0}`)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var st stateEvent
		c.do("GET", "/api/runs/"+id, "", &st)
		if st.Over {
			return st
		}
		if st.Failure != "" {
			c.t.Fatalf("run failed: %s", st.Failure)
		}
		time.Sleep(5 * time.Millisecond)
	}
	c.t.Fatal("run did not finish in 30s")
	return stateEvent{}
}

const small = `{"a":{"scenario":"status-quo","values":{"scale":0.002,"months":12}}}`

func TestPageAndCatalog(t *testing.T) {
	_, c := startServer(t, Config{})
	res, err := http.Get(c.url + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(b), `src="app.js"`) {
		t.Fatalf("GET /: status %d, body %.200s", res.StatusCode, b)
	}
	for _, f := range []string{"app.js", "chart.js", "map.js", "controls.js", "style.css"} {
		res, err := http.Get(c.url + "/" + f)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("GET /%s: status %d", f, res.StatusCode)
		}
	}
	var cat struct {
		Controls  []Control
		Scenarios []scenarioInfo
		Default   string
		Charts    []chart
	}
	if code := c.do("GET", "/api/controls", "", &cat); code != 200 {
		t.Fatalf("controls: status %d", code)
	}
	if len(cat.Controls) < 50 || len(cat.Charts) != 4 || (cat.Default != "status-quo" && cat.Default != "teach-baseline") {
		t.Errorf("%d controls, %d charts, default %q", len(cat.Controls), len(cat.Charts), cat.Default)
	}
	var pr Preset
	if code := c.do("GET", "/api/scenario?name=status-quo", "", &pr); code != 200 || pr.Values["seed"] == nil {
		t.Errorf("scenario status-quo: status %d, preset %+v", code, pr)
	}
	var e struct{ Error string }
	if code := c.do("GET", "/api/scenario?name=../secret", "", &e); code != 404 || !strings.Contains(e.Error, "no embedded scenario") {
		t.Errorf("scenario ../secret: status %d, %q", code, e.Error)
	}
}

// TestBadRequests: nothing a request sends stops the server, and each
// answer says what to fix.
func TestBadRequests(t *testing.T) {
	_, c := startServer(t, Config{})
	id := c.create(small)
	tests := []struct {
		method, path, body string
		contentType        string
		code               int
		want               string
	}{
		{"POST", "/api/runs", `{"a":{"scenario":"status-quo","values":{"scale":0.5}}}`, "application/json", 400, "limit of 0.05"},
		{"POST", "/api/runs", `{"a":{"scenario":"status-quo","values":{"policy.cam.apply_share":-1}}}`, "application/json", 400, "out of range"},
		{"POST", "/api/runs", `{"a":`, "application/json", 400, "settings:"},
		{"POST", "/api/runs", `{"a":{"scenario":"status-quo"}} {"b":1}`, "application/json", 400, "one JSON object"},
		{"POST", "/api/runs", `{"a":{"scenario":"status-quo"},"c":1}`, "application/json", 400, "unknown field"},
		{"POST", "/api/runs", `{"a":{"scenario":"status-quo"}}`, "text/plain", 415, "application/json"},
		{"POST", "/api/runs", `{"a":{"scenario":"status-quo","values":{"seed":1e999}}}`, "application/json", 400, "seed"},
		{"PUT", "/api/runs/" + id, `{"a":{"scenario":"status-quo","values":{"months":0}}}`, "application/json", 400, "months"},
		{"POST", "/api/runs/" + id + "/control", `{"action":"jump"}`, "application/json", 400, "unknown action"},
		{"POST", "/api/runs/" + id + "/control", `{"action":"go","speed":-3}`, "application/json", 400, "speed -3"},
		{"POST", "/api/runs/" + id + "/control", `{"action":"speed"}`, "application/json", 400, "needs a speed"},
		{"POST", "/api/runs/nope/control", `{"action":"go"}`, "application/json", 404, "press Setup"},
		{"GET", "/api/runs/" + id + "/scenario.toml?side=c", "", "", 400, "want a or b"},
		{"GET", "/api/runs/" + id + "/scenario.toml?side=b", "", "", 404, "no side B"},
		{"GET", "/api/runs/nope/series.csv", "", "", 404, "no run"},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, c.url+tt.path, strings.NewReader(tt.body))
		if tt.contentType != "" {
			req.Header.Set("Content-Type", tt.contentType)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tt.code || !strings.Contains(string(b), tt.want) {
			t.Errorf("%s %s %s: status %d, body %s; want %d containing %q", tt.method, tt.path, tt.body, res.StatusCode, b, tt.code, tt.want)
		}
	}
	// The run survived all of it.
	if st := c.control(id, `{"action":"step"}`); st.Done != 1 {
		t.Errorf("after bad requests, a step gives %d months, want 1", st.Done)
	}
}

func TestLocalOnly(t *testing.T) {
	_, c := startServer(t, Config{LocalOnly: true})
	for host, want := range map[string]int{"127.0.0.1:8080": 200, "localhost": 200, "[::1]:80": 200, "evil.example:8080": 403, "10.0.0.5": 403} {
		req, _ := http.NewRequest("GET", c.url+"/api/controls", nil)
		req.Host = host
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("Host %s: status %d, want %d", host, res.StatusCode, want)
		}
	}
}

func TestRunLimit(t *testing.T) {
	s, c := startServer(t, Config{MaxRuns: 2, IdleTimeout: time.Minute})
	now := time.Now()
	s.now = func() time.Time { return now }
	first := c.create(small)
	c.create(small)
	var e struct{ Error string }
	if code := c.do("POST", "/api/runs", small, &e); code != 503 || !strings.Contains(e.Error, "--max-runs") {
		t.Fatalf("third run: status %d, %q; want 503 naming --max-runs", code, e.Error)
	}
	if code := c.do("DELETE", "/api/runs/"+first, "", nil); code != 204 {
		t.Fatalf("delete: status %d", code)
	}
	third := c.create(small)
	// A run nobody has touched for longer than IdleTimeout gives way.
	now = now.Add(2 * time.Minute)
	c.create(small)
	if code := c.do("GET", "/api/runs/"+third, "", nil); code != 404 {
		t.Errorf("idle run still there (status %d)", code)
	}
}

func TestStepGoPauseReset(t *testing.T) {
	_, c := startServer(t, Config{})
	id := c.create(small)
	if st := c.control(id, `{"action":"step"}`); st.Done != 1 || st.Running {
		t.Fatalf("after step: %+v", st)
	}
	c.control(id, `{"action":"step"}`)
	st := c.finish(id)
	if st.Done != 12 || st.Running || !st.Over {
		t.Fatalf("after go: %+v, want 12 months, over", st)
	}
	if st := c.control(id, `{"action":"go"}`); st.Running {
		t.Errorf("go on a finished run: %+v, want not running", st)
	}
	if st := c.control(id, `{"action":"reset"}`); st.Done != 0 || st.Over {
		t.Errorf("after reset: %+v", st)
	}
	c.control(id, `{"action":"go","speed":1}`)
	if st := c.control(id, `{"action":"pause"}`); st.Running || st.Speed != 1 {
		t.Errorf("after pause: %+v", st)
	}
}

// TestEvents reads the event stream: a page that connects late gets the
// whole run so far, then the months as they come.
func TestEvents(t *testing.T) {
	_, c := startServer(t, Config{})
	id := c.create(`{"a":{"scenario":"status-quo","values":{"scale":0.002,"months":12}},"b":{"scenario":"status-quo","values":{"policy.interior_removals.from":"2012-01","policy.interior_removals.rate_multiplier":5}}}`)
	c.control(id, `{"action":"step"}`)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", c.url+"/api/runs/"+id+"/events", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	events := make(chan [2]string)
	go func() {
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(nil, 1<<20)
		var name string
		for sc.Scan() {
			line := sc.Text()
			if v, ok := strings.CutPrefix(line, "event: "); ok {
				name = v
			} else if v, ok := strings.CutPrefix(line, "data: "); ok {
				events <- [2]string{name, v}
			}
		}
		close(events)
	}()
	next := func(want string) string {
		for {
			select {
			case ev, ok := <-events:
				if !ok {
					t.Fatalf("stream ended waiting for %s", want)
				}
				if ev[0] == want {
					return ev[1]
				}
			case <-ctx.Done():
				t.Fatalf("no %s event", want)
			}
		}
	}
	var setup setupEvent
	json.Unmarshal([]byte(next("setup")), &setup)
	if len(setup.Sides) != 2 || setup.Months != 12 || len(setup.Map.Regions) != 54 || len(setup.Charts) != len(charts) {
		t.Fatalf("setup event: %d sides, %d months, %d regions, %d charts", len(setup.Sides), setup.Months, len(setup.Map.Regions), len(setup.Charts))
	}
	var m monthEvent
	json.Unmarshal([]byte(next("month")), &m)
	if m.T != 0 || m.Month != "2012-01" || len(m.V) != 2 || len(m.V[0]) != len(charts) || len(m.Map[1]) != 54 {
		t.Fatalf("replayed month event: %+v", m)
	}
	if m.V[0][0][0] <= 0 {
		t.Errorf("no departures from El Salvador in the first month: %v", m.V[0][0])
	}
	c.control(id, `{"action":"go","speed":0}`)
	removalsA, removalsB := m.V[0][2][0], m.V[1][2][0]
	for want := 1; want < 12; want++ {
		json.Unmarshal([]byte(next("month")), &m)
		if m.T != want {
			t.Fatalf("month event t=%d, want %d", m.T, want)
		}
		removalsA += m.V[0][2][0]
		removalsB += m.V[1][2][0]
	}
	if removalsB <= removalsA {
		t.Errorf("removals to El Salvador over the year: B (5x interior removals) %g, A %g; want B higher", removalsB, removalsA)
	}
}

func TestCloseEndsStreams(t *testing.T) {
	s, c := startServer(t, Config{})
	id := c.create(small)
	res, err := http.Get(c.url + "/api/runs/" + id + "/events")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { io.Copy(io.Discard, res.Body); close(done) }()
	s.Close()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("event stream still open after Close")
	}
	var e struct{ Error string }
	if code := c.do("POST", "/api/runs", small, &e); code != 503 {
		t.Errorf("create after Close: status %d, want 503", code)
	}
}

// TestPanicEndsRunNotServer: a panic while stepping ends that run with a
// message the page shows; the server and its other runs go on.
func TestPanicEndsRunNotServer(t *testing.T) {
	s, c := startServer(t, Config{})
	broken, healthy := c.create(small), c.create(small)
	s.mu.Lock()
	ss := s.runs[broken]
	s.mu.Unlock()
	ss.mu.Lock()
	ss.emig[0] = nil // the next step dereferences it
	ss.mu.Unlock()
	st := c.control(broken, `{"action":"step"}`)
	if !strings.Contains(st.Failure, "internal error") || !strings.Contains(st.Failure, "Press Setup") {
		t.Errorf("failure %q, want an internal error and what to do", st.Failure)
	}
	if st := c.control(broken, `{"action":"go"}`); st.Running {
		t.Error("a failed run started again without Setup")
	}
	if st := c.control(healthy, `{"action":"step"}`); st.Done != 1 || st.Failure != "" {
		t.Errorf("the other run after the panic: %+v", st)
	}
	if code := c.do("PUT", "/api/runs/"+broken, small, nil); code != 200 {
		t.Errorf("Setup after a failure: status %d", code)
	}
	if st := c.control(broken, `{"action":"step"}`); st.Done != 1 || st.Failure != "" {
		t.Errorf("after Setup: %+v", st)
	}
}
