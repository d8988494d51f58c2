personio {
  tenant      = "acme"
  credentials = sops_file("") # ERROR: Invalid function argument; detail: must not be empty
}

target {
  database_url = env("A", "b", "c") # ERROR: Invalid function argument; detail: at most one default
}

company "acme" {
  name = "Acme GmbH"

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
