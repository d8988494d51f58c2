company "acme" {
  name = "Acme GmbH"
  location "berlin-hq" {
    name      = "Berlin HQ"
    office_id = 42
  }
}
