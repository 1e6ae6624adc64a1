package results

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
)

// Output is one file of a result set and the function that writes it.
type Output struct {
	Name  string
	Write func(io.Writer) error
}

// ManifestFile is the name of a result set's manifest. A folder with one is
// a complete result set: every file it lists has the SHA-256 it records.
const ManifestFile = "manifest.json"

// WriteSet writes outputs into dir and then the manifest, which records
// their hashes, so that the folder holds either a complete result set or
// no manifest at all, and a failed or interrupted rewrite keeps the
// previous complete set:
//
//   - every file is first written in full to a temporary file in dir and
//     synced, checking ctx between files; a failure or an interruption
//     removes the temporary files and leaves the folder as it was;
//   - then the old manifest is removed, the files are renamed into place,
//     the files the old manifest listed and the new one does not are
//     removed, and the new manifest is renamed into place last.
//
// Only a kill in the last step, which writes nothing, leaves a folder
// without a manifest.
func WriteSet(ctx context.Context, dir string, outputs []Output, m *Manifest) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	if m.Outputs == nil {
		m.Outputs = map[string]string{}
	}
	var staged []stagedFile
	discard := func() {
		for _, s := range staged {
			os.Remove(s.tmp)
		}
	}
	for _, o := range outputs {
		if !plainName(o.Name) || o.Name == ManifestFile {
			return fmt.Errorf("write %s: not a file name a result set can hold", o.Name)
		}
	}
	files, err := stageAll(ctx, dir, outputs)
	for _, f := range files {
		if f.tmp != "" {
			staged = append(staged, f)
		}
	}
	if err != nil {
		discard()
		return err
	}
	for _, f := range files {
		m.Outputs[f.name] = f.sum
	}
	tmp, _, err := writeTemp(filepath.Join(dir, ManifestFile), m.Write)
	if err != nil {
		discard()
		return err
	}
	staged = append(staged, stagedFile{tmp: tmp, name: ManifestFile})
	if err := ctx.Err(); err != nil {
		discard()
		return err
	}
	old := listed(dir)
	if err := os.Remove(filepath.Join(dir, ManifestFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		discard()
		return fmt.Errorf("output folder: %w", err)
	}
	// From here the folder has no manifest until the new one is in place.
	for i, s := range staged {
		if s.name == ManifestFile {
			// The files are in place: remove what the old manifest listed
			// and the new one does not, then put the new one in place.
			for _, name := range old {
				if _, ok := m.Outputs[name]; !ok {
					os.Remove(filepath.Join(dir, name))
				}
			}
		}
		if err := os.Rename(s.tmp, filepath.Join(dir, s.name)); err != nil {
			for _, rest := range staged[i:] {
				os.Remove(rest.tmp)
			}
			return fmt.Errorf("write %s: %w", filepath.Join(dir, s.name), err)
		}
	}
	syncDir(dir)
	removeStale(dir, m.Outputs, old)
	return nil
}

// stageAll writes every output to its temporary file in dir, in parallel
// on the machine's cores: outputs that share a name but for the extension
// (a figure as PNG and SVG) one after the other, since they render one
// object. It returns the staged files in the order of outputs (those not
// written have no tmp) and the first error in that order.
func stageAll(ctx context.Context, dir string, outputs []Output) ([]stagedFile, error) {
	files := make([]stagedFile, len(outputs))
	errs := make([]error, len(outputs))
	var groups [][]int
	index := map[string]int{}
	for i, o := range outputs {
		stem := strings.TrimSuffix(o.Name, filepath.Ext(o.Name))
		g, ok := index[stem]
		if !ok {
			g = len(groups)
			index[stem] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], i)
	}
	next := make(chan []int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(groups)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for group := range next {
				for _, i := range group {
					if errs[i] = ctx.Err(); errs[i] != nil {
						break
					}
					o := outputs[i]
					files[i].name = o.Name
					files[i].tmp, files[i].sum, errs[i] = writeTemp(filepath.Join(dir, o.Name), o.Write)
					if errs[i] != nil {
						break
					}
				}
			}
		}()
	}
	for _, g := range groups {
		next <- g
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return files, err
		}
	}
	return files, nil
}

