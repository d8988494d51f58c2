personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
  statuses    = "active" # ERROR: Incorrect attribute value type; detail: list of string required, got string. Write a list in brackets, as in statuses = ["active"].

  sync {
    employees = "yes" # ERROR: Incorrect attribute value type; detail: bool required, got string. Write true or false, as in employees = true.
  }
}

company "acme" {
  name = ["Acme GmbH"] # ERROR: Incorrect attribute value type; detail: string required, got tuple. Write a string, as in name = "Acme GmbH".

  location "berlin-hq" {
    name      = "Berlin HQ"
    office_id = "Berlin" # ERROR: Incorrect attribute value type; detail: number required, got string. Write a number, as in office_id = 123. To map the office by name instead, write office = "Berlin".
  }
}
