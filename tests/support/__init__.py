"""Helpers shared by the tests: synthetic camera videos of lumbo's mannequin."""
