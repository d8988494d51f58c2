personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
}

company "acme" {
  name = "Acme GmbH"

  location "berlin-hq" {
    name      = "Berlin HQ"
    office_id = -3 # ERROR: Invalid office_id
  }

  location "munich" {
    name      = "Munich"
    office_id = 4.5 # ERROR: Invalid office_id
  }
  location "hamburg" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
