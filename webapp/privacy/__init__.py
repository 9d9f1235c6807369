"""The privacy centre at /privacy: consents, my tags, who looked at my data, export, delete."""
