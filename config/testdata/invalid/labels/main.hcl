personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
}

company { # ERROR: Missing slug for company; detail: company "acme"
  name = "Acme GmbH"
}

company "acme" "extra" { # ERROR: Extraneous label for company
  name = "Acme GmbH"
}

personio "second" { # ERROR: Extraneous label for personio
}

company "beta" {
  name = "Beta AG"

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
