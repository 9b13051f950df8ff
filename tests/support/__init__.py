"""Test support: real servers started for the test session (no fakes of mandate's parts)."""
