"""The declared graph model, the measure catalogue and the county's reference data."""
