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

  location "berlin-2" {
    name   = "Berlin 2"
    office = "Berlin" # ERROR: Office mapped twice; detail: main.hcl:11
  }

  location "munich" {
    name      = "Munich"
    office_id = 42
  }

  location "munich-2" {
    name      = "Munich 2"
    office_id = 42 # ERROR: Office mapped twice; detail: location.acme.munich (office_id = 42, at main.hcl:21) and by location.acme.munich-2 (office_id = 42, at main.hcl:26)
  }
}
