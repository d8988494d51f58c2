package words

import "testing"

func TestWords(t *testing.T) {
	tests := []struct{ got, want string }{
		{Count(1, "employee", "employees"), "1 employee"},
		{Count(0, "office", "offices"), "0 offices"},
		{Count(1240, "employee", "employees"), "1,240 employees"},
		{Plural(1, "is", "are"), "is"},
		{Plural(2, "is", "are"), "are"},
		{Number(999), "999"},
		{Number(1000), "1,000"},
		{Number(1234567), "1,234,567"},
		{Number(-4500), "-4,500"},
		{Number(-999), "-999"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
