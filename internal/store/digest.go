package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"sync"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/gridwork/gridsync/plan"
)

// encodedChange is a change with its attributes encoded as canonical JSON
// (NULL when absent), ready for the sync log.
type encodedChange struct {
	*plan.Change
	before, after json.RawMessage
}

// syncLog is a plan's changes encoded for the sync log, and its digest.
type syncLog struct {
	changes []encodedChange
	digest  string
}

// pendingLog encodes a plan's sync log in the background, so that the
// encoding overlaps with the database's work on the data writes instead of
// adding to it. A first sync of 100,000 employees spends about 100 ms on it.
type pendingLog struct {
	p    *plan.Plan
	once sync.Once
	done chan *syncLog
}

func newPendingLog(p *plan.Plan) *pendingLog {
	return &pendingLog{p: p, done: make(chan *syncLog, 1)}
}

// start begins the encoding, once; p must not change from now on.
func (l *pendingLog) start() {
	l.once.Do(func() { go func() { l.done <- encodeChanges(l.p) }() })
}

// wait returns the encoded log, starting the encoding if nothing did. It
// is called once.
func (l *pendingLog) wait() *syncLog {
	l.start()
	return <-l.done
}

// encodeChanges encodes p's changes (no-ops dropped) and computes the plan
// digest in the same pass.
func encodeChanges(p *plan.Plan) *syncLog {
	out := make([]encodedChange, 0, len(p.Changes))
	h := sha256.New()
	var buf []byte
	field := func(s string) {
		buf = append(buf[:0], s...)
		buf = append(buf, 0)
		h.Write(buf)
	}
	for i := range p.Changes {
		c := &p.Changes[i]
		if c.Action == plan.NoOp {
			continue
		}
		e := encodedChange{Change: c, before: attrsJSON(c.Before), after: attrsJSON(c.After)}
		out = append(out, e)
		field(c.Address)
		field(string(c.Type))
		field(c.Company)
		field(c.Key)
		field(string(c.Action))
		field(strconv.FormatInt(c.TargetID, 10))
		field(string(e.before))
		field(string(e.after))
	}
	return &syncLog{changes: out, digest: hex.EncodeToString(h.Sum(nil))}
}

// PlanDigest is the hex SHA-256 of p's changes (no-ops excluded): for each
// change in order, its address, type, company, key, action, target id and
// its before and after attributes as JSON objects with sorted keys (empty
// when absent), each followed by a NUL byte. Reason is left out: it is for
// display only. The digest identifies what a run set out to do.
func PlanDigest(p *plan.Plan) string {
	return encodeChanges(p).digest
}

// attrsJSON encodes attributes as a JSON object with sorted keys; nil stays
// nil (SQL NULL). It is hand-written because the sync log of a large first
// sync encodes hundreds of thousands of them.
func attrsJSON(a plan.Attrs) json.RawMessage {
	if a.IsNone() {
		return nil
	}
	size := 2
	for k, v := range a.All() {
		size += len(k) + len(v) + 6
	}
	b := make([]byte, 0, size)
	b = append(b, '{')
	for k, v := range a.Sorted() {
		if len(b) > 1 {
			b = append(b, ',')
		}
		// An invalid UTF-8 byte is written as U+FFFD, which is all the
		// error reports.
		b, _ = jsontext.AppendQuote(b, k)
		b = append(b, ':')
		b, _ = jsontext.AppendQuote(b, v)
	}
	return append(b, '}')
}
