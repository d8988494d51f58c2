company "acme" { # ERROR: Duplicate company "acme"; detail: a.hcl:6
  name = "Acme Again"

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
