package personio

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Attributes lists the employee attributes the credential may read
// (GET /v1/company/employees/attributes), custom dynamic_* ones included.
// The list is read once per client: concurrent and later calls share the
// first successful answer. A caller that gives up on a read others share
// (its context ends) does not end it for them: they ask again.
func (c *Client) Attributes(ctx context.Context) ([]AttributeInfo, error) {
	for {
		// Only one read runs at a time, and the group's lock orders them:
		// c.attrs needs no lock of its own.
		infos, err, _ := c.attrGroup.Do("attributes", func() (any, error) {
			if c.attrs != nil {
				return c.attrs, nil
			}
			infos, err := c.readAttributes(ctx)
			if err != nil && ctx.Err() != nil {
				return nil, errAbandoned
			}
			c.attrs = infos
			return infos, err
		})
		switch {
		case err == errAbandoned && ctx.Err() == nil:
			continue // the caller whose read it was gave up; read for this one
		case err == errAbandoned:
			return nil, fmt.Errorf("reading the employee attributes: %w", ctx.Err())
		case err != nil:
			return nil, err
		}
		return slices.Clone(infos.([]AttributeInfo)), nil
	}
}

// errAbandoned is a shared read of the attribute list whose caller's
// context ended: the callers that shared it ask again.
var errAbandoned = errors.New("the attribute list read was abandoned")

func (c *Client) readAttributes(ctx context.Context) ([]AttributeInfo, error) {
	if err := c.Authenticate(ctx); err != nil {
		return nil, err
	}
	const path = "/v1/company/employees/attributes"
	resp, err := c.do(ctx, request{method: http.MethodGet, path: path, api: true, auth: true})
	if err != nil {
		return nil, fmt.Errorf("reading the employee attributes: %w", err)
	}
	if resp.status != http.StatusOK {
		return nil, fmt.Errorf("reading the employee attributes: %w", c.statusError(http.MethodGet, path, resp))
	}
	infos, err := decodeAttributes(resp.body)
	if err != nil {
		return nil, fmt.Errorf("reading the employee attributes (%s): %w", path, err)
	}
	return infos, nil
}

func decodeAttributes(body []byte) ([]AttributeInfo, error) {
	var ans struct {
		Success *bool `json:"success"`
		Data    []struct {
			AttributeInfo
			Options []jsontext.Value `json:"options"` // rendered as text below
		} `json:"data"`
		Error jsontext.Value `json:"error"`
	}
	if err := json.Unmarshal(body, &ans, decodeOptions(), json.MatchCaseInsensitiveNames(true)); err != nil {
		return nil, fmt.Errorf("the answer is not the expected JSON: %w", err)
	}
	if ans.Success != nil && !*ans.Success {
		_, msg, _ := v1ErrorMember(ans.Error)
		return nil, successFalseError(msg)
	}
	out := make([]AttributeInfo, 0, len(ans.Data))
	for i, d := range ans.Data {
		if strings.TrimSpace(d.Key) == "" {
			return nil, fmt.Errorf("attribute #%d has no key", i+1)
		}
		info := d.AttributeInfo
		for _, o := range d.Options {
			// Options are documented as strings; objects render by name.
			if s := attrText(o); s != "" {
				info.Options = append(info.Options, s)
			}
		}
		out = append(out, info)
	}
	return out, nil
}
