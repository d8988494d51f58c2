package personiosim

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLoadDatasetRoundTrip(t *testing.T) {
	want := Generate(GenerateOptions{Seed: 9, Employees: 120, Offices: 5, Jobs: 7})
	path := filepath.Join(t.TempDir(), "data.json")
	if err := want.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	got, err := LoadDataset(path)
	if err != nil {
		t.Fatal(err)
	}
	// Custom values go through JSON; generated ones are all strings, so
	// they compare equal.
	if !reflect.DeepEqual(got, want) {
		t.Fatal("dataset changed in a write/load round trip")
	}
	// What the server hands back loads too.
	if err := New(Options{Dataset: got}).Dataset().WriteFile(path); err != nil {
		t.Fatal(err)
	}
	if again, err := LoadDataset(path); err != nil || len(again.Employees) != 120 {
		t.Fatalf("server dataset round trip: %v", err)
	}
}

func TestLoadDatasetExample(t *testing.T) {
	d, err := LoadDataset(filepath.Join("testdata", "valid.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Employees) != 2 || d.Employees[0].LastName != "Müller" || d.Jobs[0].Descriptions[0].Value == "" {
		t.Errorf("dataset %+v", d)
	}
}

func TestLoadDatasetInvalid(t *testing.T) {
	tests := []struct{ file, wantErr string }{
		{"duplicate_employee.json", "employee id 1 appears twice"},
		{"unknown_office.json", "office id 7 is not in offices"},
		{"bad_status.json", `status "retired"`},
		{"unknown_field.json", `unknown field "firstname"`},
		{"undeclared_custom.json", `custom value "dynamic_9" is not declared`},
		{"bad_hire_date.json", `hire_date "01.02.2020"`},
		{"missing.json", "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := LoadDataset(filepath.Join("testdata", "invalid", tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}
