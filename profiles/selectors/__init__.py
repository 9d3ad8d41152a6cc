"""Reads about people and the organisation, already filtered for the viewer."""
