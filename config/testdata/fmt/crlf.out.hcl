target {
  database_url = env("GRIDWORK_DATABASE_URL")
}
