# Initech: employees off (paused: nothing of its employees is touched), jobs
# inherit the account default (synced). Its location names the Personio office
# by id instead of by name, which keeps working if the office is renamed in
# Personio.

company "initech" {
  name = "Initech AG"

  sync {
    employees = "off"
    jobs      = "inherit"
  }

  location "vienna" {
    name      = "Vienna"
    office_id = 1004 # "Vienna" in the bundled simulator
  }
}
