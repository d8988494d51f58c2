package personio

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
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
		method: http.MethodGet, base: c.apiURL, path: path, accept: "application/json",
		api: true, auth: true,
		decode: func(body []byte) (err error) {
			e, err = decodeEmployee(body, c.sel)
			return err
		},
	})
	var ge *garbledError
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
	d := newPageDecoder(newDecoder(body), nil, 1)
	var success *bool
	err := d.envelope(func(name string) error {
		if strings.EqualFold(name, "success") {
			var err error
			success, err = d.optionalBool("success")
			return err
		}
		return d.dec.SkipValue()
	})
	return err == nil && success != nil && !*success
}

// decodeEmployee reads the answer of GET /v1/company/employees/{id}:
// {"success":true,"data":{"type":"Employee","attributes":{…}}}.
func decodeEmployee(body []byte, sel *selection) (Employee, error) {
	d := newPageDecoder(newDecoder(body), sel, 1)
	var (
		e          Employee
		found      bool
		success    *bool
		errMessage string
	)
	err := d.envelope(func(name string) error {
		var err error
		switch {
		case strings.EqualFold(name, "success"):
			success, err = d.optionalBool("success")
		case strings.EqualFold(name, "error"):
			errMessage, err = d.errorMessage()
		case strings.EqualFold(name, "data"):
			switch k := d.dec.PeekKind(); k {
			case '{':
				first := len(d.attrs)
				if e, found, err = d.item(); err == nil && len(d.attrs) > first {
					e.Attributes = d.attrs[first:len(d.attrs):len(d.attrs)]
				}
			case 'n':
				found, err = false, d.dec.SkipValue()
			case 0:
				_, err = d.dec.ReadToken()
			default:
				err = fmt.Errorf("data is %s, not an employee object", kindText(k))
			}
		default:
			err = d.dec.SkipValue()
		}
		return err
	})
	switch {
	case err != nil:
		var se shapeError
		if errors.As(err, &se) {
			return Employee{}, fmt.Errorf("data is not an employee object: %w", se.error)
		}
		return Employee{}, err
	case success != nil && !*success:
		return Employee{}, successFalseError(errMessage)
	case !found:
		return Employee{}, errors.New("the answer holds no employee attributes")
	}
	return e, nil
}
