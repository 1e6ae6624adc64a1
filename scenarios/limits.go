package scenarios

import (
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
)

// Limits on the input every command reads. The TOML decoder recurses on
// nesting and is quadratic in the parts of a dotted key, so a file of a few
// kilobytes could otherwise take gigabytes: the text is measured against
// these limits before the decoder sees it.
const (
	// MaxFileSize is the largest scenario, sweep or calibration spec, in bytes.
	MaxFileSize = 1 << 20
	// MaxDepth is the deepest nesting of arrays and inline tables.
	MaxDepth = 16
	// MaxKeyLength is the longest key or table name as written, in bytes.
	MaxKeyLength = 256
	// MaxKeyParts is the most parts of a dotted key or table name.
	MaxKeyParts = 16
	// MaxSeed is the largest seed: seeds run from 0 to 2^63-1, so that TOML
	// and JSON, whose integers are signed 64-bit, can hold every one.
	MaxSeed = math.MaxInt64
)

// MaxWorkers is the most goroutines any command or the server may be asked
// for: four per core, and at least 64.
func MaxWorkers() int { return max(4*runtime.GOMAXPROCS(0), 64) }

// CheckWorkers checks a worker count given by flag (0 means all cores):
// negative counts and counts above MaxWorkers are refused, naming the flag.
func CheckWorkers(flag string, n int) error {
	if n < 0 || n > MaxWorkers() {
		return fmt.Errorf("%s %d: want 0 (all cores) to %d (four per core)", flag, n, MaxWorkers())
	}
	return nil
}

// ReadFile reads a regular file of at most limit bytes. Anything else (a
// folder, a FIFO, a device such as /dev/zero) is refused without reading
// from it: the file is opened without blocking, so a FIFO with no writer
// cannot hang the command. Its own errors do not repeat the path, which
// callers give with what the file is for.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|openNonblock, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		what := "not a regular file"
		switch {
		case st.IsDir():
			what = "a folder, not a file"
		case st.Mode()&os.ModeNamedPipe != 0:
			what = "a named pipe, not a regular file"
		case st.Mode()&os.ModeDevice != 0:
			what = "a device, not a regular file"
		}
		return nil, fmt.Errorf("%s: give the path of a file", what)
	}
	if st.Size() > limit {
		return nil, tooLarge(st.Size(), limit)
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, tooLarge(int64(len(b)), limit)
	}
	return b, nil
}

func tooLarge(size, limit int64) error {
	return fmt.Errorf("the file is %d bytes, more than the limit of %d (%s)", size, limit, byteSize(limit))
}

// byteSize formats a size for people: "1 MiB", "12.5 KiB", "300 bytes".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.3g MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.3g KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// errShape is a problem with the shape of TOML text, at a line.
type errShape struct {
	line int
	msg  string
}

// CheckText measures TOML text against MaxFileSize, MaxDepth, MaxKeyLength
// and MaxKeyParts, naming file and line. It knows strings (all four kinds),
// comments, keys, table headers, arrays and inline tables; it does not
// validate: the decoder does that after it.
func CheckText(file string, text []byte) error {
	if len(text) > MaxFileSize {
		return fmt.Errorf("%s: %w", file, tooLarge(int64(len(text)), MaxFileSize))
	}
	if e := shape(text); e != nil {
		return fmt.Errorf("%s:%d: %s", file, e.line, e.msg)
	}
	return nil
}

// shape scans TOML text for nesting and keys beyond the limits.
func shape(b []byte) *errShape {
	line := 1
	var stack []byte // '[' for an array value, '{' for an inline table
	expectKey := true
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\n':
			line++
			if len(stack) == 0 {
				expectKey = true
			}
		case c == ' ' || c == '\t' || c == '\r':
		case c == '#':
			for i+1 < len(b) && b[i+1] != '\n' {
				i++
			}
		case expectKey && len(stack) == 0 && c == '[':
			// A table header: [name] or [[name]].
			j := i + 1
			if j < len(b) && b[j] == '[' {
				j++
			}
			end, e := key(b, j, line, ']')
			if e != nil {
				return e
			}
			i, expectKey = end, false
		case expectKey && c != '}':
			end, e := key(b, i, line, '=')
			if e != nil {
				return e
			}
			i, expectKey = end, false
		case c == '"' || c == '\'':
			end, lines := skipString(b, i)
			i, line = end, line+lines
		case c == '[' || c == '{':
			stack = append(stack, c)
			if len(stack) > MaxDepth {
				return &errShape{line, fmt.Sprintf("arrays and inline tables nested more than %d deep", MaxDepth)}
			}
			expectKey = c == '{'
		case c == ']' || c == '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case c == ',':
			expectKey = len(stack) > 0 && stack[len(stack)-1] == '{'
		}
	}
	return nil
}

// key measures the key that starts at b[i] and ends before stop ('=' for a
// key, ']' for a table header) and returns the index of stop (or of where
// the key ended without it, for the decoder to report).
func key(b []byte, i, line int, stop byte) (int, *errShape) {
	start, parts := i, 1
	for ; i < len(b) && b[i] != stop && b[i] != '\n'; i++ {
		switch b[i] {
		case '.':
			parts++
		case '"', '\'':
			end, n := skipString(b, i)
			if n > 0 {
				return i, nil // not a key the decoder accepts
			}
			i = end
		}
		if i-start > MaxKeyLength {
			return i, &errShape{line, fmt.Sprintf("a key longer than %d bytes: shorten it", MaxKeyLength)}
		}
		if parts > MaxKeyParts {
			return i, &errShape{line, fmt.Sprintf("a key of more than %d dotted parts: shorten it", MaxKeyParts)}
		}
	}
	if i >= len(b) {
		i = len(b) - 1
	}
	if b[i] == '\n' {
		i-- // the newline ends the line: the caller sees it
	}
	return i, nil
}

// skipString returns the index of the last byte of the string that opens at
// b[i], and how many newlines it spans. An unterminated string runs to the
// end of its line (or, multi-line, of the text).
func skipString(b []byte, i int) (end, lines int) {
	q := b[i]
	if i+2 < len(b) && b[i+1] == q && b[i+2] == q {
		for j := i + 3; j < len(b); j++ {
			switch {
			case b[j] == '\n':
				lines++
			case b[j] == '\\' && q == '"':
				if j+1 < len(b) && b[j+1] == '\n' {
					lines++
				}
				j++
			case b[j] == q && j+2 < len(b) && b[j+1] == q && b[j+2] == q:
				j += 2
				for k := 0; k < 2 && j+1 < len(b) && b[j+1] == q; k++ {
					j++ // up to two quotes just before the closing ones belong to the string
				}
				return j, lines
			}
		}
		return len(b) - 1, lines
	}
	for j := i + 1; j < len(b); j++ {
		switch {
		case b[j] == '\n':
			return j - 1, 0
		case b[j] == '\\' && q == '"':
			if j+1 < len(b) && b[j+1] == '\n' {
				return j, 0
			}
			j++
		case b[j] == q:
			return j, 0
		}
	}
	return len(b) - 1, 0
}
