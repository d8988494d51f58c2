# Values read by env() are never shown in diagnostics, however innocent the
# variable's name: the messages name the env() call instead, and leave out
# hints derived from the value. fixtures_test checks no diagnostic repeats
# any of the values.
personio {
  tenant      = env("PERSONIO_TENANT") # ERROR: Invalid tenant; detail: the value of env("PERSONIO_TENANT") is not a bare Personio subdomain. The tenant is the part before .personio.de, in lower case, without scheme or path.
  credentials = sops_file("secrets/personio.enc.yaml")
  statuses = [
    "active",
    env("EXTRA_STATUS"), # ERROR: Unknown employee status; detail: the value of env("EXTRA_STATUS") is not a Personio employee status; use active, onboarding, leave or inactive.
  ]
}

company "acme" {
  name = "Acme GmbH"
  sync {
    jobs = env("ACME_JOBS") # ERROR: Invalid sync override; detail: the value of env("ACME_JOBS") is not a sync override: the value must be inherit, on or off.
  }
  location "berlin-hq" {
    name   = "Berlin HQ"
    office = env("HQ_OFFICE")
  }
  location "berlin-annex" {
    name   = "Berlin Annex"
    office = env("HQ_OFFICE") # ERROR: Office mapped twice; detail: location.acme.berlin-hq (office = env("HQ_OFFICE"), at main.hcl:21)
  }
}
