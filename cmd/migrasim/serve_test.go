package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer that a server goroutine may write while
// the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr lockedBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--max-runs", "2"}, pw, &stderr) }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "migrasim: teaching page at "
	if !strings.HasPrefix(line, prefix) {
		t.Fatalf("first line %q, want %q…", line, prefix)
	}
	url := strings.Fields(strings.TrimPrefix(line, prefix))[0]
	res, err := http.Get(url + "api/controls")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"max_runs":2`) {
		t.Errorf("GET api/controls: status %d, body %.120s", res.StatusCode, body)
	}
	// On loopback, the server refuses other host names (DNS rebinding).
	req, _ := http.NewRequest("GET", url, nil)
	req.Host = "attacker.example"
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusForbidden {
		t.Errorf("foreign Host: %v, %v; want 403", res.StatusCode, err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after interrupt, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within 10s of the interrupt")
	}
}

func TestServeBadFlags(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--max-scale", "0"}, "--max-scale 0: want more than 0"},
		{[]string{"--max-scale", "1.5"}, "at most 1"},
		{[]string{"--max-runs", "0"}, "--max-runs 0"},
		{[]string{"--workers", "-1"}, "--workers -1"},
		{[]string{"8080"}, "takes no arguments"},
		{[]string{"--addr", "nonsense"}, "serve:"},
		{[]string{"--addr", busy.Addr().String()}, "another server on that port"},
		{[]string{"--port", "1"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		_, _, err := cli(t, context.Background(), append([]string{"serve"}, tt.args...)...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("serve %v: error %v, want one containing %q", tt.args, err, tt.want)
		}
	}
}
