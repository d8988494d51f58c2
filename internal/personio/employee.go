package personio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gridwork/gridsync/internal/httpx"
)

// Employee reads one employee by id (GET /v1/company/employees/{id}), to
// confirm that an employee missing from a listing is really gone before
// anything is removed. found is false only when Personio answers 404 with
// its own error body: a 404 from anything else (a proxy, a wrong api_url)
// is an error, never a confirmation.
func (c *Client) Employee(ctx context.Context, id int64) (e Employee, found bool, err error) {
	if id <= 0 {
		return Employee{}, false, fmt.Errorf("employee id %d is not a Personio employee id", id)
	}
	if err := c.Authenticate(ctx); err != nil {
		return Employee{}, false, err
	}
	path := "/v1/company/employees/" + strconv.FormatInt(id, 10)
	resp, err := c.do(ctx, request{
		method: http.MethodGet, path: path, api: true, auth: true,
		decode: func(body []byte) (err error) {
			e, err = decodeEmployee(body, c.sel)
			return err
		},
	})
	var ge *httpx.CheckError
	switch {
	case errors.As(err, &ge):
		return Employee{}, false, fmt.Errorf("Personio's answer to GET %s could not be understood (%w); try again later", path, ge.Err)
	case err != nil:
		return Employee{}, false, fmt.Errorf("reading employee %d: %w", id, err)
	case resp.status == http.StatusNotFound && isV1Error(resp.body):
		return Employee{}, false, nil
	case resp.status != http.StatusOK:
		return Employee{}, false, fmt.Errorf("reading employee %d: %w", id, c.statusError(http.MethodGet, path, resp))
	case e.ID != id:
		return Employee{}, false, fmt.Errorf("reading employee %d: Personio answered with employee %d", id, e.ID)
	}
	return e, true, nil
}

// isV1Error reports whether body is Personio's v1 error answer,
// {"success":false, …}.
func isV1Error(body []byte) bool {
	d := newPageDecoder(body, nil)
	err := d.v1Envelope(func([]byte) error { return d.dec.SkipValue() })
	return err == nil && d.success != nil && !*d.success
}

// decodeEmployee reads the answer of GET /v1/company/employees/{id}:
// {"success":true,"data":{"type":"Employee","attributes":{…}}}.
func decodeEmployee(body []byte, sel *selection) (Employee, error) {
	d := newPageDecoder(body, sel)
	var e Employee
	var found bool
	err := d.envelope(func(name []byte) error {
		if !bytes.EqualFold(name, []byte("data")) {
			return d.dec.SkipValue()
		}
		if d.dec.PeekKind() != '{' {
			_, err := d.open('{', "data", "an employee object")
			return err
		}
		first := len(d.attrs)
		var err error
		if e, found, err = d.item(); err == nil && len(d.attrs) > first {
			e.Attributes = d.attrs[first:len(d.attrs):len(d.attrs)]
		}
		return err
	})
	var se shapeError
	switch {
	case errors.As(err, &se):
		return Employee{}, fmt.Errorf("data is not an employee object: %w", se.error)
	case err != nil:
		return Employee{}, err
	case !found:
		return Employee{}, errors.New("the answer holds no employee attributes")
	}
	return e, nil
}
