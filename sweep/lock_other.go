//go:build !unix

package sweep

import "os"

// lockFile opens path; where flock is missing, tasks are not locked.
func lockFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
}
