personio { # ERROR: Duplicate personio block; detail: a.hcl:1
  tenant      = "other"
  credentials = sops_file("secrets/other.enc.yaml")
}
