personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")

  sync {
    jobs = false
  }
  sync { # ERROR: Duplicate sync block; detail: main.hcl:5
    employees = false
  }
}

company "acme" {
  name = "Acme GmbH"

  sync {
    jobs = "off"
  }
  sync { # ERROR: Duplicate sync block
    jobs = "on"
  }

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
