personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
}

companyy "acme" { # ERROR: Unsupported block type; detail: Did you mean "company"?
  name = "Acme GmbH"
}

company "beta" {
  name = "Beta AG"

  locaton "berlin" { # ERROR: Unsupported block type; detail: Did you mean "location"?
    name = "Berlin"
  }
  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}

target {
  settings { # ERROR: Unsupported block type; detail: only the arguments database_url
  }
}
