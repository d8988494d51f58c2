personio {
  tenant              = "acme"
  credentials         = sops_file("secrets/personio.enc.yaml")
  requests_per_minute = 0 # ERROR: Invalid requests_per_minute; detail: such as 300, Personio's documented limit
  burst               = 2000000 # ERROR: Invalid burst; detail: at most 1000000
}

company "acme" {
  name = "Acme GmbH"

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
