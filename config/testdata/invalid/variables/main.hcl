personio {
  tenant      = acme # ERROR: Variables not supported; detail: quote it: "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
}

company "acme" {
  name = var.company_name # ERROR: Variables not supported

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
