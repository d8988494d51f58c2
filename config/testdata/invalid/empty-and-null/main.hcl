personio {
  tenant      = "" # ERROR: Empty value
  credentials = null # ERROR: Missing value; detail: must not be null
}

company "acme" {
  name = "" # ERROR: Empty value

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "" # ERROR: Empty value
  }
}
