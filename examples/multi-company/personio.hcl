# Multi-company: one Personio account feeding three Gridwork companies, each in
# its own file (acme.hcl, globex.hcl, initech.hcl). This file holds what they
# share: the Personio account with its sync defaults, and the target database.
#
# Between them the companies use every override value, inherit, on and off,
# for both employees and jobs; each file's header says what it shows.

personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
  api_url     = env("PERSONIO_API_URL", "https://api.personio.de")
  jobs_url    = env("PERSONIO_JOBS_URL", "https://acme.jobs.personio.de")

  # Account defaults. A company's "inherit" takes these; "on" and "off"
  # override them for that company only.
  sync {
    employees = true
    jobs      = true
  }
}

target {
  database_url = env("GRIDWORK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gridsync_multi?sslmode=disable")
}
