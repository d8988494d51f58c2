personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
  api_url     = "127.0.0.1:8089" # ERROR: Invalid URL
  jobs_url    = "ftp://jobs.example" # ERROR: Invalid URL
}

company "acme" {
  name = "Acme GmbH"

  location "berlin-hq" {
    name   = "Berlin HQ"
    office = "Berlin"
  }
}
