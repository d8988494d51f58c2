package engine

import (
	"context"
	"os/exec"
	"os/user"
	"strings"
	"time"
)

// Actor is who runs gridsync: GITHUB_ACTOR in Actions, else the OS user.
func Actor(getenv func(string) string) string {
	if a := getenv("GITHUB_ACTOR"); a != "" {
		return a
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if u := getenv("USER"); u != "" {
		return u
	}
	return "unknown"
}

// GitCommit is the commit the configuration comes from: GITHUB_SHA in
// Actions, else `git rev-parse HEAD` in dir, else "" (not a git checkout).
func GitCommit(getenv func(string) string, dir string) string {
	if sha := getenv("GITHUB_SHA"); sha != "" {
		return sha
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
