# env() refuses variables that may hold secrets everywhere but in
# target.database_url: the values would end up in plans and PR comments.
personio {
  tenant      = env("MY_API_TOKEN") # ERROR: Secret environment variable; detail: env("MY_API_TOKEN") is refused here because MY_API_TOKEN may hold a secret: its name contains TOKEN
  credentials = sops_file(env("SOPS_FILE", "secrets/personio.enc.yaml")) # ERROR: Secret environment variable; detail: SOPS_* variables
  api_url     = env("PERSONIO_API_URL", "https://api.personio.de")
}

company "acme" {
  name = env("SOPS_AGE_KEY") # ERROR: Secret environment variable; detail: SOPS_AGE_KEY may hold a secret
  location "berlin-hq" {
    name   = env("GRIDWORK_DATABASE_URL") # ERROR: Secret environment variable; detail: a database URL
    office = "${env("github_token")} office" # ERROR: Secret environment variable; detail: github_token may hold a secret: its name contains TOKEN
  }
  location "munich" {
    name   = env("PERSONIO_CLIENT_SECRET", "Munich") # ERROR: Secret environment variable; detail: its name contains SECRET
    office = env("MAPS_API_KEY") # ERROR: Secret environment variable; detail: the word KEY
  }
  location "hamburg" {
    name   = env("DB_PASSWD") # ERROR: Secret environment variable; detail: PASSWD
    office = env("SSH_PRIVATE_KEY_PATH") # ERROR: Secret environment variable; detail: PRIVATE
  }
}
