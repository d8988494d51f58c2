personio {
  tenant        = "acme"
  credentials   = "/etc/gridsync/personio.enc.json"
  api_url       = "http://127.0.0.1:8089/"
  jobs_url      = "http://127.0.0.1:8089"
  jobs_language = "de"
  statuses      = ["active", "leave", "inactive"]

  # An account with limits agreed with Personio.
  requests_per_minute = 600
  burst               = 20

  sync {
    employees = true
    jobs      = false
  }

  employee_fields {
    position = "dynamic_1234"
    gender   = "gender"
  }
}

target {
  database_url = env("GRIDWORK_DATABASE_URL")
}
