"""Kubernetes knowledge as plain functions and data."""
