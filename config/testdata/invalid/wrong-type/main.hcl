personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
  statuses    = "active" # ERROR: Incorrect attribute value type; detail: list of string required

  sync {
    employees = "yes" # ERROR: Incorrect attribute value type; detail: bool required
  }
}

company "acme" {
  name = ["Acme GmbH"] # ERROR: Incorrect attribute value type; detail: string required

  location "berlin-hq" {
    name      = "Berlin HQ"
    office_id = "Berlin" # ERROR: Incorrect attribute value type; detail: number required
  }
}
