# Quickstart: one company, "acme", with two locations mapped to Personio
# offices (one by name each) and one location without an office.
#
# It runs against real Personio as written. To try it against the bundled
# simulator instead, set PERSONIO_API_URL and PERSONIO_JOBS_URL (README.md).

personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
  api_url     = env("PERSONIO_API_URL", "https://api.personio.de")
  jobs_url    = env("PERSONIO_JOBS_URL", "https://acme.jobs.personio.de")

  # Account defaults: every company syncs employees and jobs unless it
  # overrides them.
  sync {
    employees = true
    jobs      = true
  }
}

target {
  database_url = env("GRIDWORK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gridsync_quickstart?sslmode=disable")
}

company "acme" {
  name = "Acme GmbH"

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }

  location "munich" {
    name   = "Munich"
    office = "Munich"
  }

  # No office: this location is skipped on every sync. Its employees and jobs
  # are not synced until it is mapped.
  location "remote" {
    name = "Remote"
  }
}
