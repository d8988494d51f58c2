package personio

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Attributes lists the employee attributes the credential may read
// (GET /v1/company/employees/attributes), custom dynamic_* ones included.
func (c *Client) Attributes(ctx context.Context) ([]AttributeInfo, error) {
	if err := c.Authenticate(ctx); err != nil {
		return nil, err
	}
	const path = "/v1/company/employees/attributes"
	resp, err := c.do(ctx, request{method: http.MethodGet, base: c.apiURL, path: path, accept: "application/json", api: true, auth: true})
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
			Key         string            `json:"key"`
			Label       string            `json:"label"`
			Type        string            `json:"type"`
			UniversalID string            `json:"universal_id"`
			Options     []json.RawMessage `json:"options"`
		} `json:"data"`
		Error *v1ErrorBody `json:"error"`
	}
	if err := json.Unmarshal(body, &ans); err != nil {
		return nil, fmt.Errorf("the answer is not the expected JSON: %w", err)
	}
	if ans.Success != nil && !*ans.Success {
		var msg string
		if ans.Error != nil {
			msg = ans.Error.Message
		}
		return nil, successFalseError(msg)
	}
	out := make([]AttributeInfo, 0, len(ans.Data))
	for i, d := range ans.Data {
		if strings.TrimSpace(d.Key) == "" {
			return nil, fmt.Errorf("attribute #%d has no key", i+1)
		}
		info := AttributeInfo{Key: d.Key, Label: d.Label, Type: d.Type, UniversalID: d.UniversalID}
		for _, o := range d.Options {
			// Options are documented as strings; objects render by name.
			if s := AttrText(o); s != "" {
				info.Options = append(info.Options, s)
			}
		}
		out = append(out, info)
	}
	return out, nil
}
