# An element of the wrong type in a list gets the example of the list.
personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
  statuses = [
    "active",
    ["leave"], # ERROR: Incorrect attribute value type; detail: string required, got tuple. Write a string, as in statuses = ["active"].
  ]
}

company "acme" {
  name = "Acme GmbH"

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
