# A value of the wrong type gets an example of the right form, and a hint
# for the usual mix-ups.
personio {
  tenant              = "acme"
  credentials         = sops_file("secrets/personio.enc.yaml")
  statuses            = "onboarding" # ERROR: Incorrect attribute value type; detail: list of string required, got string. Write a list in brackets, as in statuses = ["onboarding"].
  jobs_language       = ["de"] # ERROR: Incorrect attribute value type; detail: Write a string, as in jobs_language = "en".
  api_url             = { url = "https://api.personio.de" } # ERROR: Incorrect attribute value type; detail: Write a string, as in api_url = "https://api.personio.de".
  requests_per_minute = true # ERROR: Incorrect attribute value type; detail: Write a number, as in requests_per_minute = 300.

  # The account defaults are booleans; "on" and "off" are company overrides.
  sync {
    employees = "on" # ERROR: Incorrect attribute value type; detail: Write true or false, as in employees = true. "on", "off" and "inherit" are for a company's sync block
    jobs      = "off" # ERROR: Incorrect attribute value type; detail: as in jobs = false.
  }

  employee_fields {
    position = ["dynamic_1001"] # ERROR: Incorrect attribute value type; detail: Write a string, as in position = "dynamic_1234".
  }
}

target {
  database_url = ["postgres://gridsync@127.0.0.1:5432/gridwork"] # ERROR: Incorrect attribute value type; detail: as in database_url = env("GRIDWORK_DATABASE_URL").
}

company "acme" {
  name = ["Acme GmbH"] # ERROR: Incorrect attribute value type; detail: Write a string, as in name = "Acme GmbH".

  sync {
    jobs = ["off"] # ERROR: Incorrect attribute value type; detail: Write a string, as in jobs = "off".
  }

  location "berlin-hq" {
    name      = "Berlin HQ"
    office_id = "Berlin" # ERROR: Incorrect attribute value type; detail: Write a number, as in office_id = 123. To map the office by name instead, write office = "Berlin".
  }

  location "munich" {
    name   = "Munich"
    office = ["Munich"] # ERROR: Incorrect attribute value type; detail: Write a string, as in office = "Berlin".
  }

  location "vienna" {
    name      = "Vienna"
    office_id = 1004
  }
}
