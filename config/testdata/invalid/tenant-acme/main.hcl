personio {
  tenant      = "Acme" # ERROR: Invalid tenant; detail: use the subdomain only: acme
  credentials = sops_file("secrets/personio.enc.yaml")
}

company "acme" {
  name = "Acme GmbH"

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
