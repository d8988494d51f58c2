personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
}

company "acme" {
  name = "Acme GmbH"

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }

  location "berlin-hq" { # ERROR: Duplicate location "berlin-hq"; detail: main.hcl:9
    name   = "Berlin HQ 2"
    office = "Berlin 2"
  }
}
