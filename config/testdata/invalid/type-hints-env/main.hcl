# Type hints derived from a value are left out when env() read it: the
# message would show it. fixtures_test checks no diagnostic repeats any of
# the values.
personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
  statuses    = env("EXTRA_STATUS") # ERROR: Incorrect attribute value type; detail: list of string required, got string. Write a list in brackets, as in statuses = ["active"].

  sync {
    employees = env("ACME_JOBS") # ERROR: Incorrect attribute value type; detail: bool required, got string. Write true or false, as in employees = true.
  }
}

company "acme" {
  name = "Acme GmbH"

  location "berlin-hq" {
    name      = "Berlin HQ"
    office_id = env("HQ_OFFICE") # ERROR: Incorrect attribute value type; detail: number required, got string. Write a number, as in office_id = 123.
  }

  location "vienna" {
    name      = "Vienna"
    office_id = 1004
  }
}
