// Package personiosim is a faithful simulator of the parts of Personio that
// gridsync talks to: the v1 auth, employees, attributes and profile picture
// endpoints and the public XML job feed, served from a deterministic
// generated or file-loaded dataset, with switches for rate limits, latency,
// failures and data changes between calls.
//
// It is held to Personio's published OpenAPI shapes (../shared/personio-api,
// checked by conformance_test.go), not to gridsync's client: it must not
// import internal/personio.
//
// # Endpoints
//
//	POST /v1/auth                                             JSON {client_id, client_secret} → {success, data:{token, expires_in}}
//	GET  /v1/company/employees?limit&offset&email&attributes[] Bearer token; limit 1..100 (default 50), offset = row offset
//	GET  /v1/company/employees/attributes                     the attributes the credential may read
//	GET  /v1/company/employees/{id}                           one employee as on a page; 404 when there is none
//	GET  /v1/company/employees/{id}/profile-picture/{width}   image/png, 404 without picture
//	GET  /xml?language=en                                     the job feed, no auth
//	GET  /moved/xml?language=en                               the same feed, for a feed that moved (FeedRedirect)
//
// Errors carry Personio's v1 body {"success":false,"error":{"code":N,"message":"…"}}.
// updated_since is accepted and ignored (the whole list is returned, paged).
//
// # Faults
//
// Faults switch on a rate limit on the /v1/company/employees endpoints (429,
// Retry-After optional), latency, a share of 5xx answers (500/503 as JSON,
// 502/504 as a proxy's HTML), dropped connections, a garbled employees page,
// an unknown tenant for the feed (301 to Personio's website), a feed that
// moved (301 to another path or host), a missing feed (404 with an HTML
// page, as when the career page is switched off), token rotation in the
// Authorization response header, 403 for a missing scope and attributes
// that are not whitelisted (left out of employees and the attribute list,
// or of the employees only). Data switches give every employee 60
// attributes, and make the listing move while it is read (an employee
// deleted before the current offset, one hired at the end); see
// switches.go. Fault randomness is drawn from Options.Seed.
//
// # Admin API
//
// Under /_sim/, neither faulted nor counted in Stats:
//
//	GET    /_sim/employees            list (JSON Employee, as in the data file)
//	POST   /_sim/employees            create or update; without id the next free id
//	GET|PUT|DELETE /_sim/employees/{id}
//	GET|POST /_sim/jobs, PUT|DELETE /_sim/jobs/{id}
//	GET|POST /_sim/offices            list, create or rename
//	GET    /_sim/dataset              everything, in the data file format
//	GET|PUT /_sim/faults              JSON Faults; durations as "250ms"
//	GET    /_sim/stats                {"GET /v1/company/employees":{"200":12,"429":3},…}; status 0 = dropped
//	POST   /_sim/stats/reset
//
// # Data file
//
// personio-sim -data FILE reads a Dataset as JSON (unknown fields are
// errors):
//
//	{
//	  "offices":    [{"id": 1001, "name": "Berlin"}],
//	  "attributes": [{"key": "dynamic_1002", "label": "Shirt size", "type": "list",
//	                  "universal_id": "", "options": ["S", "M", "L"]}],
//	  "employees":  [{"id": 1, "first_name": "Zoë", "last_name": "Müller",
//	                  "gender": "female",            // "" or absent renders null
//	                  "position": "Designer", "email": "zoe.muller.1@acme.example",
//	                  "status": "active",            // active|onboarding|leave|inactive
//	                  "office_id": 1001,             // 0 or absent: office null
//	                  "department": "Product",       // absent: null
//	                  "hire_date": "2021-03-01",     // YYYY-MM-DD
//	                  "has_picture": true,
//	                  "custom": {"dynamic_1002": "M"}}],
//	  "jobs":       [{"id": 9001, "name": "Backend Engineer", "office": "Berlin",
//	                  "additional_offices": ["Munich"], "department": "Engineering",
//	                  "subcompany": "Acme GmbH", "recruiting_category": "Various",
//	                  "descriptions": [{"name": "Your mission", "value": "<p>HTML</p>"}],
//	                  "employment_type": "permanent", "seniority": "experienced",
//	                  "schedule": "full-time", "years_of_experience": "2-5",
//	                  "keywords": "go,backend", "occupation": "software_and_web_development",
//	                  "occupation_category": "it_software",
//	                  "created_at": "2025-01-31T09:00:00Z"}]
//	}
//
// Generate produces the same format; Dataset.WriteFile saves one.
package personiosim
