personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
}

company "Acme" { # ERROR: Invalid company slug; detail: such as "acme"
  name = "Acme GmbH"

  location "berlin_hq" { # ERROR: Invalid location slug; detail: such as "berlin-hq"
    name   = "Berlin HQ"
    office = "Berlin"
  }

  location "munich-" { # ERROR: Invalid location slug
    name   = "Munich"
    office = "Munich"
  }
}

company "1st" { # ERROR: Invalid company slug
  name = "First"

  location "hamburg" {
    name   = "Hamburg"
    office = "Hamburg"
  }
}
