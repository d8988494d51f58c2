personio {
  tenant      = "acme"
  credentials = sopsfile("secrets/personio.enc.yaml") # ERROR: Call to unknown function; detail: Did you mean "sops_file"?
}

target {
  database_url = getenv("DATABASE_URL") # ERROR: Call to unknown function; detail: no function named "getenv"
}

company "acme" {
  name = "Acme GmbH"

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
