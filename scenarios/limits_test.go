package scenarios

import (
	"runtime"
	"strings"
	"testing"
)

// allocated returns the bytes fn allocates.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Texts that took the TOML decoder gigabytes are refused before it sees
// them, in little memory, with the line and what to do.
func TestInputLimits(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"inline tables 20,000 deep", "a = " + strings.Repeat("{b = ", 20000) + "1" + strings.Repeat("}", 20000) + "\n", "bad.toml:1: arrays and inline tables nested more than 16 deep"},
		{"arrays 10,000 deep", "months = 12\na = " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n", "bad.toml:2: arrays and inline tables nested more than 16 deep"},
		{"a 16 KB dotted key", strings.Repeat("a.", 8192) + "b = 1\n", "bad.toml:1: a key of more than 16 dotted parts"},
		{"a 16 KB dotted table", "[" + strings.Repeat("a.", 8192) + "b]\n", "bad.toml:1: a key of more than 16 dotted parts"},
		{"a long key", "x = 1\n" + strings.Repeat("k", 300) + " = 1\n", "bad.toml:2: a key longer than 256 bytes"},
		{"a long quoted key in an inline table", "a = { \"" + strings.Repeat("k", 300) + "\" = 1 }\n", "bad.toml:1: a key longer than 256 bytes"},
		{"a large file", "description = \"" + strings.Repeat("x", MaxFileSize) + "\"\n", "bad.toml: the file is 1048593 bytes, more than the limit of 1048576 (1 MiB)"},
	}
	for _, tt := range tests {
		var err error
		n := allocated(func() { _, err = Parse("bad.toml", []byte(tt.text)) })
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
		if n > 8<<20+3*uint64(len(tt.text)) {
			t.Errorf("%s: refusing it allocated %d bytes", tt.name, n)
		}
	}
	// What the limits allow still parses: strings that look like nesting,
	// keys at the limit, and the deepest nesting TOML files here need.
	for _, ok := range []string{
		"description = \"" + strings.Repeat("[{", 100) + "\"\n",
		"description = '''\n" + strings.Repeat("[", 100) + "\n'''\n",
		"[country.SV]\n\"intercept\" = -10\n",
		"# " + strings.Repeat("a.", 500) + "\nmonths = 12\n",
	} {
		if _, err := Parse("ok.toml", []byte(ok)); err != nil {
			t.Errorf("%.40q: %v", ok, err)
		}
	}
}
