# Companies of the Acme group.
company "acme" {
    name = "Acme GmbH" # legal name


  sync {
    employees = "inherit"   # inherit | on | off
      jobs = "off"
  }

  // Headquarters.
  location "berlin-hq" {
      name = "Berlin HQ"
      office = "Berlin"
  }
  /* Not yet in Personio. */
  location "remote" { name = "Remote" }
}
