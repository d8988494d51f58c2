personio {
  tenant              = "acme"
  credentials         = sops_file("secrets/personio.enc.yaml")
  requests_per_minute = "fast" # ERROR: Incorrect attribute value type; detail: number required, got string. Write a number, as in requests_per_minute = 300.
  burst               = 7.5 # ERROR: Invalid burst; detail: whole number
}

company "acme" {
  name = "Acme GmbH"

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
