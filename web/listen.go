package web

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// ShutdownGrace is how long Serve waits for requests to finish once its
// context is done.
const ShutdownGrace = 5 * time.Second

// Serve serves the teaching page on ln until ctx is done, then shuts the
// server down gracefully and stops its runs. cfg.LocalOnly is set from the
// listener: a server on a loopback address answers loopback names only.
// ready, if set, is called with the page's address once the server is up.
func Serve(ctx context.Context, ln net.Listener, cfg Config, ready func(url string, local bool)) error {
	cfg.LocalOnly = isLoopback(ln.Addr())
	srv, err := New(cfg)
	if err != nil {
		ln.Close()
		return err
	}
	// No write timeout: event streams last as long as the page is open.
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: min(10*time.Second, srv.cfg.ReadTimeout), ReadTimeout: srv.cfg.ReadTimeout, IdleTimeout: 2 * time.Minute}
	hs.RegisterOnShutdown(srv.Close)
	if ready != nil {
		ready(PageURL(ln.Addr()), cfg.LocalOnly)
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		srv.Close()
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
	defer cancel()
	err = hs.Shutdown(sctx)
	srv.Close()
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shutting down: %w", err)
	}
	return nil
}

func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// PageURL is the address to open in a browser for a server listening on a.
func PageURL(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return "http://" + a.String() + "/"
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(tcp.Port)) + "/"
}
