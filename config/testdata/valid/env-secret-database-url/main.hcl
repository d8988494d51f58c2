# target.database_url never reaches a plan, so it may read any variable,
# including ones env() refuses everywhere else.
personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
}

target {
  database_url = env("DB_PASSWORD_URL")
}

company "acme" {
  name = env("KEYCLOAK_REALM", "Acme GmbH") # KEY only as a word counts
  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
