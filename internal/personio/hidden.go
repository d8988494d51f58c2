package personio

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// StandardAttributes returns the keys of the standard attributes gridsync
// syncs by default: the typed fields of Employee other than the id. A
// caller builds Options.RequiredAttributes from them (less the ones its
// configuration maps elsewhere) and the custom keys it syncs.
func StandardAttributes() []string { return slices.Clone(fieldKeys[fieldFirstName:]) }

// standardLabels are the labels Personio gives the standard attributes,
// for messages about attributes Personio does not list.
var standardLabels = map[string]string{
	"first_name": "First name", "last_name": "Last name", "gender": "Gender", "position": "Position",
	"email": "Email", "status": "Status", "office": "Office", "profile_picture": "Profile Picture",
	"department": "Department", "hire_date": "Hire date",
}

// HiddenAttributesError means that Personio withholds attributes the
// caller syncs from the API credential. Personio leaves such attributes out
// of its answers silently, so their values are unknown, not empty: syncing
// them would blank data. Nothing is written when a read fails with it.
type HiddenAttributesError struct {
	// Keys are the hidden attribute keys, sorted.
	Keys []string
	// Labels are the keys' labels where known, by key.
	Labels map[string]string
	// Missing counts, for keys that the attribute list names but employees
	// came without, how many employees lacked each; Read is how many
	// employees were read. Keys not in Missing are absent from the
	// credential's attribute list.
	Missing map[string]int
	Read    int
}

func (e *HiddenAttributesError) Error() string {
	var b strings.Builder
	noun := "attribute"
	if len(e.Keys) > 1 {
		noun = strconv.Itoa(len(e.Keys)) + " attributes"
	}
	fmt.Fprintf(&b, "Personio does not let the API credential read the %s that gridsync syncs: ", noun)
	for i, k := range e.Keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(k))
		var notes []string
		if l := e.Labels[k]; l != "" && l != k {
			notes = append(notes, strconv.Quote(l))
		}
		if n, ok := e.Missing[k]; ok && n == e.Read {
			notes = append(notes, fmt.Sprintf("missing on all %d employees", n))
		} else if ok {
			notes = append(notes, fmt.Sprintf("missing on %d of %d employees", n, e.Read))
		} else {
			notes = append(notes, "not in the credential's attribute list")
		}
		b.WriteString(" (" + strings.Join(notes, ", ") + ")")
	}
	b.WriteString(". Personio leaves out what a credential may not read, so these values are unknown, not empty, and nothing was written. " +
		"Allow them in Personio: Settings → Integrations → API credentials, open this credential and add them to its readable employee attributes; " +
		"or stop syncing them in the configuration.")
	return b.String()
}

// CheckAttributes reports whether the credential may read each of the
// attribute keys in required, using only the attribute list (one
// request). It returns nil when it may, a *HiddenAttributesError naming
// those it may not, or the error that kept the list from being read.
func (c *Client) CheckAttributes(ctx context.Context, required []string) error {
	infos, err := c.Attributes(ctx)
	if err != nil {
		return err
	}
	e := &HiddenAttributesError{Labels: map[string]string{}}
	for _, k := range required {
		listed := slices.ContainsFunc(infos, func(a AttributeInfo) bool { return a.Key == k })
		if listed || slices.Contains(e.Keys, k) || k == "id" {
			continue
		}
		e.Keys = append(e.Keys, k)
		if l := standardLabels[k]; l != "" {
			e.Labels[k] = l
		}
	}
	if len(e.Keys) == 0 {
		return nil
	}
	slices.Sort(e.Keys)
	return e
}

// startAttributeCheck starts reading the attribute list when a read has
// required attributes, and returns a function that waits for it and
// checks them (at once when there is nothing to check). The list is read
// once per client, however often Employees runs.
func (c *Client) startAttributeCheck(ctx context.Context, required []string) func() error {
	if len(required) == 0 {
		return func() error { return nil }
	}
	done := make(chan error, 1)
	go func() { done <- c.CheckAttributes(ctx, required) }()
	return sync.OnceValue(func() error { return <-done })
}

// checkAbsent fails a complete read whose employees came without a
// required attribute that the attribute list names (Personio answers
// differ from its list), labelling the keys from the list.
func (c *Client) checkAbsent(ctx context.Context, sel *selection, l *listingRead) error {
	e := &HiddenAttributesError{Labels: map[string]string{}, Missing: map[string]int{}, Read: len(l.ids)}
	for i, n := range l.absent {
		k := sel.required[i]
		// Personio leaves the profile picture out of an employee without
		// one, rather than sending null: its absence on employees is no
		// sign of a credential that may not read it; only the attribute
		// list tells.
		if n == 0 || k == "profile_picture" {
			continue
		}
		e.Keys = append(e.Keys, k)
		e.Missing[k] = n
	}
	if len(e.Keys) == 0 {
		return nil
	}
	// The list was read before the pages; its labels are cached.
	if infos, err := c.Attributes(ctx); err == nil {
		for _, a := range infos {
			if _, ok := e.Missing[a.Key]; ok && a.Label != "" {
				e.Labels[a.Key] = a.Label
			}
		}
	}
	for _, k := range e.Keys {
		if l := standardLabels[k]; l != "" && e.Labels[k] == "" {
			e.Labels[k] = l
		}
	}
	return e
}
