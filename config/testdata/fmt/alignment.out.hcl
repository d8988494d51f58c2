personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
  api_url     = "http://127.0.0.1:8089"

  sync {
    employees = true
    jobs      = false
  }
}
