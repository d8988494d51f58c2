company "acme" {
  name = "Acme GmbH"

  location "berlin" {
    name   = "Berlin"
    office = "Berlin" # ERROR: Office mapped twice; detail: The same Personio office is mapped by location.zeta.berlin-hq (office = "Berlin", at a.hcl:12) and by location.acme.berlin (office = "Berlin", at b.hcl:6)
  }

  location "munich" {
    name      = "Munich"
    office_id = 42 # ERROR: Office mapped twice; detail: location.zeta.munich (office_id = 42, at a.hcl:17) and by location.acme.munich (office_id = 42, at b.hcl:11)
  }

  # Written by name here and by id elsewhere: only Personio's answer can
  # tell whether these are one office, so validate lets them pass.
  location "hamburg" {
    name      = "Hamburg"
    office_id = 7
  }
}

company "globex" {
  name = "Globex AG"

  location "berlin" {
    name   = "Berlin"
    office = "Berlin" # ERROR: Office mapped twice; detail: location.zeta.berlin-hq (office = "Berlin", at a.hcl:12) and by location.globex.berlin (office = "Berlin", at b.hcl:27)
  }

  location "hamburg" {
    name   = "Hamburg"
    office = "Hamburg"
  }
}
