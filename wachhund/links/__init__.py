"""Link health without Pelican: the verdict rules, the state file and the settings."""
