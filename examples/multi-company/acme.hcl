# Acme: employees inherit the account default (synced), jobs are switched on
# explicitly, so they keep syncing even if the account default for jobs is
# turned off one day. One location has no office and is skipped.

company "acme" {
  name = "Acme GmbH"

  sync {
    employees = "inherit"
    jobs      = "on"
  }

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }

  # No office: skipped on every sync.
  location "remote" {
    name = "Remote"
  }
}
