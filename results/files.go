package results

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Output is one file of a result set and the function that writes it.
type Output struct {
	Name  string
	Write func(io.Writer) error
}

// WriteSet writes outputs into dir atomically and then the manifest, which
// records their hashes. Any previous manifest is removed first: a folder with
// a manifest.json is a complete result set, and one without is not. Each file
// is written to a temporary file in dir and renamed into place, so no reader
// ever sees a half-written file.
func WriteSet(dir string, outputs []Output, m *Manifest) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	if err := os.Remove(filepath.Join(dir, "manifest.json")); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("output folder: %w", err)
	}
	if m.Outputs == nil {
		m.Outputs = map[string]string{}
	}
	for _, o := range outputs {
		sum, err := WriteAtomic(filepath.Join(dir, o.Name), o.Write)
		if err != nil {
			return err
		}
		m.Outputs[o.Name] = sum
	}
	_, err := WriteAtomic(filepath.Join(dir, "manifest.json"), m.Write)
	return err
}

// WriteAtomic writes path through a temporary file in the same folder and
// renames it into place; it returns the hex SHA-256 of what it wrote.
func WriteAtomic(path string, write func(io.Writer) error) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	fail := func(err error) (string, error) {
		f.Close()
		os.Remove(tmp)
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	h := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(f, h), 1<<16)
	if err := write(bw); err != nil {
		return fail(err)
	}
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
