personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
}

company "acme" {
  name = "Acme GmbH" "extra" # ERROR: Missing newline after argument
}
