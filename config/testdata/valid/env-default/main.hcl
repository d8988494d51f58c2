personio {
  tenant      = env("GRIDSYNC_TEST_UNSET_TENANT", "acme")
  credentials = sops_file("${env("GRIDSYNC_TEST_UNSET_DIR", "secrets")}/personio.enc.yaml")
}

target {
  database_url = env("GRIDSYNC_TEST_UNSET_URL", "")
}

company "acme" {
  name = "Acme GmbH"

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
