company "beta" {
  name = env("BETA_NAME", "Beta AG")

  location "hamburg" {
    name      = "Hamburg"
    office_id = 7
  }

  # Another company maps other offices: each Personio office feeds one
  # location of one company.
  location "potsdam" {
    name   = "Potsdam"
    office = "Potsdam"
  }
}
