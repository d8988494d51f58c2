personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
}

# An unset variable in target.database_url is no load error: commands that
# connect to the database report it (validate needs no database secret).
target {
  database_url = env("GRIDSYNC_TEST_UNSET_DB")
}

company "acme" {
  name = env("GRIDSYNC_TEST_UNSET") # ERROR: Environment variable not set; detail: GRIDSYNC_TEST_UNSET
  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
