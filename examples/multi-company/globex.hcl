# Globex: employees pinned on, jobs off. With jobs "off" the company is paused
# for jobs: gridsync neither creates, updates nor removes any of its jobs, so
# jobs it already synced stay as they are.

company "globex" {
  name = "Globex Corporation"

  sync {
    employees = "on"
    jobs      = "off"
  }

  location "munich" {
    name   = "Munich"
    office = "Munich"
  }

  location "hamburg" {
    name   = "Hamburg"
    office = "Hamburg"
  }
}
