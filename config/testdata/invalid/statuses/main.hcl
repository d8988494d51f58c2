personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
  statuses = [
    "active",
    "terminated", # ERROR: Unknown employee status; detail: inactive
    "onbording", # ERROR: Unknown employee status; detail: Did you mean "onboarding"?
    "active", # ERROR: Duplicate employee status
  ]
}

company "acme" {
  name = "Acme GmbH"

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
