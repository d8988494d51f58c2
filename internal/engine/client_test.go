package engine

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gridwork/gridsync/config"
	"github.com/gridwork/gridsync/internal/personio"
)

// TestClientPace checks that requests_per_minute and burst reach the
// Personio client, which paces at 95% of the limit with half the burst, and
// that without them it keeps to Personio's documented 300 a minute.
func TestClientPace(t *testing.T) {
	tests := []struct {
		name, extra   string
		wantPerMinute float64
		wantBurst     int
	}{
		{name: "default", wantPerMinute: 285, wantBurst: 8},
		{name: "agreed limit", extra: "requests_per_minute = 1200\nburst = 40\n", wantPerMinute: 1140, wantBurst: 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			src := "personio {\n" +
				"tenant = \"acme\"\n" +
				"credentials = \"secrets/personio.enc.yaml\"\n" +
				"api_url = \"http://127.0.0.1:1\"\n" +
				tt.extra + "}\n"
			if err := os.WriteFile(filepath.Join(dir, "gridsync.hcl"), []byte(src), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, diags := config.Loader{}.Load(dir)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			c, err := (&Runner{}).newClient(cfg, personio.Credentials{ClientID: "id", ClientSecret: "secret"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			perMinute, burst := c.Pace()
			if d := perMinute - tt.wantPerMinute; d > 0.001 || d < -0.001 || burst != tt.wantBurst {
				t.Errorf("Pace() = %.3f/min, burst %d; want %.0f/min, burst %d", perMinute, burst, tt.wantPerMinute, tt.wantBurst)
			}
		})
	}
}
