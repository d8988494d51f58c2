personio { # ERROR: Missing required argument; detail: "credentials"
  tenant = "acme"
}

company "acme" { # ERROR: Missing required argument; detail: "name"
  location "berlin-hq" { # ERROR: Missing required argument; detail: "name"
    office = "Berlin"
  }
}
