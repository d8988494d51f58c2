personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
}

target {
  database_url = "postgres://localhost/gridwork"
}

target { # ERROR: Duplicate target block; detail: main.hcl:6
  database_url = "postgres://localhost/other"
}

company "acme" {
  name = "Acme GmbH"

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
