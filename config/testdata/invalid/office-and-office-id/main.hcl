personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
}

company "acme" {
  name = "Acme GmbH"

  location "berlin-hq" {
    name      = "Berlin HQ"
    office    = "Berlin"
    office_id = 42 # ERROR: Conflicting office mapping; detail: not both
  }
  location "munich" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
