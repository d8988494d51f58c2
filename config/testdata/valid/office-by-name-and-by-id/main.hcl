personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
}

# Office "Berlin" may well be office 1001, but only Personio's answer can
# tell: validate passes, and plan reports the two mappings if they resolve
# to one office.
company "acme" {
  name = "Acme GmbH"

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}

company "globex" {
  name = "Globex AG"

  location "berlin" {
    name      = "Berlin"
    office_id = 1001
  }
}
