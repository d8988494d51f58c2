package engine

import (
	"cmp"
	"context"
	"os/exec"
	"os/user"
	"strings"
	"time"
)

// Actor is who runs gridsync: GITHUB_ACTOR in Actions, else the OS user.
func Actor(getenv func(string) string) string {
	var username string
	if u, err := user.Current(); err == nil {
		username = u.Username
	}
	return cmp.Or(getenv("GITHUB_ACTOR"), username, getenv("USER"), "unknown")
}

// GitCommit is the commit the configuration comes from: GITHUB_SHA in
// Actions, else `git rev-parse HEAD` in dir, else "" (not a git checkout).
func GitCommit(getenv func(string) string, dir string) string {
	if sha := getenv("GITHUB_SHA"); sha != "" {
		return sha
	}
	out, err := git(dir, "rev-parse", "HEAD")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(out)
}

// GitDirty reports whether tracked files of the configuration directory dir
// have uncommitted changes, staged or not, as `git describe --dirty` would
// say for the directory: untracked files do not count, nor do changes
// elsewhere in the repository. Outside a git checkout it is false.
func GitDirty(dir string) bool {
	out, err := git(dir, "status", "--porcelain", "--untracked-files=no", "--ignore-submodules=none", "--", ".")
	return err == nil && strings.TrimSpace(out) != ""
}

// git runs git in dir with a time limit and returns its stdout.
func git(dir string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...).Output()
	return string(out), err
}
