// Package httpx holds the HTTP layers gridsync's API clients share: a retry
// layer (Retry), an adaptive pacer (Pacer) and a time limit per exchange
// (Timeout), each an http.RoundTripper that wraps the next one, so that a
// client is a short stack such as
//
//	http.Client{Transport: Retry(auth(pacer.Wrap(Timeout(http.DefaultTransport, d))), policy)}
//
// Retry sends a request again after a transient failure (429, 500, 502,
// 503, 504, a timeout or a dropped connection) with exponential backoff and
// jitter, honours Retry-After, reads every answer in full (so a connection
// dropped mid-body is retried like one dropped before the headers) and can
// vet a body per request (WithCheck). Pacer holds requests to a rate, makes
// every request wait after a 429 and lowers its rate until the server stops
// refusing, then recovers. One Policy configures both.
//
// The package knows nothing about Personio or GitHub: services name
// themselves in the policy for log lines, decide which requests are safe
// to repeat, and turn the results into their own errors. It must not log
// request bodies, headers or URLs' userinfo.
package httpx
