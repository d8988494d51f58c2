personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
}

target {
  database_url = env("GRIDSYNC_TEST_UNSET") # ERROR: Environment variable not set; detail: GRIDSYNC_TEST_UNSET
}

company "acme" {
  name = "Acme GmbH"

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
