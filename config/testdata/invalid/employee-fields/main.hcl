personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")

  employee_fields {
    positon    = "dynamic_1234" # ERROR: Unknown employee field; detail: Did you mean "position"?
    department = "department" # ERROR: Unknown employee field; detail: first_name, last_name
    gender     = "" # ERROR: Empty value
  }
}

company "acme" {
  name = "Acme GmbH"

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
