personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
}

company "acme" {
  name = "Acme GmbH"

  sync {
    employees = "yes" # ERROR: Invalid sync override; detail: must be inherit, on or off
    jobs      = true # ERROR: Invalid sync override; detail: "on" or "off"
  }

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}

company "beta" {
  name = "Beta AG"

  sync {
    jobs = "Off" # ERROR: Invalid sync override; detail: Did you mean "off"?
  }

  location "hamburg" {
    name   = "Hamburg"
    office = "Hamburg"
  }
}
