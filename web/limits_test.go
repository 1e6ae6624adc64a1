package web

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The cap counts households, not the scale: larger populations in smaller
// households, or many months, are refused (issue 14, item 8).
func TestHouseholdCap(t *testing.T) {
	_, c := startServer(t, Config{})
	for _, tt := range []struct{ settings, want string }{
		{`{"a":{"scenario":"status-quo","values":{"scale":0.05,"country.SV.population":1e8,"country.SV.household_size":1.5,"country.SV.tie_share":0.01}}}`, "households (population × scale / household size"},
		{`{"a":{"scenario":"status-quo","values":{"scale":0.05,"months":600}}}`, "household-months, more than this server's limit"},
	} {
		var e struct{ Error string }
		if code := c.do("POST", "/api/runs", tt.settings, &e); code != 400 || !strings.Contains(e.Error, tt.want) {
			t.Errorf("%s: status %d, %q; want 400 with %q", tt.settings, code, e.Error, tt.want)
		}
	}
	// The default run at the largest scale is within the cap.
	c.create(`{"a":{"scenario":"status-quo","values":{"scale":0.05,"months":240}}}`)
	if _, err := New(Config{Workers: 1 << 30}); err == nil || !strings.Contains(err.Error(), "workers") {
		t.Errorf("a billion workers: %v", err)
	}
}

// Requests that change state from another site's page are refused, and
// every request body must be JSON.
func TestCrossOrigin(t *testing.T) {
	_, c := startServer(t, Config{})
	id := c.create(small)
	for _, tt := range []struct {
		method, path, body string
		header             map[string]string
		code               int
	}{
		{"POST", "/api/runs", small, map[string]string{"Origin": "http://evil.example", "Content-Type": "application/json"}, 403},
		{"POST", "/api/runs/" + id + "/control", `{"action":"go"}`, map[string]string{"Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"}, 403},
		{"DELETE", "/api/runs/" + id, "", map[string]string{"Origin": "http://evil.example"}, 403},
		{"POST", "/api/runs/" + id + "/control", `{"action":"go"}`, map[string]string{"Content-Type": "text/plain"}, 415},
		{"POST", "/api/runs/" + id + "/control", `{"action":"step"}`, map[string]string{"Origin": c.url, "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json"}, 200},
		{"GET", "/api/runs/" + id, "", map[string]string{"Origin": "http://evil.example"}, 200},
	} {
		req, _ := http.NewRequest(tt.method, c.url+tt.path, strings.NewReader(tt.body))
		for k, v := range tt.header {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tt.code {
			t.Errorf("%s %s %v: status %d (%s), want %d", tt.method, tt.path, tt.header, res.StatusCode, b, tt.code)
		}
	}
	if st := c.control(id, `{"action":"pause"}`); st.Done != 1 {
		t.Errorf("only the same-origin step should have run: %+v", st)
	}
}

// A run left paused and untouched gives way even while a page shows it, so
// open tabs cannot lock a class out; a going run does not.
func TestIdleRunsExpire(t *testing.T) {
	s, c := startServer(t, Config{MaxRuns: 1, IdleTimeout: time.Minute, OrphanTimeout: time.Hour})
	var offset atomic.Int64
	s.now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	id := c.create(small)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", c.url+"/api/runs/"+id+"/events", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	bufio.NewReader(res.Body).ReadString('\n') // the page watches
	offset.Store(int64(2 * time.Minute))
	second := c.create(small)
	if code := c.do("GET", "/api/runs/"+id, "", nil); code != 404 {
		t.Errorf("the watched idle run is still there (status %d)", code)
	}
	c.control(second, `{"action":"go","speed":1}`)
	offset.Store(int64(4 * time.Minute))
	s.expire()
	s.mu.Lock()
	_, ok := s.runs[second]
	s.mu.Unlock()
	if !ok {
		t.Error("a going run was dropped")
	}
}

// A going run whose page has gone (no stream, no request) pauses.
func TestOrphanRunPauses(t *testing.T) {
	s, c := startServer(t, Config{OrphanTimeout: time.Minute})
	var offset atomic.Int64
	s.now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	id := c.create(`{"a":{"scenario":"status-quo","values":{"scale":0.002,"months":240}}}`)
	c.control(id, `{"action":"go","speed":50}`)
	offset.Store(int64(time.Hour))
	s.mu.Lock()
	ss := s.runs[id]
	s.mu.Unlock()
	deadline := time.Now().Add(20 * time.Second)
	for ss.state().Running && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if st := ss.state(); st.Running || st.Over {
		t.Errorf("run of a gone page: %+v, want paused before its end", st)
	}
}

// Serve stops waiting for a request that does not arrive, but an event
// stream lasts longer than the read timeout.
func TestReadTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, ln, Config{ReadTimeout: 300 * time.Millisecond}, nil) }()
	defer func() { cancel(); <-served }()
	addr := ln.Addr().String()

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "POST /api/check HTTP/1.1\r\nHost: "+addr+"\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
	conn.SetReadDeadline(time.Now().Add(15 * time.Second))
	_, err = io.ReadAll(conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Error("the server still waits for a body that never comes")
	}

	c := &client{t: t, url: "http://" + addr}
	id := c.create(small)
	sctx, scancel := context.WithCancel(context.Background())
	defer scancel()
	req, _ := http.NewRequestWithContext(sctx, "GET", c.url+"/api/runs/"+id+"/events", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	events := make(chan string, 64)
	go func() {
		r := bufio.NewReader(res.Body)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				close(events)
				return
			}
			if strings.HasPrefix(line, "event: ") {
				events <- strings.TrimSpace(line[7:])
			}
		}
	}()
	time.Sleep(time.Second) // beyond the read timeout
	c.control(id, `{"action":"step"}`)
	for timeout := time.After(15 * time.Second); ; {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatal("the event stream ended")
			}
			if ev == "month" {
				return
			}
		case <-timeout:
			t.Fatal("no month event after the read timeout")
		}
	}
}
