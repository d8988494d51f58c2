personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
}

# The first mappings in source order, in a company whose slug sorts last.
company "zeta" {
  name = "Zeta Ltd"

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }

  location "munich" {
    name      = "Munich"
    office_id = 42
  }
}
