"""Passwords, encryption at rest, and security headers."""
