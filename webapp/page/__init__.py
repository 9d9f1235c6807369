"""The personal page (专属网页) at /me and its customisation forms."""
