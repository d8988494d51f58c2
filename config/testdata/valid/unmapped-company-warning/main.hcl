personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
}

company "acme" { # WARNING: has no mapped location
  name = "Acme GmbH"

  location "remote" {
    name = "Remote"
  }
}

company "empty" { # WARNING: has no mapped location
  name = "Empty Co"
}
