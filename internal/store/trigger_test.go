package store

import (
	"context"
	"strings"
	"testing"
)

func TestSyncedRowsAreReadOnlyForOtherWriters(t *testing.T) {
	s := newStore(t)
	if _, err := s.Apply(context.Background(), basePlan(), ApplyOptions{}); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	mustExec(t, s, `insert into employees (company_id, first_name, email) select id, 'Manual', 'm@acme.test' from companies where slug = 'acme'`)
	const readOnly = "is synced from Personio and read-only: unmap its office or delete it in Personio to edit it"
	tests := []struct {
		name, sql string
		want      string // "" means allowed
	}{
		{"update linked employee", `update employees set first_name = 'Eve' where external_id = '1001'`, readOnly},
		{"delete linked employee", `delete from employees where external_id = '1001'`, readOnly},
		{"update linked job", `update jobs set title = 'PHP' where external_id = '9001'`, readOnly},
		{"delete linked job", `delete from jobs where external_id = '9001'`, readOnly},
		{"unlink by hand", `update employees set external_source = null, external_id = null where external_id = '1001'`, readOnly},
		{"link by hand", `update employees set external_source = 'personio', external_id = '77' where first_name = 'Manual'`, "only gridsync may link employees"},
		{"insert linked", `insert into jobs (company_id, external_source, external_id) select id, 'personio', '5' from companies where slug = 'acme'`, "only gridsync may link jobs"},
		{"a marker for another setting does not count", `select set_config('gridsync.writer', 'off', false); update employees set first_name = 'Eve' where external_id = '1001'`, readOnly},
		{"truncate", `truncate employees`, "employees holds records synced from Personio, which are read-only"},
		{"truncate jobs", `truncate jobs`, "jobs holds records synced from Personio, which are read-only"},
		{"truncate jobs only", `truncate only jobs`, "jobs holds records synced from Personio, which are read-only"},
		{"truncate via cascade", `truncate companies cascade`, "holds records synced from Personio"},
		{"update unlinked employee", `update employees set first_name = 'Edited' where first_name = 'Manual'`, ""},
		{"insert and delete unlinked job", `insert into jobs (company_id, title) select id, 'Manual' from companies where slug = 'acme';
			update jobs set title = 'Edited' where title = 'Manual';
			delete from jobs where title = 'Edited'`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, jobsBefore := dump(t, s, dumpEmployees), dump(t, s, dumpJobs)
			err := exec(s, tt.sql)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
			if tt.want != "" {
				equalLines(t, "employees after a refused write", dump(t, s, dumpEmployees), before)
				equalLines(t, "jobs after a refused write", dump(t, s, dumpJobs), jobsBefore)
			}
		})
	}
	equalLines(t, "linked rows untouched, unlinked rows edited", dump(t, s, `select external_id, first_name from employees
		union all select external_id, title from jobs order by 1`), []string{"1001|Ada", "1002|Alan", "2001|Grace", "9001|Go Engineer", "NULL|Edited"})
}
