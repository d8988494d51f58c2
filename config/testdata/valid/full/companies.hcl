company "zeta" {
  name = "Zeta Ltd"

  sync {
    jobs = "on"
  }

  location "london" {
    name   = "London"
    office = "London"
  }
}

company "acme" {
  name = "Acme GmbH"

  sync {
    employees = "off"
    jobs      = "inherit"
  }

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }

  location "munich" {
    name      = "Munich"
    office_id = 42
  }

  location "remote" {
    name = "Remote"
  }
}
