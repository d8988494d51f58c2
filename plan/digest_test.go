package plan

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/gridwork/gridsync/config"
)

func TestDigests(t *testing.T) {
	cfg, snap := baseConfig(), baseSnapshot()
	cur := syncedState(t)
	p, _ := Build(cfg, snap, cur, BuildOptions{Now: testNow})
	for name, d := range map[string]string{"config": p.Digests.Config, "personio": p.Digests.Personio, "target": p.Digests.Target} {
		if len(d) != 64 {
			t.Errorf("%s digest %q is not hex SHA-256", name, d)
		}
	}

	// A saved plan carries its digests, and apply compares them with
	// digests it computes: a new encoding would make every plan saved by
	// an older gridsync stale. These are the digests that release wrote.
	t.Run("the encoding is the one saved plans carry", func(t *testing.T) {
		if want := "b0941d055a83f4d670cb839ae81e8eb267b8bb27c9229812b00cbbd7a85701b5"; p.Digests.Personio != want {
			t.Errorf("personio digest = %s, want %s", p.Digests.Personio, want)
		}
		if want := "e06d40e223ac232b93a23e7a00738ec6512d3191643d4b766cae6237927ed055"; p.Digests.Target != want {
			t.Errorf("target digest = %s, want %s", p.Digests.Target, want)
		}
		cfg := baseConfig()
		cfg.Personio.EmployeeFields = map[string]config.FieldRef{FieldPosition: {Key: "dynamic_42"}}
		q, _ := Build(cfg, baseSnapshot(), State{}, BuildOptions{Now: testNow})
		if want := "15f703f597960b0d9454b39db55852b2e93d332e810f062853cf5358ae85f377"; q.Digests.Personio != want {
			t.Errorf("personio digest with an employee_fields override = %s, want %s", q.Digests.Personio, want)
		}
	})
	t.Run("personio digest ignores unrelated changes", func(t *testing.T) {
		snap := baseSnapshot()
		snap.Employees = append(snap.Employees, emp(2000, "Zed", "Outsider", "zed@x.test", "active", &Office{ID: 9, Name: "Oslo"}))
		employeeByID(snap, 1003).LastName = "Changed" // inactive: not synced
		employeeByID(snap, 1001).Attributes["dynamic_77"] = employeeByID(snap, 1001).Attributes["dynamic_42"]
		q, _ := Build(cfg, snap, cur, BuildOptions{Now: testNow})
		if q.Digests.Personio != p.Digests.Personio {
			t.Error("an unrelated Personio change altered the Personio digest")
		}
	})
	t.Run("personio digest follows synced changes", func(t *testing.T) {
		snap := baseSnapshot()
		employeeByID(snap, 1001).Position = "CTO"
		q, _ := Build(cfg, snap, cur, BuildOptions{Now: testNow})
		if q.Digests.Personio == p.Digests.Personio {
			t.Error("a synced change left the Personio digest unchanged")
		}
	})
	t.Run("target digest ignores row order and follows content", func(t *testing.T) {
		shuffled := syncedState(t)
		r := rand.New(rand.NewPCG(1, 2))
		r.Shuffle(len(shuffled.Employees), func(i, j int) {
			shuffled.Employees[i], shuffled.Employees[j] = shuffled.Employees[j], shuffled.Employees[i]
		})
		shuffled.Companies[0], shuffled.Companies[1] = shuffled.Companies[1], shuffled.Companies[0]
		if DigestState(shuffled) != DigestState(cur) {
			t.Error("row order changed the target digest")
		}
		shuffled.Employees[0].Attrs = shuffled.Employees[0].Attrs.With(FieldGender, "female")
		if DigestState(shuffled) == DigestState(cur) {
			t.Error("a changed attribute left the target digest unchanged")
		}
	})
	t.Run("an empty value digests like a missing one", func(t *testing.T) {
		a, b := syncedState(t), syncedState(t)
		a.Employees[0].Attrs = a.Employees[0].Attrs.With(FieldTitle, "")
		if DigestState(a) != DigestState(b) {
			t.Error(`"" and missing digest differently`)
		}
	})
	t.Run("config digest depends on names and bytes, not the checkout", func(t *testing.T) {
		moved := baseConfig()
		moved.Dir = "/elsewhere"
		moved.Files = map[string]*hcl.File{}
		for name, f := range baseConfig().Files {
			moved.Files["/elsewhere/"+name[len("/repo/"):]] = f
		}
		if DigestConfig(moved) != DigestConfig(cfg) {
			t.Error("moving the checkout changed the config digest")
		}
		edited := baseConfig()
		edited.Files["/repo/acme.hcl"] = &hcl.File{Bytes: []byte("company \"acme\" { }\n")}
		if DigestConfig(edited) == DigestConfig(cfg) {
			t.Error("an edited file left the config digest unchanged")
		}
	})
}

func TestDeterministicOrder(t *testing.T) {
	cfg, snap := baseConfig(), baseSnapshot()
	snap.Employees = append(snap.Employees,
		emp(20, "Early", "Bird", "early@acme.test", "active", hamburg),
		emp(100000, "Late", "Comer", "late@acme.test", "active", berlin))
	want, _ := Build(cfg, snap, State{}, BuildOptions{Now: testNow})

	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 5; i++ {
		cfg, snap := baseConfig(), baseSnapshot()
		snap.Employees = append(snap.Employees,
			emp(20, "Early", "Bird", "early@acme.test", "active", hamburg),
			emp(100000, "Late", "Comer", "late@acme.test", "active", berlin))
		r.Shuffle(len(snap.Employees), func(i, j int) { snap.Employees[i], snap.Employees[j] = snap.Employees[j], snap.Employees[i] })
		r.Shuffle(len(snap.Jobs), func(i, j int) { snap.Jobs[i], snap.Jobs[j] = snap.Jobs[j], snap.Jobs[i] })
		cfg.Companies[0], cfg.Companies[1] = cfg.Companies[1], cfg.Companies[0]
		got, _ := Build(cfg, snap, State{}, BuildOptions{Now: testNow})
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("order depends on input order:\n%q\n%q", changeLines(got), changeLines(want))
		}
	}
	// Numeric, not textual, order of ids.
	var ids []string
	for _, c := range want.Changes {
		if c.Type == TypeEmployee && c.Company == "acme" {
			ids = append(ids, c.Key)
		}
	}
	if !reflect.DeepEqual(ids, []string{"20", "1001", "1002", "100000"}) {
		t.Errorf("employee order %q", ids)
	}
}
