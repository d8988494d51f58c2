personio {
  tenant      = "acme"
  credentials = sops_file("secrets/personio.enc.yaml")
  statuses    = ["active", "leave"]
}

target {
  database_url = env("GRIDWORK_DATABASE_URL")
}