// removeStale removes the temporary files that writers of these names
// killed before they finished (SIGKILL, a power cut) left in dir.
func removeStale(dir string, names map[string]string, old []string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	ours := map[string]bool{ManifestFile: true}
	for n := range names {
		ours[n] = true
	}
	for _, n := range old {
		ours[n] = true
	}
	for _, e := range entries {
		name := e.Name()
		i := strings.Index(name, ".tmp-")
		if !strings.HasPrefix(name, ".") || i < 0 || !ours[name[1:i]] {
			continue
		}
		os.Remove(filepath.Join(dir, name))
	}
}

// stagedFile is a file of a result set written under a temporary name.
type stagedFile struct{ tmp, name, sum string }

// plainName reports whether name is a file name without a folder.
func plainName(name string) bool {
	return name != "" && name != "." && name != ".." && filepath.Base(name) == name && filepath.IsLocal(name)
}

// listed returns the files the manifest in dir lists, if it can be read.
func listed(dir string) []string {
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil
	}
	var m Manifest
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	var out []string
	for name := range m.Outputs {
		if plainName(name) && name != ManifestFile {
			out = append(out, name)
		}
	}
	return out
}

// syncDir makes the renames in dir durable, where the system allows.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// WriteAtomic writes path through a temporary file in the same folder and
// renames it into place; it returns the hex SHA-256 of what it wrote.
func WriteAtomic(path string, write func(io.Writer) error) (string, error) {
	tmp, sum, err := writeTemp(path, write)
	if err != nil {
		return "", err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return sum, nil
}

// writeTemp writes a temporary file in path's folder, synced, and returns
// its name and the hex SHA-256 of what it wrote. On error it leaves nothing.
func writeTemp(path string, write func(io.Writer) error) (string, string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", "", fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	fail := func(err error) (string, string, error) {
		f.Close()
		os.Remove(tmp)
		return "", "", fmt.Errorf("write %s: %w", path, err)
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
		os.Remove(tmp)
		return "", "", fmt.Errorf("write %s: %w", path, err)
	}
	return tmp, hex.EncodeToString(h.Sum(nil)), nil
}

// CheckDir checks, before any work, that a result set can be written to
// dir: dir, or the nearest of its parents that exists, is a folder in which
// a file can be created. A folder that already holds a result set (a
// manifest) is refused unless replace is true, so that one run never
// silently takes the place of another; WriteSet then replaces it whole.
// It leaves nothing behind.
func CheckDir(dir string, replace bool) error {
	if !replace {
		if b, err := os.ReadFile(filepath.Join(dir, ManifestFile)); err == nil {
			var m Manifest
			what := "a result"
			if json.Unmarshal(b, &m) == nil && len(m.Command) > 0 {
				what = fmt.Sprintf("the result of '%s'", strings.Join(m.Command, " "))
			}
			return fmt.Errorf("output folder %s already holds %s: give --force to replace it, or choose another --out", dir, what)
		}
	}
	d := filepath.Clean(dir)
	for {
		st, err := os.Stat(d)
		if err == nil {
			if !st.IsDir() {
				return fmt.Errorf("output folder %s: %s is a file, not a folder: choose another --out", dir, d)
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return fmt.Errorf("output folder %s: %w", dir, err)
		}
		parent := filepath.Dir(d)
		if parent == d {
			return fmt.Errorf("output folder %s: %w", dir, err)
		}
		d = parent
	}
	f, err := os.CreateTemp(d, ".migrasim-check-*")
	if err != nil {
		return fmt.Errorf("output folder %s: cannot write there (%w): choose another --out", dir, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// Verify checks a result set: dir's manifest and every file it lists, with
// the SHA-256 it records. It returns fs.ErrNotExist (wrapped) when dir has
// no manifest.
func Verify(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	for name, want := range m.Outputs {
		if !plainName(name) {
			return nil, fmt.Errorf("%s lists %q, not a file name", filepath.Join(dir, ManifestFile), name)
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != want {
			return nil, fmt.Errorf("%s: SHA-256 %s, the manifest says %s", filepath.Join(dir, name), got, want)
		}
	}
	return &m, nil
}
