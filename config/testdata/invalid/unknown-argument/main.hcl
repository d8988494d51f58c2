personio {
  tenant       = "acme"
  credentials  = sops_file("secrets/personio.enc.yaml")
  jobs_languge = "de" # ERROR: Unsupported argument; detail: Did you mean "jobs_language"?
}

company "acme" {
  name  = "Acme GmbH"
  title = "Acme" # ERROR: Unsupported argument; detail: Arguments allowed here: name.

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}

tenant = "acme" # ERROR: Unsupported argument; detail: Only blocks are allowed here: company, personio, target.
