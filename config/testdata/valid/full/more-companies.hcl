company "beta" {
  name = env("BETA_NAME", "Beta AG")

  location "hamburg" {
    name      = "Hamburg"
    office_id = 7
  }

  # The same office may be mapped in two different companies.
  location "berlin" {
    name   = "Berlin"
    office = "Berlin"
  }
}
