"""The programs `make` runs, each as ``python -m wachhund.commands.<name>``."""
