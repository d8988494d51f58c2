package plan

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gridwork/gridsync/config"
)

// Digest versions are written first so that a change of encoding can never
// collide with an old digest.
const (
	digestConfigV  = "gridsync-config-v1"
	digestDesiredV = "gridsync-desired-v2"
	digestStateV   = "gridsync-state-v1"
)

// DigestConfig fingerprints the configuration files: their names (relative
// to the config directory, so the checkout location does not matter) in
// sorted order and their bytes.
func DigestConfig(cfg *config.Config) string {
	h := newCanon(digestConfigV)
	rel := map[string]string{} // name relative to the directory → name
	for name := range cfg.Files {
		r := name
		if filepath.IsAbs(name) && cfg.Dir != "" {
			if x, err := filepath.Rel(cfg.Dir, name); err == nil {
				r = x
			}
		}
		rel[filepath.ToSlash(r)] = name
	}
	for _, n := range slices.Sorted(maps.Keys(rel)) {
		h.str(n)
		var b []byte
		if f := cfg.Files[rel[n]]; f != nil {
			b = f.Bytes
		}
		h.str(string(b))
	}
	return h.sum()
}

// digestDesired fingerprints what gridsync would write for the companies in
// scope: companies, toggles, locations with their offices, and the desired
// records, and whether the job feed could be read. Personio changes that
// do not alter it (a new hire in an unmapped office, an attribute gridsync
// does not sync) leave it unchanged, so they do not make a saved plan
// stale. A plan computed while the feed was unavailable is stale once it
// is back (and the other way round), whatever the feed then lists; why it
// was unavailable (404, or retries exhausted) does not matter.
func digestDesired(d *DesiredState) string {
	h := newCanon(digestDesiredV)
	h.bool(d.JobsUnavailable != "")
	h.int(int64(len(d.Companies)))
	for i := range d.Companies {
		c := &d.Companies[i]
		h.str(c.Slug)
		h.str(c.Name)
		h.bool(c.SyncEmployees)
		h.bool(c.SyncJobs)
		h.int(int64(len(c.Locations)))
		for _, l := range c.Locations {
			h.str(l.Slug)
			v := l.Attrs().values()
			h.values(&v, locationOrder)
		}
		for _, k := range []struct {
			recs   []DesiredRecord
			fields []int
		}{{c.Employees, employeeOrder}, {c.Jobs, jobOrder}} {
			h.int(int64(len(k.recs)))
			var v attrValues
			for i := range k.recs {
				r := &k.recs[i]
				h.int(r.ID)
				r.values(&v)
				h.values(&v, k.fields)
			}
		}
	}
	return h.sum()
}

// DigestState fingerprints the target's current state. The encoding does
// not depend on the order the store returned rows in.
func DigestState(s State) string {
	h := newCanon(digestStateV)
	cs := sortedIndexes(len(s.Companies), func(a, b int) int { return cmp.Compare(s.Companies[a].Slug, s.Companies[b].Slug) })
	h.int(int64(len(cs)))
	for _, i := range cs {
		c := &s.Companies[i]
		h.str(c.Slug)
		h.str(c.Name)
		locs := sortedIndexes(len(c.Locations), func(a, b int) int { return cmp.Compare(c.Locations[a].Slug, c.Locations[b].Slug) })
		h.int(int64(len(locs)))
		for _, j := range locs {
			l := &c.Locations[j]
			h.str(l.Slug)
			h.str(l.Name)
			h.int(l.OfficeID)
			h.str(l.OfficeName)
		}
	}
	for _, recs := range [][]Record{s.Employees, s.Jobs} {
		idx := sortedIndexes(len(recs), func(a, b int) int {
			x, y := &recs[a], &recs[b]
			return cmp.Or(strings.Compare(x.Company, y.Company), strings.Compare(x.ExternalID, y.ExternalID), cmp.Compare(x.TargetID, y.TargetID))
		})
		h.int(int64(len(idx)))
		for _, j := range idx {
			r := &recs[j]
			h.str(string(r.Type))
			h.str(r.Company)
			h.str(r.ExternalID)
			h.int(r.TargetID)
			h.bool(r.Linked)
			o := employeeOrder
			if r.Type == TypeJob {
				o = jobOrder
			}
			v := r.Attrs.values()
			h.values(&v, o)
		}
	}
	return h.sum()
}

// sortedIndexes returns the indexes 0 to n-1 sorted by compare.
func sortedIndexes(n int, compare func(a, b int) int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, compare)
	return idx
}

var employeeOrder, jobOrder, locationOrder = orderOf(employeeFields), orderOf(jobFields), orderOf(typeFields[TypeLocation])

// canon writes length-prefixed values into a hash, so that no two
// different inputs share an encoding.
// It buffers writes because hashing many tiny slices is slow.
type canon struct {
	h   hash.Hash
	buf []byte
}

func newCanon(version string) *canon {
	c := &canon{h: sha256.New(), buf: make([]byte, 0, 32<<10)}
	c.str(version)
	return c
}

func (c *canon) flush() {
	c.h.Write(c.buf)
	c.buf = c.buf[:0]
}

func (c *canon) int(n int64) {
	c.buf = binary.AppendVarint(c.buf, n)
}

func (c *canon) bool(b bool) {
	if b {
		c.int(1)
	} else {
		c.int(0)
	}
}

func (c *canon) str(s string) {
	c.int(int64(len(s)))
	c.buf = append(c.buf, s...)
	if len(c.buf) >= 32<<10 {
		c.flush()
	}
}

// values writes the non-empty values of v in the order o (see orderOf).
// A missing key and "" are the same.
func (c *canon) values(v *attrValues, o []int) {
	n := 0
	for i := range v {
		if v[i] != "" {
			n++
		}
	}
	c.int(int64(n))
	for _, i := range o {
		if v[i] != "" {
			c.str(fieldNames[i])
			c.str(v[i])
		}
	}
}

// orderOf returns the indexes of every field: those of fields in their
// order, then the others by name.
func orderOf(fields []string) []int {
	o := make([]int, 0, numFields)
	for _, f := range fields {
		o = append(o, mustIndex(f))
	}
	for _, i := range byName {
		if !slices.Contains(o, i) {
			o = append(o, i)
		}
	}
	return o
}

func (c *canon) sum() string {
	c.flush()
	return hex.EncodeToString(c.h.Sum(nil))
}
