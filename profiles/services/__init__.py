"""Writes about people and the organisation. The only code that changes them."""
